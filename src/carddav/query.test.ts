import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import type { Backend } from '../backend/port.ts';
import { DavError } from '../dav/dav-error.ts';
import type { Resource } from '../dav/resource.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { APPLE_V3, INTEROP_SAMPLES, THUNDERBIRD_V4 } from './fixtures.ts';
import { addressbookQuery } from './query.ts';
import { flatten, testContext, withoutQuery, xml } from './test-support.ts';

const ref = { owner: 'alice', home: 'addressbooks' as const, id: 'contacts' };
const BOOK = '/dav/addressbooks/alice/contacts/';
const enc = (s: string) => new TextEncoder().encode(s);
const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"';

async function book(): Promise<{ backend: MemoryBackend; target: Resource }> {
  const backend = new MemoryBackend();
  const info = await backend.seedCollection(ref, 'addressbook');
  for (const [i, text] of INTEROP_SAMPLES.entries()) {
    await backend.seedObject(ref, `card${i}.vcf`, { body: enc(text), contentType: 'text/vcard', uid: `interop-${i}` });
  }
  return { backend, target: { type: 'collection', info, backend } };
}

async function run(backend: Backend, target: Resource, body: string, depth: '0' | '1' = '1') {
  const ctx = testContext(backend, { depth });
  const q = addressbookQuery.parse(ctx, xml(body));
  return flatten(await addressbookQuery.run(ctx, target, q));
}

const query = (filter: string, extra = '', prop = '<D:getetag/>') =>
  `<C:addressbook-query ${NS}><D:prop>${prop}</D:prop>${filter}${extra}</C:addressbook-query>`;
const jonny =
  '<C:filter><C:prop-filter name="NICKNAME"><C:text-match match-type="starts-with">Jonny</C:text-match></C:prop-filter></C:filter>';

describe('addressbook-query (RFC 6352 §8.6)', () => {
  for (const [label, wrap] of [
    ['backend with query()', (b: Backend) => b],
    ['backend without query(): list + get', withoutQuery],
  ] as const) {
    it(`${label}: returns the matching objects with their etags`, async () => {
      const { backend, target } = await book();
      const filter =
        '<C:filter><C:prop-filter name="EMAIL"><C:text-match>example.com</C:text-match></C:prop-filter></C:filter>';
      const rs = await run(wrap(backend), target, query(filter));
      assert.deepEqual(
        rs.map((r) => r.href),
        [`${BOOK}card0.vcf`],
      );
      const [obj] = await backend.getObjects(ref, ['card0.vcf']);
      assert.deepEqual(rs[0].props[200], { [dav('getetag')]: `"${obj.etag}"` });
    });
  }

  it('returns address-data of matching cards', async () => {
    const { backend, target } = await book();
    const filter = '<C:filter><C:prop-filter name="item1.EMAIL"/></C:filter>';
    const [r] = await run(backend, target, query(filter, '', '<D:getetag/><C:address-data/>'));
    assert.equal(r.href, `${BOOK}card3.vcf`);
    assert.equal(r.props[200][carddav('address-data')], INTEROP_SAMPLES[3]);
  });

  it('partial retrieval: only the requested vCard properties come back (carddavclient testQueryWithPartialAddressData)', async () => {
    const { backend, target } = await book();
    const rs = await run(
      backend,
      target,
      query(jonny, '', '<C:address-data><C:prop name="EMAIL"/><C:prop name="TEL"/></C:address-data>'),
    );
    assert.equal(rs.length, 4);
    for (const r of rs) assert.doesNotMatch(r.props[200][carddav('address-data')], /NICKNAME/);
    assert.match(rs[2].props[200][carddav('address-data')], /\r\nTEL;TYPE=HOME:12345\r\nTEL:555\r\n/);
  });

  it('quirks Q12: no filter (KDE) or an empty one (DAVdroid) returns every card', async () => {
    const { backend, target } = await book();
    assert.equal((await run(backend, target, query(''))).length, 4);
    assert.equal((await run(backend, target, query('<C:filter/>'))).length, 4);
  });

  it('quirks Q12: Depth 0 on the address book is answered like Depth 1', async () => {
    const { backend, target } = await book();
    assert.equal((await run(backend, target, query(jonny), '0')).length, 4);
  });

  it('on an address object it tests that object only', async () => {
    const { backend, target } = await book();
    if (target.type !== 'collection') throw new Error('setup');
    const [o] = await backend.getObjects(ref, ['card2.vcf']);
    const obj: Resource = { type: 'object', collection: target.info, backend, ref: { name: o.name, etag: o.etag } };
    const hasTel = '<C:filter><C:prop-filter name="TEL"/></C:filter>';
    assert.deepEqual(
      (await run(backend, obj, query(hasTel), '0')).map((r) => r.href),
      [`${BOOK}card2.vcf`],
    );
    const hasEmail = '<C:filter><C:prop-filter name="EMAIL"/></C:filter>';
    assert.deepEqual(await run(backend, obj, query(hasEmail), '0'), []);
  });

  it('skips a stored object that is not a parsable vCard instead of failing the report', async () => {
    const { backend, target } = await book();
    await backend.seedObject(ref, 'broken.vcf', {
      body: enc('BEGIN:VCARD\r\nVERSION:3.0\r\ngarbage\r\nEND:VCARD\r\n'),
      contentType: 'text/vcard',
    });
    assert.equal((await run(backend, target, query(jonny))).length, 4);
  });

  it('matches vCard 3.0 and 4.0 client cards alike', async () => {
    const backend = new MemoryBackend();
    const info = await backend.seedCollection(ref, 'addressbook');
    await backend.seedObject(ref, 'apple.vcf', { body: enc(APPLE_V3), contentType: 'text/vcard', uid: 'a' });
    await backend.seedObject(ref, 'tb.vcf', { body: enc(THUNDERBIRD_V4), contentType: 'text/vcard', uid: 't' });
    const filter =
      '<C:filter><C:prop-filter name="EMAIL"><C:text-match match-type="ends-with">.example</C:text-match></C:prop-filter></C:filter>';
    const rs = await run(backend, { type: 'collection', info, backend }, query(filter));
    assert.deepEqual(
      rs.map((r) => r.href),
      [`${BOOK}apple.vcf`, `${BOOK}tb.vcf`],
    );
  });
});

