import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import type { CollectionInfo } from '../backend/types.ts';
import { renderResponses } from '../dav/props/render.ts';
import type { Resource } from '../dav/resource.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { el, elements, textOf, type XmlElement } from '../dav/xml/tree.ts';
import type { QuirkProfile } from '../quirks/profile.ts';
import { attr } from './address-data.ts';
import { APPLE_V3, THUNDERBIRD_V4 } from './fixtures.ts';
import { flatten, testContext, xml } from './test-support.ts';

const ref = { owner: 'alice', home: 'addressbooks' as const, id: 'contacts' };
const enc = (s: string) => new TextEncoder().encode(s);

async function setup() {
  const backend = new MemoryBackend();
  const info = await backend.seedCollection(ref, 'addressbook', {
    displayName: 'Contacts',
    description: 'Friends & family',
  });
  await backend.seedObject(ref, 'apple.vcf', { body: enc(APPLE_V3), contentType: 'text/vcard', uid: 'a' });
  const [object] = await backend.getObjects(ref, ['apple.vcf']);
  const collection: Resource = { type: 'collection', info, backend };
  const card: Resource = {
    type: 'object',
    collection: info,
    backend,
    ref: { name: object.name, etag: object.etag },
    object,
  };
  return { backend, info, collection, card };
}

/** The property element inside a rendered response's 200 propstat. */
function propElement(response: XmlElement, name: string): XmlElement {
  const found = elements(response)
    .filter((e) => e.name === dav('propstat'))
    .flatMap((ps) => elements(elements(ps)[0]))
    .find((p) => p.name === name);
  assert.ok(found, `${name} in the response`);
  return found;
}

async function propValues(res: Resource, props: string, ctx = testContext()) {
  const body = xml(`<D:prop xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">${props}</D:prop>`);
  const [r] = await renderResponses(ctx, [res], {
    kind: 'prop',
    props: body.children.filter((c) => typeof c !== 'string'),
  });
  return r;
}

describe('CardDAV collection properties (RFC 6352 §6.2)', () => {
  it('§6.2.1 addressbook-description, §6.2.3 max-resource-size from the limits', async () => {
    const { collection } = await setup();
    const [r] = flatten({
      status: 207,
      body: el(dav('multistatus'), [
        await propValues(collection, '<C:addressbook-description/><C:max-resource-size/>'),
      ]),
    });
    assert.equal(r.href, '/dav/addressbooks/alice/contacts/');
    assert.deepEqual(r.props[200], {
      [carddav('addressbook-description')]: 'Friends & family',
      [carddav('max-resource-size')]: '100000',
    });
  });

  it('§6.2.2 supported-address-data lists vCard 3.0 and 4.0 (DAVx5 asks for 4.0 only when listed, quirks Q23)', async () => {
    const { collection } = await setup();
    const value = propElement(
      await propValues(collection, '<C:supported-address-data/>'),
      carddav('supported-address-data'),
    );
    assert.deepEqual(
      elements(value).map((t) => [t.name, attr(t, 'content-type'), attr(t, 'version')]),
      [
        [carddav('address-data-type'), 'text/vcard', '3.0'],
        [carddav('address-data-type'), 'text/vcard', '4.0'],
      ],
    );
  });

  it('§8.3.1 supported-collation-set names the three collations', async () => {
    const { collection } = await setup();
    const value = propElement(
      await propValues(collection, '<C:supported-collation-set/>'),
      carddav('supported-collation-set'),
    );
    assert.deepEqual(
      elements(value).map((c) => [c.name, textOf(c)]),
      ['i;ascii-casemap', 'i;octet', 'i;unicode-casemap'].map((c) => [carddav('supported-collation'), c]),
    );
  });

  it('addressbook-description is 404 on an address book without one and on calendars', async () => {
    const backend = new MemoryBackend();
    const plain = await backend.seedCollection(ref, 'addressbook');
    const cal = await backend.seedCollection({ owner: 'alice', home: 'calendars', id: 'work' }, 'calendar');
    for (const info of [plain, cal] as CollectionInfo[]) {
      const [r] = flatten({
        status: 207,
        body: el(dav('multistatus'), [
          await propValues({ type: 'collection', info, backend }, '<C:addressbook-description/>'),
        ]),
      });
      assert.deepEqual(Object.keys(r.props[404]), [carddav('addressbook-description')]);
    }
  });

  it('addressbook-description is settable: PROPPATCH set/remove become a collection patch', async () => {
    const { collection } = await setup();
    const ctx = testContext();
    const def = ctx.props.get(carddav('addressbook-description'));
    assert.ok(def && !def.protected && def.toPatch);
    const value = xml(
      '<C:addressbook-description xmlns:C="urn:ietf:params:xml:ns:carddav">Work people</C:addressbook-description>',
    );
    assert.deepEqual(def.toPatch(ctx, collection, value), { description: 'Work people' });
    assert.deepEqual(def.toPatch(ctx, collection, null), { description: null });
  });

  it('protected live properties and allprop (RFC 6352: SHOULD NOT be returned by allprop)', () => {
    const ctx = testContext();
    for (const n of [
      'supported-address-data',
      'max-resource-size',
      'supported-collation-set',
      'address-data',
      'addressbook-home-set',
    ]) {
      const def = ctx.props.get(carddav(n));
      assert.ok(def?.protected, n);
      assert.equal(def?.allprop, false, n);
    }
  });
});

