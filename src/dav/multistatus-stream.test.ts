import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multistatus, propstatResponse, statusResponse } from './multistatus.ts';
import { collectXml, streamMultistatus } from './multistatus-stream.ts';
import { chunkText, isXmlChunks, type XmlChunks } from './response.ts';
import { clark, dav } from './xml/names.ts';
import { parseXml } from './xml/parse.ts';
import { el, type XmlElement } from './xml/tree.ts';
import { writeXml } from './xml/write.ts';

const member = (i: number): XmlElement =>
  propstatResponse(`/dav/addressbooks/alice/book/${i}.vcf`, [
    {
      status: 200,
      props: [el(dav('getetag'), [`"etag-${i}"`]), el(clark('urn:x-test', 'note'), [`a < b & c\r\n${i}`])],
    },
    { status: 404, props: [el(clark('urn:x-other', 'missing'), [], { kind: 'x' })] },
  ]);

async function bodyOf(responses: Iterable<XmlElement> | AsyncIterable<XmlElement>, trailer: XmlElement[] = []) {
  const res = await streamMultistatus(responses, trailer);
  assert.equal(res.status, 207);
  assert.ok(isXmlChunks(res.body));
  return res.body as XmlChunks;
}

describe('streamed multistatus (RFC 4918 §13)', () => {
  it('a short document is complete in its first chunk and parses like the tree writer output', async () => {
    const rs = [member(1), statusResponse('/dav/addressbooks/alice/book/gone.vcf', 404)];
    const trailer = [el(dav('sync-token'), ['urn:x:1'])];
    const body = await bodyOf(rs, trailer);
    assert.equal(body.rest, undefined);
    const head = chunkText(body.head);
    assert.ok(head.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:"'));
    // Thunderbird (quirks Q07) reads the first status line literally.
    assert.match(head, /<d:status>HTTP\/1\.1 200 OK<\/d:status>/);
    assert.deepEqual(parseXml(head), parseXml(writeXml(multistatus(rs, trailer).body as XmlElement)));
  });

  it('an empty multistatus is a valid document', async () => {
    const body = await bodyOf([]);
    assert.equal(parseXml(chunkText(body.head)).name, dav('multistatus'));
    assert.equal(parseXml(chunkText(body.head)).children.length, 0);
  });

  it('a long document comes in chunks, produced only as they are read', async () => {
    let produced = 0;
    async function* rs() {
      for (let i = 0; i < 3000; i++) {
        produced++;
        yield member(i);
      }
    }
    const body = await bodyOf(rs());
    assert.ok(body.rest, 'more than one chunk');
    assert.ok(produced < 3000, `only the first chunk is written before the body is read (${produced})`);
    const text = await collectXml(body);
    assert.equal(produced, 3000);
    const all = Array.from({ length: 3000 }, (_, i) => member(i));
    assert.deepEqual(parseXml(text), parseXml(writeXml(multistatus(all).body as XmlElement)));
  });

  it('an error before the first chunk rejects (the handler can still answer with a status)', async () => {
    async function* rs(): AsyncGenerator<XmlElement> {
      yield member(1);
      throw new Error('backend down');
    }
    await assert.rejects(streamMultistatus(rs()), /backend down/);
  });

  it('an error after the first chunk fails reading the rest', async () => {
    async function* rs(): AsyncGenerator<XmlElement> {
      for (let i = 0; i < 2000; i++) yield member(i);
      throw new Error('backend down');
    }
    const body = await bodyOf(rs());
    await assert.rejects(collectXml(body), /backend down/);
  });
});

describe('streamed multistatus: CRs escaped per chunk', () => {
  const texts = ['BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'a < b & c\r\nd > e\r', 'no CR', '\r', 'x"y\'z &amp;'];
  const response = (i: number): XmlElement =>
    propstatResponse(`/dav/calendars/alice/cal/${i}.ics`, [
      {
        status: 200,
        props: [el(clark('urn:ietf:params:xml:ns:caldav', 'calendar-data'), [texts[i % texts.length], 'tail\r\n'])],
      },
      { status: 404, props: [el(clark('urn:x-other', 'missing'), [], { note: 'a\rb "c"' })] },
    ]);

  it('writes every text exactly as the tree writer escapes it (CR as &#13;), in one chunk and in many', async () => {
    for (const n of [texts.length, 4000]) {
      const all = Array.from({ length: n }, (_, i) => response(i));
      const streamed = await collectXml(await bodyOf(all));
      const tree = writeXml(multistatus(all).body as XmlElement);
      assert.ok(!streamed.includes('\r'), 'no raw CR left');
      // The same serialisation as the tree writer's (which escapes each text whole), root aside.
      const inner = (s: string) => s.slice(s.indexOf('<d:response>'), s.lastIndexOf('</d:multistatus>'));
      assert.equal(inner(streamed), inner(tree));
      assert.deepEqual(parseXml(streamed), parseXml(tree));
    }
  });
});