describe('addressbook-query limit (RFC 6352 §8.6.1)', () => {
  const limit = (n: number) => `<C:limit><C:nresults>${n}</C:nresults></C:limit>`;

  for (const n of [1, 2, 3]) {
    it(`nresults ${n} of 4 matches: ${n} responses plus 507 number-of-matches-within-limits on the Request-URI`, async () => {
      const { backend, target } = await book();
      const rs = await run(backend, target, query(jonny, limit(n)));
      assert.equal(rs.length, n + 1);
      assert.deepEqual(
        rs.slice(0, n).map((r) => r.href),
        ['card0', 'card1', 'card2'].slice(0, n).map((c) => `${BOOK}${c}.vcf`),
      );
      const last = rs[n];
      assert.equal(last.href, BOOK);
      assert.equal(last.status, 'HTTP/1.1 507 Insufficient Storage');
      assert.deepEqual(last.errors, [dav('number-of-matches-within-limits')]);
    });
  }

  it('no 507 when the matches fit exactly', async () => {
    const { backend, target } = await book();
    const rs = await run(withoutQuery(backend), target, query(jonny, limit(4)));
    assert.equal(rs.length, 4);
    assert.ok(rs.every((r) => r.status === undefined));
  });

  it('400 for a limit that is not a positive integer', () => {
    for (const bad of ['0', '-1', 'ten', '']) {
      assert.throws(
        () => addressbookQuery.parse(testContext(), xml(query(jonny, limit(bad as never)))),
        (e: unknown) => e instanceof DavError && e.status === 400,
      );
    }
  });
});

describe('addressbook-query preconditions (RFC 6352 §8.6)', () => {
  const rejects = (body: string, condition: string) =>
    assert.throws(
      () => addressbookQuery.parse(testContext(), xml(body)),
      (e: unknown) => e instanceof DavError && e.status === 403 && e.condition === condition,
    );

  it('supported-collation for an unknown collation', () => {
    rejects(
      query(
        '<C:filter><C:prop-filter name="FN"><C:text-match collation="i;x-bogus">a</C:text-match></C:prop-filter></C:filter>',
      ),
      carddav('supported-collation'),
    );
  });

  it('supported-filter for a filter element the server does not know', () => {
    rejects(
      query('<C:filter><C:prop-filter name="BDAY"><C:time-range/></C:prop-filter></C:filter>'),
      carddav('supported-filter'),
    );
  });

  it('supported-address-data for jCard or vCard 2.1 in address-data', () => {
    rejects(
      query(jonny, '', '<C:address-data content-type="application/vcard+json"/>'),
      carddav('supported-address-data'),
    );
    rejects(query(jonny, '', '<C:address-data version="2.1"/>'), carddav('supported-address-data'));
  });
});

describe('addressbook-query applies to (supported-report-set)', () => {
  it('address books and address objects only', async () => {
    const { backend, target } = await book();
    if (target.type !== 'collection') throw new Error('setup');
    const cal = await backend.seedCollection({ owner: 'alice', home: 'calendars', id: 'work' }, 'calendar');
    assert.ok(addressbookQuery.appliesTo(target));
    assert.ok(
      addressbookQuery.appliesTo({ type: 'object', collection: target.info, backend, ref: { name: 'x', etag: 'e' } }),
    );
    assert.ok(!addressbookQuery.appliesTo({ type: 'collection', info: cal, backend }));
    assert.ok(!addressbookQuery.appliesTo({ type: 'home', home: 'addressbooks', user: 'alice' }));
    assert.ok(!addressbookQuery.appliesTo({ type: 'principal', user: 'alice' }));
  });
});
