// `extras: { store: state }` when the state store fails (DESIGN.md §Errors: a write lands whole or not at
// all). The store is not in the SQL transaction: a write stages its entry first, tagged with the rows it
// is for, and the entry counts only once the commit is known. So a store that is down fails the PUT with
// 503 and Retry-After before any row changes, and an entry staged for a transaction that never committed
// is never served. Memory state store wrapped to fail on demand; SQLite, PostgreSQL, MariaDB.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MemoryStateStore } from '../../src/state/memory.ts';
import { StateUnavailableError } from '../../src/state/store.ts';
import { onEachServer } from './databases.ts';
import { alarmOf, flaky, recKey, stateApp, withAlarm } from './state-extras-support.ts';

const ours = (key: string) => key.startsWith('dg:columns:');

onEachServer('columns extras.store: state, state store failures', (server) => {
  async function setup() {
    const inner = new MemoryStateStore();
    const f = flaky(inner);
    const app = await stateApp(server(), f.store);
    assert.equal((await app.put('standup.ics', withAlarm('alarm-1'))).status, 201);
    const first = await app.get('standup.ics');
    return { inner, f, app, first };
  }

  it('state store down during PUT → 503 with Retry-After; the row is unchanged and a create adds no row', async () => {
    const { f, app, first } = await setup();
    try {
      const before = await app.rows();
      f.fail((op, key) => op === 'set' && ours(key));
      const etag = first.headers.get('etag') ?? '';
      const put = await app.put('standup.ics', withAlarm('alarm-1', 'Moved', '-PT5M'), { 'If-Match': etag });
      assert.equal(put.status, 503, put.text);
      assert.ok(Number(put.headers.get('retry-after')) > 0, 'Retry-After');
      const created = await app.put('new.ics', withAlarm('new-1', 'New'));
      assert.equal(created.status, 503);
      assert.deepEqual(await app.rows(), before, 'no row changed, none added');
      f.fail(undefined);
      const got = await app.get('standup.ics');
      assert.equal(got.text, first.text, 'the object as it was, whole');
      assert.equal(
        (await app.put('standup.ics', withAlarm('alarm-1', 'Moved', '-PT5M'), { 'If-Match': etag })).status,
        204,
      );
      assert.match((await app.get('standup.ics')).text, alarmOf('-PT5M'));
    } finally {
      await app.db.close();
    }
  });

  it('the store took the staged entry, then failed: 503, and the entry for rows never committed is not served', async () => {
    const { inner, f, app, first } = await setup();
    try {
      f.onSet((key) => {
        if (key !== recKey(1)) return;
        // The reply is lost and the store stays down: the write's own undo cannot reach it either.
        f.fail((_op, k) => ours(k));
        throw new StateUnavailableError('reply lost');
      });
      const etag = first.headers.get('etag') ?? '';
      const put = await app.put('standup.ics', withAlarm('alarm-1', 'Moved', '-PT5M', 'navy'), { 'If-Match': etag });
      assert.equal(put.status, 503, put.text);
      f.onSet(undefined);
      f.fail(undefined);
      const staged = JSON.parse((await inner.get(recKey(1))) ?? '{}');
      assert.match(staged.next?.extras ?? '', /TRIGGER:-PT5M/, 'the staged entry is still in the store');
      assert.deepEqual(await app.rows(), [{ id: 1, uid: 'alarm-1', title: 'Standup', version: 1 }]);
      assert.equal((await app.get('standup.ics')).text, first.text, 'served: the object before the PUT, whole');
      // Also after a legacy edit: the staged entry's rows were never there, so it never counts.
      await app.db.exec(`UPDATE appointments SET title = 'Legacy', version = version + 1 WHERE id = 1`);
      const edited = (await app.get('standup.ics')).text;
      assert.match(edited, /SUMMARY:Legacy/);
      assert.match(edited, alarmOf('-PT10M'));
      assert.match(edited, /X-CLIENT-COLOR;X-P=1:teal/);
    } finally {
      await app.db.close();
    }
  });

  it('the mark after the commit is lost: the PUT still succeeds and its data is served; a created object keeps it', async () => {
    const { f, app, first } = await setup();
    try {
      f.fail((op, key) => op === 'set' && key.includes(':ok:'));
      const etag = first.headers.get('etag') ?? '';
      const put = await app.put('standup.ics', withAlarm('alarm-1', 'Moved', '-PT5M'), { 'If-Match': etag });
      assert.equal(put.status, 204, put.text);
      const got = (await app.get('standup.ics')).text;
      assert.match(got, /SUMMARY:Moved/);
      assert.match(got, alarmOf('-PT5M'));
      // A created object needs no mark: a rolled-back insert leaves no row carrying its UID.
      assert.equal((await app.put('fresh.ics', withAlarm('fresh-1', 'Fresh', '-PT1M'))).status, 201);
      await app.db.exec(`UPDATE appointments SET title = 'Legacy', version = version + 1 WHERE uid = 'fresh-1'`);
      const fresh = await app.get('fresh.ics');
      assert.equal(fresh.status, 200, 'the client-chosen name survives the legacy edit');
      assert.match(fresh.text, /SUMMARY:Legacy/);
      assert.match(fresh.text, alarmOf('-PT1M'));
    } finally {
      await app.db.close();
    }
  });

  it('reads need the store too: GET and PROPFIND answer 503 while it is down, never an object without its data', async () => {
    const { f, app } = await setup();
    try {
      f.fail((op, key) => op === 'get' && ours(key));
      const got = await app.get('standup.ics');
      assert.equal(got.status, 503);
      assert.ok(got.headers.get('retry-after'));
      const listed = await app.t.request('PROPFIND', '/dav/calendars/alice/calendar/', { headers: { Depth: '1' } });
      assert.equal(listed.status, 503, listed.text);
    } finally {
      await app.db.close();
    }
  });
});
