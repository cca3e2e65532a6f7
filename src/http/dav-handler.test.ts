import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { XmlChunks } from '../dav/response.ts';
import { plainPathname, toResponse } from './dav-handler.ts';

async function* chunks(parts: string[], failAfter?: number): AsyncGenerator<string, undefined> {
  for (const [i, p] of parts.entries()) {
    if (i === failAfter) throw new Error('backend down');
    yield p;
  }
  return undefined;
}

describe('toResponse: streamed multistatus bodies', () => {
  it('a body complete in its first chunk is sent as one string with a length', async () => {
    const body: XmlChunks = { kind: 'xml-chunks', head: '<?xml version="1.0"?><a>é</a>' };
    const res = toResponse({ status: 207, body });
    assert.equal(res.status, 207);
    assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
    assert.equal(await res.text(), '<?xml version="1.0"?><a>é</a>');
  });

  it('later chunks are read from the producer as the body is read, UTF-8 encoded', async () => {
    const body: XmlChunks = { kind: 'xml-chunks', head: '<a>', rest: chunks(['<b>ü</b>', '<c/>', '</a>']) };
    const res = toResponse({ status: 207, body }, { 'X-Request-Id': 'r1' });
    assert.equal(res.headers.get('x-request-id'), 'r1');
    assert.equal(await res.text(), '<a><b>ü</b><c/></a>');
  });

  it('an error after the first bytes aborts the body and is logged', async () => {
    const errors: string[] = [];
    const log = { debug() {}, info() {}, warn() {}, error: (m: string) => void errors.push(m) };
    const body: XmlChunks = { kind: 'xml-chunks', head: '<a>', rest: chunks(['<b/>', '</a>'], 1) };
    const res = toResponse({ status: 207, body }, {}, log);
    await assert.rejects(res.text(), /backend down/);
    assert.equal(errors.length, 1);
  });
});

describe('plainPathname: the request path without parsing the URL', () => {
  const hrefs = [
    'http://127.0.0.1:8008/dav/addressbooks/alice/contacts/0A1B-2C.vcf',
    'http://h/dav/calendars/alice/calendar/a%20b.ics?x=1',
    'http://h/dav/calendars/alice/calendar/%C3%A9t%C3%A9.ics',
    'http://h/dav/calendars/alice/cal/./x.ics',
    'http://h/dav/calendars/alice/cal/../x.ics',
    'http://h/dav/calendars/alice/cal/%2e%2E/x.ics',
    'http://h/dav/calendars/alice/cal/.%2e',
    'http://h/dav/calendars/alice/cal/..',
    'http://h/dav/a b/c',
    'http://h/dav/a"b/c',
    'http://h/dav/a{b}/c',
    'http://h/dav/a\\b/c',
    'http://h/dav/é/c',
    'http://h/dav/x#frag',
    'http://h/dav/.hidden/..x/x..',
    'http://h/dav/%zz/%',
    'http://h',
    'http://h/',
    'http://user@h:99/dav/x?y#z',
  ];
  for (const href of hrefs) {
    it(`${href} → the pathname URL parsing gives, or undefined`, () => {
      const plain = plainPathname(href);
      if (plain !== undefined) assert.equal(plain, new URL(href).pathname);
    });
  }
  it('takes the fast path for ordinary object paths', () => {
    assert.equal(plainPathname(hrefs[0] as string), '/dav/addressbooks/alice/contacts/0A1B-2C.vcf');
    assert.equal(plainPathname(hrefs[1] as string), '/dav/calendars/alice/calendar/a%20b.ics');
    assert.equal(plainPathname('http://h/dav/cal/..'), undefined);
  });
});

describe('toResponse: bodiless answers', () => {
  it('say Content-Length: 0 (no empty chunked body), except 204 and 304 and a HEAD that gives its own length', () => {
    assert.equal(toResponse({ status: 201, headers: { ETag: '"x"' } }).headers.get('content-length'), '0');
    assert.equal(toResponse({ status: 412 }).headers.get('content-length'), '0');
    assert.equal(toResponse({ status: 204 }).headers.get('content-length'), null);
    assert.equal(toResponse({ status: 304, headers: { ETag: '"x"' } }).headers.get('content-length'), null);
    assert.equal(
      toResponse({ status: 200, headers: { 'Content-Length': '842' } }).headers.get('content-length'),
      '842',
    );
  });
});
