import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import { DavError } from '../dav/dav-error.ts';
import { Hrefs } from '../dav/path.ts';
import type { Resource } from '../dav/resource.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { APPLE_GROUP_V3, APPLE_V3, DAVX5_GROUP_V4, THUNDERBIRD_V4 } from './fixtures.ts';
import { memberName } from './member-href.ts';
import { addressbookMultiget } from './multiget.ts';
import { flatten, testContext, xml } from './test-support.ts';

const ref = { owner: 'alice@example.com', home: 'addressbooks' as const, id: 'contacts' };
const BOOK = '/dav/addressbooks/alice@example.com/contacts/';
const enc = (s: string) => new TextEncoder().encode(s);
const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"';

async function book() {
  const backend = new MemoryBackend();
  const info = await backend.seedCollection(ref, 'addressbook');
  const cards = {
    'apple.vcf': APPLE_V3,
    'tb.vcf': THUNDERBIRD_V4,
    'group.vcf': DAVX5_GROUP_V4,
    'apple group.vcf': APPLE_GROUP_V3,
  };
  let n = 0;
  for (const [name, text] of Object.entries(cards)) {
    await backend.seedObject(ref, name, {
      body: enc(text),
      contentType: 'text/vcard; charset=utf-8',
      uid: String(n++),
    });
  }
  const target: Resource = { type: 'collection', info, backend };
  return { backend, info, target };
}

const multiget = (hrefs: string[], prop = '<D:prop><D:getetag/><C:address-data/></D:prop>') =>
  `<C:addressbook-multiget ${NS}>${prop}${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:addressbook-multiget>`;

async function run(target: Resource, body: string) {
  const ctx = testContext(undefined, { depth: undefined });
  return flatten(await addressbookMultiget.run(ctx, target, addressbookMultiget.parse(ctx, xml(body))));
}

describe('addressbook-multiget (RFC 6352 §8.7)', () => {
  it('returns etag and address-data for each href, in request order', async () => {
    const { backend, target } = await book();
    const rs = await run(target, multiget([`${BOOK}tb.vcf`, `${BOOK}apple.vcf`]));
    assert.deepEqual(
      rs.map((r) => r.href),
      [`${BOOK}tb.vcf`, `${BOOK}apple.vcf`],
    );
    const [tb] = await backend.getObjects(ref, ['tb.vcf']);
    assert.deepEqual(rs[0].props[200], { [dav('getetag')]: `"${tb.etag}"`, [carddav('address-data')]: THUNDERBIRD_V4 });
    assert.equal(rs[1].props[200][carddav('address-data')], APPLE_V3);
  });

  it('an href to a missing object is a 404 response, the others still answer', async () => {
    const { target } = await book();
    const rs = await run(target, multiget([`${BOOK}gone.vcf`, `${BOOK}group.vcf`]));
    assert.deepEqual(rs[0], { href: `${BOOK}gone.vcf`, status: 'HTTP/1.1 404 Not Found', props: {}, errors: [] });
    assert.equal(rs[1].props[200][carddav('address-data')], DAVX5_GROUP_V4);
  });

  it('hrefs outside the address book are 404', async () => {
    const { target } = await book();
    const rs = await run(target, multiget(['/dav/addressbooks/bob/contacts/apple.vcf', '/elsewhere/apple.vcf', BOOK]));
    assert.deepEqual(
      rs.map((r) => r.status),
      Array(3).fill('HTTP/1.1 404 Not Found'),
    );
  });

  it('accepts absolute URLs and differently encoded hrefs (quirks Q05)', async () => {
    const { target } = await book();
    const rs = await run(
      target,
      multiget([
        'https://dav.example.com/dav/addressbooks/alice%40example.com/contacts/apple%20group.vcf',
        '/dav/addressbooks/alice@example.com/contacts/apple.vcf',
      ]),
    );
    assert.deepEqual(
      rs.map((r) => r.href),
      [`${BOOK}apple%20group.vcf`, `${BOOK}apple.vcf`],
    );
    assert.equal(rs[0].props[200][carddav('address-data')], APPLE_GROUP_V3);
  });

  it('a repeated href is answered once', async () => {
    const { target } = await book();
    assert.equal((await run(target, multiget([`${BOOK}tb.vcf`, `${BOOK}tb.vcf`]))).length, 1);
  });

  it('partial address-data works in multiget too', async () => {
    const { target } = await book();
    const [r] = await run(
      target,
      multiget([`${BOOK}group.vcf`], '<D:prop><C:address-data><C:prop name="MEMBER"/></C:address-data></D:prop>'),
    );
    assert.equal(
      r.props[200][carddav('address-data')],
      'BEGIN:VCARD\r\nVERSION:4.0\r\nMEMBER:urn:uuid:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d\r\nMEMBER:urn:uuid:6B29FC40-CA47-1067-B31D-00DD010662DA\r\nEND:VCARD\r\n',
    );
  });

  it('works with an address object as Request-URI', async () => {
    const { backend, info } = await book();
    const obj: Resource = { type: 'object', collection: info, backend, ref: { name: 'tb.vcf', etag: 'x' } };
    const rs = await run(obj, multiget([`${BOOK}tb.vcf`]));
    assert.equal(rs[0].props[200][carddav('address-data')], THUNDERBIRD_V4);
  });

  it('400 without hrefs; 403 number-of-matches-within-limits above limits.maxMultigetHrefs', () => {
    const ctx = testContext();
    assert.throws(
      () => addressbookMultiget.parse(ctx, xml(multiget([]))),
      (e: unknown) => e instanceof DavError && e.status === 400,
    );
    const many = Array.from({ length: ctx.limits.maxMultigetHrefs + 1 }, (_, i) => `${BOOK}${i}.vcf`);
    assert.throws(
      () => addressbookMultiget.parse(ctx, xml(multiget(many))),
      (e: unknown) =>
        e instanceof DavError && e.status === 403 && e.condition === dav('number-of-matches-within-limits'),
    );
  });

  it('supported-address-data: 403 for an unsupported address-data type', () => {
    assert.throws(
      () =>
        addressbookMultiget.parse(
          testContext(),
          xml(multiget([`${BOOK}tb.vcf`], '<D:prop><C:address-data content-type="text/x-vcard"/></D:prop>')),
        ),
      (e: unknown) => e instanceof DavError && e.condition === carddav('supported-address-data'),
    );
  });
});

describe('memberName', () => {
  const hrefs = new Hrefs('/dav');
  it('maps paths and URLs under the collection to a member name', () => {
    assert.equal(memberName(hrefs, ref, `${BOOK}a.vcf`), 'a.vcf');
    assert.equal(memberName(hrefs, ref, `http://h:8080${BOOK}a%20b.vcf`), 'a b.vcf');
    assert.equal(memberName(hrefs, ref, `${BOOK}a.vcf?x=1`), 'a.vcf');
  });
  it('refuses the collection itself, deeper paths, encoded slashes and bad escapes', () => {
    for (const h of [
      BOOK,
      `${BOOK}sub/a.vcf`,
      `${BOOK}a%2Fb.vcf`,
      `${BOOK}%E0%A4%A.vcf`,
      `${BOOK}..`,
      '/dav/addressbooks/alice@example.com/other/a.vcf',
    ]) {
      assert.equal(memberName(hrefs, ref, h), undefined, h);
    }
  });
  it('works with an empty prefix (DAV at the host root)', () => {
    assert.equal(memberName(new Hrefs(''), ref, '/addressbooks/alice@example.com/contacts/x.vcf'), 'x.vcf');
  });
});