describe('principal property (RFC 6352 §7.1.1)', () => {
  it("addressbook-home-set is the principal's address book home under the prefix", async () => {
    const r = await propValues({ type: 'principal', user: 'bob@example.com' }, '<C:addressbook-home-set/>');
    const [href] = elements(propElement(r, carddav('addressbook-home-set')));
    assert.equal(href.name, dav('href'));
    assert.equal(textOf(href), '/dav/addressbooks/bob@example.com/');
  });
});

describe('address-data on address objects (RFC 6352 §10.4)', () => {
  it('returns the stored vCard unchanged', async () => {
    const { card } = await setup();
    const [r] = flatten({ status: 207, body: el(dav('multistatus'), [await propValues(card, '<C:address-data/>')]) });
    assert.equal(r.props[200][carddav('address-data')], APPLE_V3);
  });

  it('§10.4 version="4.0" of a stored 3.0 card converts it (quirks Q23)', async () => {
    const { card } = await setup();
    const [r] = flatten({
      status: 207,
      body: el(dav('multistatus'), [
        await propValues(card, '<C:address-data content-type="text/vcard" version="4.0"/>'),
      ]),
    });
    const text = r.props[200][carddav('address-data')];
    assert.match(text, /^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    assert.match(text, /\r\nPHOTO:data:image\/jpeg;base64,\/9j\//);
    assert.doesNotMatch(text, /ENCODING=/);
  });

  it('without a version attribute the stored form is returned', async () => {
    const { card } = await setup();
    const [r] = flatten({
      status: 207,
      body: el(dav('multistatus'), [await propValues(card, '<C:address-data/>')]),
    });
    assert.equal(r.props[200][carddav('address-data')], APPLE_V3);
  });

  it('§10.4.2 <C:prop name> selects properties', async () => {
    const { card } = await setup();
    const [r] = flatten({
      status: 207,
      body: el(dav('multistatus'), [
        await propValues(card, '<C:address-data><C:prop name="FN"/><C:prop name="UID"/></C:address-data>'),
      ]),
    });
    assert.equal(
      r.props[200][carddav('address-data')],
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Jörg Müller\r\nUID:6B29FC40-CA47-1067-B31D-00DD010662DA\r\nEND:VCARD\r\n',
    );
  });

  it('applies quirk payloadOut hooks, as GET does', async () => {
    const { card } = await setup();
    const upper: QuirkProfile = {
      id: 'test',
      description: 'test',
      evidence: [],
      match: /x/,
      options: {},
      payloadOut: (_type, body) => body.replace('Dr. ', ''),
    };
    const [r] = flatten({
      status: 207,
      body: el(dav('multistatus'), [
        await propValues(card, '<C:address-data/>', testContext(undefined, { quirks: [upper] })),
      ]),
    });
    assert.match(r.props[200][carddav('address-data')], /\r\nFN:Jörg Müller\r\n/);
  });

  it('loads the body when the object was not loaded yet (needsBody)', async () => {
    const backend = new MemoryBackend();
    const info = await backend.seedCollection(ref, 'addressbook');
    const put = await backend.seedObject(ref, 'tb.vcf', {
      body: enc(THUNDERBIRD_V4),
      contentType: 'text/vcard',
      uid: 't',
    });
    const res: Resource = { type: 'object', collection: info, backend, ref: { name: 'tb.vcf', etag: put.etag } };
    const [r] = flatten({ status: 207, body: el(dav('multistatus'), [await propValues(res, '<C:address-data/>')]) });
    assert.equal(r.props[200][carddav('address-data')], THUNDERBIRD_V4);
  });
});
