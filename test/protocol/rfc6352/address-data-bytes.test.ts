// RFC 6352 §10.4 address-data (and RFC 4791 §9.6 calendar-data) served as stored: the multistatus
// carries the stored bytes, escaped (XML 1.0 §2.4; CR as &#13; so CRLF survives §2.11), never
// re-encoded. Bodies that are not valid UTF-8 (external SQL writers) still give well-formed XML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, ICS } from '../../support/app.ts';
import { parseMultistatus, textOf } from '../../support/xml-assert.ts';

const BOOK = '/dav/addressbooks/alice/contacts/';
const CAL = '/dav/calendars/alice/calendar/';
const ADDRESS_DATA = '{urn:ietf:params:xml:ns:carddav}address-data';
const CALENDAR_DATA = '{urn:ietf:params:xml:ns:caldav}calendar-data';
const CARD_HEADERS = { 'Content-Type': 'text/vcard; charset=utf-8' };

const TRICKY_CARD = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'UID:tricky-1',
  'FN:Zoë Müller-日本 😀',
  'N:Müller;Zoë;;;',
  'ORG:Müller & Söhne <KG>',
  'NOTE:a < b && c > d\\, CR-LF ends kept',
  'END:VCARD',
  '',
].join('\r\n');

const multiget = (hrefs: string[]) =>
  `<?xml version="1.0"?><card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop>${hrefs.map((h) => `<d:href>${h}</d:href>`).join('')}</card:addressbook-multiget>`;

async function storedBody(
  t: Awaited<ReturnType<typeof createTestApp>>,
  home: 'addressbooks' | 'calendars',
  id: string,
  name: string,
) {
  const [o] = await t.backend.getObjects({ owner: 'alice', home, id }, [name]);
  assert.ok(o, `${name} is stored`);
  return Buffer.from(o.body);
}

describe('RFC 6352 §10.4: address-data served as stored bytes', () => {
  it('§8.7 multiget: &, <, >, non-ASCII and CRLF come back as exactly the stored bytes', async () => {
    const t = await createTestApp();
    const put = await t.request('PUT', `${BOOK}tricky.vcf`, { body: TRICKY_CARD, headers: CARD_HEADERS });
    assert.equal(put.status, 201);
    const r = await t.request('REPORT', BOOK, { body: multiget([`${BOOK}tricky.vcf`]), headers: { Depth: '1' } });
    assert.equal(r.status, 207);
    assert.match(r.text, /ORG:Müller &amp; Söhne &lt;KG&gt;&#13;\n/);
    const ms = parseMultistatus(r.text);
    const data = ms.byHref.get(`${BOOK}tricky.vcf`)?.props.get(ADDRESS_DATA);
    assert.equal(data?.status, 200);
    assert.ok(data);
    assert.deepEqual(
      Buffer.from(textOf(data.el), 'utf8'),
      await storedBody(t, 'addressbooks', 'contacts', 'tricky.vcf'),
    );
    assert.equal(textOf(data.el), TRICKY_CARD);
  });

  it('a card stored as invalid UTF-8 or with a BOM (written around the server) still gives well-formed XML', async () => {
    const t = await createTestApp();
    const ref = { owner: 'alice', home: 'addressbooks' as const, id: 'contacts' };
    const card = (uid: string) => Buffer.from(TRICKY_CARD.replace('tricky-1', uid), 'utf8');
    const invalid = Buffer.concat([
      card('bad-1').subarray(0, 30),
      Buffer.from([0xc3, 0x28, 0xff, 0xe2, 0x82]),
      card('bad-1').subarray(30),
    ]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), card('bom-1')]);
    await t.backend.putObject(ref, 'bad.vcf', { body: invalid, contentType: 'text/vcard', uid: 'bad-1' }, {});
    await t.backend.putObject(ref, 'bom.vcf', { body: bom, contentType: 'text/vcard', uid: 'bom-1' }, {});
    const r = await t.request('REPORT', BOOK, {
      body: multiget([`${BOOK}bad.vcf`, `${BOOK}bom.vcf`]),
      headers: { Depth: '1' },
    });
    assert.equal(r.status, 207);
    const ms = parseMultistatus(r.text);
    // The decoding path as before: replacement characters for invalid sequences, the BOM dropped.
    const bad = ms.byHref.get(`${BOOK}bad.vcf`)?.props.get(ADDRESS_DATA);
    assert.equal(bad?.status, 200);
    assert.equal(textOf(bad.el), new TextDecoder().decode(invalid));
    assert.match(textOf(bad.el), /\ufffd/);
    const withBom = ms.byHref.get(`${BOOK}bom.vcf`)?.props.get(ADDRESS_DATA);
    assert.equal(withBom?.status, 200);
    assert.equal(textOf(withBom.el), card('bom-1').toString('utf8'));
  });
});

describe('RFC 4791 §9.6: calendar-data served as stored bytes', () => {
  it('§7.9 calendar-multiget: markup, non-ASCII and CRLF come back as exactly the stored bytes', async () => {
    const t = await createTestApp();
    const ics = ICS('evt-1', 'Tea & cake <with> Zoë 日本 😀');
    const headers = { 'Content-Type': 'text/calendar; charset=utf-8' };
    assert.equal((await t.request('PUT', `${CAL}evt.ics`, { body: ics, headers })).status, 201);
    const body = `<?xml version="1.0"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>${CAL}evt.ics</D:href></C:calendar-multiget>`;
    const r = await t.request('REPORT', CAL, { body, headers: { Depth: '1' } });
    assert.equal(r.status, 207);
    assert.match(r.text, /SUMMARY:Tea &amp; cake &lt;with&gt; Zoë 日本 😀&#13;\n/);
    const data = parseMultistatus(r.text).byHref.get(`${CAL}evt.ics`)?.props.get(CALENDAR_DATA);
    assert.equal(data?.status, 200);
    assert.deepEqual(Buffer.from(textOf(data.el), 'utf8'), await storedBody(t, 'calendars', 'calendar', 'evt.ics'));
  });
});
