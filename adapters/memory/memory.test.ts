import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runBackendContract } from '../contract/backend-contract.ts';
import { collect, ics, rejectsWith, xml } from '../contract/support.ts';
import { parseSeqToken } from './change-log.ts';
import { MemoryBackend } from './memory-backend.ts';

runBackendContract('memory (native change feed)', async () => ({
  backend: new MemoryBackend(),
  cleanup: async () => {},
}));
runBackendContract('memory (no change feed)', async () => ({
  backend: new MemoryBackend({ changeFeed: false }),
  cleanup: async () => {},
}));
runBackendContract('memory (read-only, seeded)', async () => {
  const backend = new MemoryBackend({ readonly: true });
  const collection = { owner: 'contract-user', home: 'addressbooks' as const, id: 'gab' };
  await backend.seedCollection(collection, 'addressbook', { displayName: 'Directory' });
  await backend.seedObject(collection, 'ada.vcf', {
    body: new TextEncoder().encode('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:ada\r\nFN:Ada\r\nEND:VCARD\r\n'),
    contentType: 'text/vcard; charset=utf-8',
    uid: 'ada',
  });
  return { backend, collection, cleanup: async () => {} };
});

const cal = { owner: 'alice', home: 'calendars' as const, id: 'cal' };

describe('MemoryBackend specifics', () => {
  test('changeFeed:false leaves changesSince and currentToken absent, not stubbed', () => {
    const b = new MemoryBackend({ changeFeed: false });
    assert.equal('changesSince' in b, false);
    assert.equal('currentToken' in b, false);
    assert.equal(b.changesSince, undefined);
    const withFeed = new MemoryBackend();
    assert.equal(typeof withFeed.changesSince, 'function');
    assert.equal(typeof withFeed.currentToken, 'function');
  });

  test('readonly: flag set, no admin, every write forbidden; seeding still works', async () => {
    const b = new MemoryBackend({ readonly: true, id: 'gab' });
    assert.equal(b.readonly, true);
    assert.equal(b.admin, undefined);
    assert.equal(b.id, 'gab');
    await b.seedCollection(cal, 'calendar');
    await b.seedObject(cal, 'a.ics', ics('uid-a'));
    await rejectsWith(b.putObject(cal, 'b.ics', ics('uid-b'), {}), 'forbidden');
    await rejectsWith(b.deleteObject(cal, 'a.ics', {}), 'forbidden');
    await rejectsWith(b.patchObjectProps(cal, 'a.ics', {}), 'forbidden');
    assert.deepEqual(
      (await collect(b.listObjects(cal))).map((o) => o.name),
      ['a.ics'],
    );
  });

  test('a collection seeded read-only refuses object writes and admin changes', async () => {
    const b = new MemoryBackend();
    await b.seedCollection(cal, 'calendar', { displayName: 'Holidays' }, true);
    assert.equal((await b.getCollection(cal))?.readonly, true);
    await rejectsWith(b.putObject(cal, 'a.ics', ics('uid-a'), {}), 'forbidden');
    await rejectsWith(b.admin!.updateCollection(cal, { displayName: 'x' }), 'forbidden');
    await rejectsWith(b.admin!.deleteCollection(cal), 'forbidden');
  });

  test('tokens are decimal sequence numbers that grow with each change', async () => {
    const b = new MemoryBackend();
    await b.admin!.createCollection(cal, 'calendar', {});
    const t0 = Number(await b.currentToken!(cal));
    await b.putObject(cal, 'a.ics', ics('uid-a'), {});
    const t1 = Number(await b.currentToken!(cal));
    await b.deleteObject(cal, 'a.ics', {});
    const t2 = Number(await b.currentToken!(cal));
    assert.ok(Number.isInteger(t0) && t0 < t1 && t1 < t2);
  });

  test('tokens older than the retained log → invalid-token; the retained window still answers', async () => {
    const b = new MemoryBackend({ maxLogEntries: 3 });
    await b.admin!.createCollection(cal, 'calendar', {});
    const t0 = await b.currentToken!(cal);
    await b.putObject(cal, 'a.ics', ics('uid-a'), {});
    const t1 = await b.currentToken!(cal);
    await b.putObject(cal, 'b.ics', ics('uid-b'), {});
    const t2 = await b.currentToken!(cal);
    await b.putObject(cal, 'c.ics', ics('uid-c'), {});
    await b.putObject(cal, 'd.ics', ics('uid-d'), {}); // trims the entry for a.ics
    assert.equal(await b.changesSince!(cal, t0), 'invalid-token');
    const fromT1 = await b.changesSince!(cal, t1);
    assert.notEqual(fromT1, 'invalid-token');
    assert.deepEqual(fromT1 !== 'invalid-token' && fromT1.changed.map((c) => c.name), ['b.ics', 'c.ics', 'd.ics']);
    const fromT2 = await b.changesSince!(cal, t2);
    assert.deepEqual(fromT2 !== 'invalid-token' && fromT2.changed.map((c) => c.name), ['c.ics', 'd.ics']);
    // The initial sync never depends on the log.
    const all = await b.changesSince!(cal, null);
    assert.deepEqual(all !== 'invalid-token' && all.changed.map((c) => c.name), ['a.ics', 'b.ics', 'c.ics', 'd.ics']);
  });

  test('changes come oldest first, a name at the position of its latest change', async () => {
    const b = new MemoryBackend();
    await b.admin!.createCollection(cal, 'calendar', {});
    const t0 = await b.currentToken!(cal);
    await b.putObject(cal, 'a.ics', ics('uid-a', '1'), {});
    await b.putObject(cal, 'b.ics', ics('uid-b'), {});
    await b.putObject(cal, 'a.ics', ics('uid-a', '2'), {});
    const cs = await b.changesSince!(cal, t0);
    assert.deepEqual(cs !== 'invalid-token' && cs.changed.map((c) => c.name), ['b.ics', 'a.ics']);
    const init = await b.changesSince!(cal, null);
    assert.deepEqual(init !== 'invalid-token' && init.changed.map((c) => c.name), ['b.ics', 'a.ics']);
  });

  test('RFC 6578 §3.5: a dead-property change is reported as a change of the member', async () => {
    const b = new MemoryBackend();
    await b.admin!.createCollection(cal, 'calendar', {});
    const put = await b.putObject(cal, 'a.ics', ics('uid-a'), {});
    const before = await b.currentToken!(cal);
    await b.patchObjectProps(cal, 'a.ics', { '{urn:x}p': xml('{urn:x}p', 'v') });
    assert.deepEqual(await b.changesSince!(cal, before), {
      token: await b.currentToken!(cal),
      changed: [{ name: 'a.ics', etag: put.etag }],
      deleted: [],
    });
  });

  test('a replaced object may change its UID; the old UID becomes free', async () => {
    const b = new MemoryBackend();
    await b.admin!.createCollection(cal, 'calendar', {});
    await b.putObject(cal, 'a.ics', ics('old-uid'), {});
    await b.putObject(cal, 'a.ics', ics('new-uid'), {});
    assert.equal(await b.findByUid(cal, 'old-uid'), undefined);
    assert.equal(await b.findByUid(cal, 'new-uid'), 'a.ics');
    assert.equal((await b.putObject(cal, 'b.ics', ics('old-uid'), {})).created, true);
  });

  test('invalid names and ids are refused', async () => {
    const b = new MemoryBackend();
    for (const id of ['', '/x', 'x/', 'a//b', '..']) {
      await rejectsWith(b.admin!.createCollection({ ...cal, id }, 'plain', {}), 'forbidden');
    }
    await b.admin!.createCollection(cal, 'calendar', {});
    for (const name of ['', 'a/b.ics', '..']) await rejectsWith(b.putObject(cal, name, ics('u'), {}), 'forbidden');
  });

  test('lastModified comes from the injected clock', async () => {
    const when = new Date('2024-05-06T07:08:09Z');
    const b = new MemoryBackend({ now: () => when });
    await b.admin!.createCollection(cal, 'calendar', {});
    await b.putObject(cal, 'a.ics', ics('uid-a'), {});
    assert.equal((await b.getObjects(cal, ['a.ics']))[0].lastModified.toISOString(), when.toISOString());
  });

  test('parseSeqToken accepts plain decimals only', () => {
    assert.equal(parseSeqToken('0'), 0);
    assert.equal(parseSeqToken('42'), 42);
    for (const bad of ['', '01', '-1', '1e3', ' 1', '1.0', '0x10', '99999999999999999'])
      assert.equal(parseSeqToken(bad), undefined, bad);
  });
});
