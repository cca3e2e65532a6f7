// The aggregated address book (quirks Q22) over memory backends: member naming, routing of writes,
// sources, privileges, and a home spread over two mounts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import { AggregateBackend, aggregatingRouter, DEFAULT_AGGREGATE } from './aggregate.ts';
import { MountRouter } from './mounts.ts';
import { BackendError } from './port.ts';
import type { CollectionRef } from './types.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const vcf = (uid: string) => ({
  body: enc(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${uid}\r\nEND:VCARD\r\n`),
  contentType: 'text/vcard',
  uid,
});
const book = (id: string): CollectionRef => ({ owner: 'alice', home: 'addressbooks', id });
const AGG = book('all-contacts');
const hex = (s: string) => Buffer.from(s).toString('hex');

async function setup() {
  const mem = new MemoryBackend();
  const dir = new MemoryBackend({ id: 'ldap', readonly: true });
  await mem.seedCollection(book('contacts'), 'addressbook', { displayName: 'Contacts' });
  await mem.seedCollection(book('family'), 'addressbook', {});
  await mem.seedCollection({ owner: 'alice', home: 'calendars', id: 'calendar' }, 'calendar', {});
  await dir.seedCollection(book('directory'), 'addressbook', {});
  await mem.seedObject(book('contacts'), 'jane.vcf', vcf('jane'));
  await mem.seedObject(book('contacts'), '~odd.vcf', vcf('odd'));
  await mem.seedObject(book('family'), 'mum.vcf', vcf('mum'));
  await dir.seedObject(book('directory'), 'boss.vcf', vcf('boss'));
  const router = new MountRouter([
    { id: 'default', backend: mem },
    { id: 'ldap', backend: dir, homes: ['addressbooks'], collections: ['directory'] },
  ]);
  return { mem, dir, router };
}

const names = async (b: AggregateBackend) => {
  const out: string[] = [];
  for await (const o of b.listObjects(AGG)) out.push(o.name);
  return out.sort();
};

describe('aggregated address book', () => {
  it('lists the writable books by default; default-book names stay, others (and "~" names) are marked', async () => {
    const { router } = await setup();
    const agg = new AggregateBackend(router, 'alice', DEFAULT_AGGREGATE);
    assert.deepEqual(
      await names(agg),
      ['jane.vcf', `~${hex('contacts')}~~odd.vcf`, `~${hex('family')}~mum.vcf`].sort(),
    );
    const all = new AggregateBackend(router, 'alice', { ...DEFAULT_AGGREGATE, sources: 'all' });
    assert.ok((await names(all)).includes(`~${hex('directory')}~boss.vcf`));
  });

  it('every listed name resolves back to its card; unknown or malformed names resolve to nothing', async () => {
    const { router } = await setup();
    const agg = new AggregateBackend(router, 'alice', DEFAULT_AGGREGATE);
    const listed = await names(agg);
    const got = await agg.getObjects(AGG, [...listed, `~${hex('nope')}~x.vcf`, 'missing.vcf', '~zz~x.vcf']);
    assert.deepEqual(got.map((o) => o.name).sort(), listed);
    assert.match(new TextDecoder().decode(got.find((o) => o.name === `~${hex('contacts')}~~odd.vcf`)?.body), /UID:odd/);
  });

  it('new names go to the default book; marked names to their own book; conflicts are renamed', async () => {
    const { router, mem } = await setup();
    const agg = new AggregateBackend(router, 'alice', DEFAULT_AGGREGATE);
    await agg.putObject(AGG, 'new.vcf', vcf('new'), {});
    assert.equal((await mem.getObjects(book('contacts'), ['new.vcf'])).length, 1);
    await agg.putObject(AGG, `~${hex('family')}~mum.vcf`, vcf('mum'), {});
    await assert.rejects(agg.putObject(AGG, 'clash.vcf', vcf('jane'), {}), (e: unknown) => {
      assert.ok(e instanceof BackendError);
      assert.equal(e.code, 'conflict');
      assert.equal(e.conflictName, 'jane.vcf');
      return true;
    });
    await agg.deleteObject(AGG, `~${hex('family')}~mum.vcf`, {});
    assert.equal((await mem.getObjects(book('family'), ['mum.vcf'])).length, 0);
  });

  it('read-only sources refuse writes; the default book decides the privileges; without one it is read-only', async () => {
    const { router } = await setup();
    const all = new AggregateBackend(router, 'alice', { ...DEFAULT_AGGREGATE, sources: 'all' });
    await assert.rejects(all.putObject(AGG, `~${hex('directory')}~boss.vcf`, vcf('boss'), {}), /read-only/);
    assert.equal((await all.info()).readonly, undefined);
    const none = new AggregateBackend(router, 'bob', DEFAULT_AGGREGATE);
    assert.equal((await none.info()).readonly, true);
    await assert.rejects(none.putObject({ ...AGG, owner: 'bob' }, 'x.vcf', vcf('x'), {}), /no address book/);
  });

  it('a missing configured default book falls back to the first writable book by id', async () => {
    const { router, mem } = await setup();
    const agg = new AggregateBackend(router, 'alice', { ...DEFAULT_AGGREGATE, defaultBook: 'gone' });
    await agg.putObject(AGG, 'n.vcf', vcf('n'), {});
    assert.equal((await mem.getObjects(book('contacts'), ['n.vcf'])).length, 1);
  });

  it('the router shows one book in the address-book home and passes everything else through', async () => {
    const { router, mem } = await setup();
    const r = aggregatingRouter(router, 'alice', DEFAULT_AGGREGATE);
    const home = await r.listCollections('alice', 'addressbooks');
    assert.deepEqual(
      home.map((c) => c.info.ref.id),
      ['all-contacts'],
    );
    assert.equal(home[0].info.displayName, 'All Contacts');
    assert.equal(r.forCollection('alice', 'addressbooks', 'family'), mem);
    assert.equal((await r.listCollections('alice', 'calendars')).length, 1);
    assert.equal((await r.listCollections('bob', 'addressbooks')).length, 0);
  });
});
