// RFC 6352 through the whole stack: a client session on the default address book.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, VCF } from '../../support/app.ts';
import { parseMultistatus, textOf } from '../../support/xml-assert.ts';

const BOOK = '/dav/addressbooks/alice/contacts/';
const CARD = { 'Content-Type': 'text/vcard; charset=utf-8' };

describe('RFC 6352 CardDAV session', () => {
  it('§6.3.2: PUT a vCard, then addressbook-multiget returns address-data and etags (§8.7)', async () => {
    const t = await createTestApp();
    assert.equal((await t.request('PUT', `${BOOK}jane.vcf`, { body: VCF('jane-1'), headers: CARD })).status, 201);
    assert.equal(
      (await t.request('PUT', `${BOOK}joe.vcf`, { body: VCF('joe-1', 'Joe Bloggs'), headers: CARD })).status,
      201,
    );
    const body = `<?xml version="1.0"?><card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop><d:href>${BOOK}jane.vcf</d:href><d:href>${BOOK}joe.vcf</d:href><d:href>${BOOK}missing.vcf</d:href></card:addressbook-multiget>`;
    const r = await t.request('REPORT', BOOK, { body, headers: { Depth: '1' } });
    assert.equal(r.status, 207);
    const ms = parseMultistatus(r.text);
    assert.equal(
      textOf(ms.byHref.get(`${BOOK}jane.vcf`)!.props.get('{urn:ietf:params:xml:ns:carddav}address-data')!.el),
      VCF('jane-1'),
    );
    assert.match(
      textOf(ms.byHref.get(`${BOOK}joe.vcf`)!.props.get('{urn:ietf:params:xml:ns:carddav}address-data')!.el),
      /FN:Joe Bloggs/,
    );
    assert.equal(ms.byHref.get(`${BOOK}missing.vcf`)?.status, 404);
  });

  it('§8.6: addressbook-query with a text-match on FN finds only the matching card', async () => {
    const t = await createTestApp();
    await t.request('PUT', `${BOOK}jane.vcf`, { body: VCF('jane-1'), headers: CARD });
    await t.request('PUT', `${BOOK}joe.vcf`, { body: VCF('joe-1', 'Joe Bloggs'), headers: CARD });
    const body = `<?xml version="1.0"?><card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop><card:filter><card:prop-filter name="FN"><card:text-match collation="i;unicode-casemap" match-type="contains">bloggs</card:text-match></card:prop-filter></card:filter></card:addressbook-query>`;
    const r = await t.request('REPORT', BOOK, { body, headers: { Depth: '1' } });
    assert.equal(r.status, 207);
    assert.deepEqual(
      parseMultistatus(r.text).responses.map((x) => x.href),
      [`${BOOK}joe.vcf`],
    );
  });

  it('§6.3.2.1: invalid vCard data is 403 valid-address-data and nothing is stored', async () => {
    const t = await createTestApp();
    const r = await t.request('PUT', `${BOOK}bad.vcf`, { body: 'BEGIN:VCARD\r\nFN:x\r\n', headers: CARD });
    assert.equal(r.status, 403);
    assert.match(r.text, /valid-address-data/);
    assert.equal((await t.request('GET', `${BOOK}bad.vcf`)).status, 404);
  });

  it('§6.3.2.1: a second card with the same UID is 403 no-uid-conflict naming the existing href', async () => {
    const t = await createTestApp();
    await t.request('PUT', `${BOOK}jane.vcf`, { body: VCF('same'), headers: CARD });
    const r = await t.request('PUT', `${BOOK}jane2.vcf`, { body: VCF('same'), headers: CARD });
    assert.equal(r.status, 403);
    assert.match(r.text, /no-uid-conflict/);
    assert.match(r.text, new RegExp(`${BOOK}jane.vcf`));
  });

  it('§6.2.2: the address book advertises supported-address-data and max-resource-size', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', BOOK, {
      body: `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><card:supported-address-data/><card:max-resource-size/><d:supported-report-set/></d:prop></d:propfind>`,
      headers: { Depth: '0' },
    });
    const p = parseMultistatus(r.text).responses[0];
    assert.equal(p.props.get('{urn:ietf:params:xml:ns:carddav}supported-address-data')?.status, 200);
    assert.match(r.text, /version="4.0"/);
    assert.equal(textOf(p.props.get('{urn:ietf:params:xml:ns:carddav}max-resource-size')!.el), String(5 * 1024 * 1024));
    assert.match(r.text, /addressbook-multiget/);
    assert.match(r.text, /sync-collection/);
  });
});
