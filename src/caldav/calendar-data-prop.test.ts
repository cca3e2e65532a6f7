// RFC 4791 §9.6 calendar-data as a property (props.ts): gateway annotations are found in the decoded
// text as the byte search finds them in the body, and RFC 7809 CalDAV-Timezones is read per request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PropertyRegistry } from '../dav/props/registry.ts';
import type { Resource } from '../dav/resource.ts';
import { caldav } from '../dav/xml/names.ts';
import { el, textOf } from '../dav/xml/tree.ts';
import { ANNOTATION_PREFIX, hasAnnotations } from './annotations.ts';
import { caldavProperties } from './props.ts';
import { calendarInfo, FakeBackend, fixture, testContext } from './test-support.ts';

const enc = new TextEncoder();
const calendarData = caldavProperties.find((p) => p.name === caldav('calendar-data'));

function objectOf(body: Uint8Array): Resource {
  const object = {
    name: 'a.ics',
    etag: 'x',
    body,
    contentType: 'text/calendar',
    lastModified: new Date(0),
    deadProps: {},
  };
  return { type: 'object', collection: calendarInfo(), backend: new FakeBackend(), ref: object, object };
}

async function render(body: Uint8Array, headers: Record<string, string> = {}): Promise<string> {
  const ctx = testContext({
    props: new PropertyRegistry().register(...caldavProperties),
    requestHeaders: new Headers(headers),
  });
  const out = await calendarData?.get(ctx, objectOf(body), el(caldav('calendar-data')));
  assert.ok(out);
  return textOf(el(caldav('calendar-data'), out));
}

/** Bytes around the marker that are not valid UTF-8 on their own (cut sequences, stray continuations). */
const NOISE = [[], [0xe2], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xc3], [0xff], [0xed, 0xa0, 0x80]];

describe('calendar-data property (RFC 4791 §9.6; annotations.ts; RFC 7809 §3.1)', () => {
  it('the decoded text holds the annotation marker exactly when the stored bytes do', () => {
    const marker = [...enc.encode(ANNOTATION_PREFIX)];
    const near = [...enc.encode(ANNOTATION_PREFIX.slice(0, -1))];
    for (const before of NOISE) {
      for (const after of NOISE) {
        for (const middle of [marker, near, [...near, 0xc3, 0xa9], [0x58, 0xe2, ...marker.slice(1)]]) {
          const bytes = Uint8Array.from([0x41, ...before, ...middle, ...after, 0x0a]);
          const text = new TextDecoder('utf-8').decode(bytes);
          assert.equal(text.includes(ANNOTATION_PREFIX), hasAnnotations(bytes), JSON.stringify([...bytes]));
        }
      }
    }
  });

  it('an annotated object is served without its annotations, even next to invalid bytes', async () => {
    const text = fixture('rfc4791/abcd1.ics');
    const annotated = text.replace(/^DTSTART;TZID=([^:]+):/m, 'DTSTART;TZID=$1;X-DAVGATE-TZID="W. Europe":');
    assert.notEqual(annotated, text);
    const body = Uint8Array.from([...enc.encode(annotated.replace('SUMMARY:', 'SUMMARY:\u00e9')), 0xe2]);
    const out = await render(body);
    assert.doesNotMatch(out, /X-DAVGATE/);
    assert.match(out, /SUMMARY:\u00e9/);
  });

  it('an object without annotations comes back byte for byte', async () => {
    const text = fixture('rfc4791/abcd1.ics');
    assert.equal(await render(enc.encode(text)), text);
  });

  it('RFC 7809 §3.1: CalDAV-Timezones: F is read from each request', async () => {
    const text = fixture('rfc4791/abcd1.ics');
    assert.match(text, /BEGIN:VTIMEZONE/);
    const body = enc.encode(text);
    assert.doesNotMatch(await render(body, { 'CalDAV-Timezones': 'F' }), /BEGIN:VTIMEZONE/);
    assert.equal(await render(body, { 'CalDAV-Timezones': 'T' }), text);
    assert.equal(await render(body), text);
    assert.doesNotMatch(await render(body, { 'CalDAV-Timezones': ' f ' }), /BEGIN:VTIMEZONE/);
  });
});
