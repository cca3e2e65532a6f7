// An unknown User-Agent (or none) gets the standard behaviour: no profile, RFC answers where a
// profile would deviate; and no code outside src/quirks reads the User-Agent (DESIGN.md §Quirks).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkTree } from '../../../scripts/check-boundaries.ts';
import { createLogger } from '../../../src/http/logger.ts';
import { createTestApp } from '../../support/app.ts';
import { parseMultistatus } from '../../support/xml-assert.ts';

const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';
const UNKNOWN = [
  '',
  'curl/8.5.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  'MyScript/0.1',
];
const VCARD4 =
  'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:v4\r\nFN:Vera Four\r\nKIND:group\r\nMEMBER:urn:uuid:x\r\nEND:VCARD\r\n';
const INVITE = (partstat: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:inv\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\nSUMMARY:x\r\nATTENDEE;PARTSTAT=${partstat}:mailto:alice@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

async function setup(logLines?: string[]) {
  const log = logLines ? createLogger('info', (l) => logLines.push(l)) : undefined;
  const t = await createTestApp(log ? { deps: { log } } : {});
  await t.request('PROPPATCH', CAL, {
    body: '<d:propertyupdate xmlns:d="DAV:" xmlns:i="http://apple.com/ns/ical/"><d:set><d:prop><i:calendar-color>#3366CC</i:calendar-color></d:prop></d:set></d:propertyupdate>',
  });
  await t.request('PUT', `${BOOK}v4.vcf`, { body: VCARD4, headers: { 'Content-Type': 'text/vcard' } });
  await t.request('PUT', `${CAL}stored.ics`, {
    body: INVITE('NEEDS-ACTION'),
    headers: { 'Content-Type': 'text/calendar' },
  });
  await t.request('MKCOL', '/dav/addressbooks/alice/work/', {
    body: '<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>',
  });
  return t;
}

describe('unknown User-Agent: standard behaviour', () => {
  for (const ua of UNKNOWN) {
    it(`"${ua}": no profile recorded, RFC answers where profiles deviate`, async () => {
      const lines: string[] = [];
      const t = await setup(lines);
      const h: Record<string, string> = ua ? { 'User-Agent': ua } : {};
      // RFC 6578 §3.2: an unknown token is 403 valid-sync-token (Thunderbird's profile says 400).
      const sync = await t.request('REPORT', BOOK, {
        body: '<d:sync-collection xmlns:d="DAV:"><d:sync-token>http://example.invalid/sync/1</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>',
        headers: h,
      });
      assert.equal(sync.status, 403);
      assert.match(sync.text, /valid-sync-token/);
      // RFC 4791 §5.3.2.1: a UID held by another object is 403 no-uid-conflict (Thunderbird adopts it).
      const put = await t.request('PUT', `${CAL}guessed.ics`, {
        body: INVITE('ACCEPTED'),
        headers: { ...h, 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
      });
      assert.equal(put.status, 403);
      assert.match(put.text, /no-uid-conflict/);
      // Properties as stored: colour without alpha (Apple gets #RRGGBBFF), content type with charset.
      const props = parseMultistatus(
        (
          await t.request('PROPFIND', CAL, {
            body: '<d:propfind xmlns:d="DAV:" xmlns:i="http://apple.com/ns/ical/"><d:prop><i:calendar-color/><d:getcontenttype/></d:prop></d:propfind>',
            headers: { ...h, Depth: '1' },
          })
        ).text,
      );
      assert.equal(
        props.byHref.get(CAL)?.props.get('{http://apple.com/ns/ical/}calendar-color')?.el.children[0],
        '#3366CC',
      );
      assert.equal(
        props.byHref.get(`${CAL}stored.ics`)?.props.get('{DAV:}getcontenttype')?.el.children[0],
        'text/calendar; charset=utf-8',
      );
      // Every address book in the home (macOS Contacts sees one aggregate), vCards as stored.
      const home = parseMultistatus(
        (
          await t.request('PROPFIND', '/dav/addressbooks/alice/', {
            body: '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>',
            headers: { ...h, Depth: '1' },
          })
        ).text,
      );
      assert.deepEqual(home.responses.map((r) => r.href).sort(), [
        '/dav/addressbooks/alice/',
        BOOK,
        '/dav/addressbooks/alice/work/',
      ]);
      const got = await t.request('GET', `${BOOK}v4.vcf`, { headers: h });
      assert.equal(got.text, VCARD4);
      assert.ok(got.headers.get('etag'));

      const entries = lines.map((l) => JSON.parse(l)).filter((e) => e.msg === 'request');
      assert.ok(entries.length >= 5);
      for (const e of entries.slice(-5)) {
        assert.deepEqual(e.quirks, []);
        assert.equal(e.clientVersion, undefined);
      }
    });
  }

  it('a known client is recorded in the access log with its profile and version', async () => {
    const lines: string[] = [];
    const t = await setup(lines);
    await t.request('OPTIONS', CAL, {
      headers: {
        'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Thunderbird/102.6.1',
      },
    });
    const last = JSON.parse(lines[lines.length - 1]);
    assert.deepEqual(last.quirks, ['thunderbird']);
    assert.equal(last.clientVersion, '102.6.1');
  });
});

describe('DESIGN.md: only src/quirks reads the User-Agent', () => {
  it('the boundary checker finds no User-Agent read outside src/quirks in src/ and adapters/', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const { files, violations } = await checkTree(root);
    assert.ok(files > 100, `checked ${files} files`);
    assert.deepEqual(
      violations.filter((v) => v.rule === 'user-agent').map((v) => `${v.file}:${v.line}`),
      [],
    );
  });
});
