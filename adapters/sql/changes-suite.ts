// The SQLite change feed behind sync-collection (RFC 6578 §3): initial sync, deltas with each name once in
// its latest state, token validation, pruning, and tokens never reused across a recreated collection.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { ChangeSet } from '../../src/backend/types.ts';
import type { OpenedSqlStore } from './open.ts';
import { calRef, event } from './test-fixtures.ts';

function set(x: ChangeSet | 'invalid-token'): ChangeSet {
  assert.notEqual(x, 'invalid-token');
  return x as ChangeSet;
}

export function changesSuite(label: string, open: () => Promise<OpenedSqlStore>): void {
  describe(`SqlBackend changesSince (${label})`, () => {
    let s: OpenedSqlStore;
    const ref = calRef();
    beforeEach(async () => {
      s = await open();
      await s.backend.admin.createCollection(ref, 'calendar', {});
    });
    afterEach(() => s.close());

    test('RFC 6578 §3.4 initial sync (null): every current object with the current token', async () => {
      const empty = set(await s.backend.changesSince(ref, null));
      assert.deepEqual(empty, { token: await s.backend.currentToken(ref), changed: [], deleted: [] });
      const a = await s.backend.putObject(ref, 'a.ics', event('a'), {});
      const b = await s.backend.putObject(ref, 'b.ics', event('b'), {});
      await s.backend.putObject(ref, 'c.ics', event('c'), {});
      await s.backend.deleteObject(ref, 'c.ics', {});
      const all = set(await s.backend.changesSince(ref, null));
      assert.equal(all.token, await s.backend.currentToken(ref));
      assert.deepEqual(all.changed, [
        { name: 'a.ics', etag: a.etag },
        { name: 'b.ics', etag: b.etag },
      ]);
      assert.deepEqual(all.deleted, []);
    });

    test('RFC 6578 §3.5 delta: each name once, latest state, in change order; the token only grows', async () => {
      await s.backend.putObject(ref, 'keep.ics', event('keep'), {});
      await s.backend.putObject(ref, 'gone.ics', event('gone'), {});
      const t0 = await s.backend.currentToken(ref);
      await s.backend.putObject(ref, 'new.ics', event('new'), {});
      await s.backend.putObject(ref, 'keep.ics', event('keep', 'v2'), {});
      await s.backend.deleteObject(ref, 'gone.ics', {});
      const last = await s.backend.putObject(ref, 'keep.ics', event('keep', 'v3'), {});
      await s.backend.putObject(ref, 'flip.ics', event('flip'), {});
      await s.backend.deleteObject(ref, 'flip.ics', {});
      const d = set(await s.backend.changesSince(ref, t0));
      assert.ok(Number(d.token) > Number(t0));
      assert.equal(d.token, await s.backend.currentToken(ref));
      assert.deepEqual(
        d.changed.map((c) => c.name),
        ['new.ics', 'keep.ics'],
      );
      assert.equal(d.changed[1].etag, last.etag);
      // A name created and deleted within the interval may be reported deleted (RFC 6578 §3.5.2 allows it).
      assert.deepEqual(d.deleted, ['gone.ics', 'flip.ics']);
      // The current token yields an empty delta.
      assert.deepEqual(set(await s.backend.changesSince(ref, d.token)), { token: d.token, changed: [], deleted: [] });
    });

    test('a name deleted and re-created is reported changed, not deleted', async () => {
      await s.backend.putObject(ref, 'x.ics', event('x'), {});
      const t0 = await s.backend.currentToken(ref);
      await s.backend.deleteObject(ref, 'x.ics', {});
      const again = await s.backend.putObject(ref, 'x.ics', event('x', 'again'), {});
      const d = set(await s.backend.changesSince(ref, t0));
      assert.deepEqual(d.changed, [{ name: 'x.ics', etag: again.etag }]);
      assert.deepEqual(d.deleted, []);
    });

    test('tokens are per collection: a write elsewhere does not show up here', async () => {
      const other = calRef('other');
      await s.backend.admin.createCollection(other, 'calendar', {});
      const t0 = await s.backend.currentToken(ref);
      await s.backend.putObject(other, 'o.ics', event('o'), {});
      assert.equal(await s.backend.currentToken(ref), t0);
      assert.deepEqual(set(await s.backend.changesSince(ref, t0)).changed, []);
    });

    test('RFC 6578 §3.2 valid-sync-token: malformed or future tokens → invalid-token', async () => {
      await s.backend.putObject(ref, 'a.ics', event('a'), {});
      const now = Number(await s.backend.currentToken(ref));
      for (const bad of ['', 'abc', '-1', '1.5', ' 1', '01', '1e3', String(now + 1), '99999999999999999999']) {
        assert.equal(await s.backend.changesSince(ref, bad), 'invalid-token', JSON.stringify(bad));
      }
    });

    test('a collection deleted and re-created never accepts the old tokens', async () => {
      for (let i = 0; i < 5; i++) await s.backend.putObject(ref, `a${i}.ics`, event(`a${i}`), {});
      const old = await s.backend.currentToken(ref);
      const older = '2';
      await s.backend.admin.deleteCollection(ref);
      await s.backend.admin.createCollection(ref, 'calendar', {});
      for (let i = 0; i < 8; i++) await s.backend.putObject(ref, `b${i}.ics`, event(`b${i}`), {});
      assert.equal(await s.backend.changesSince(ref, old), 'invalid-token');
      assert.equal(await s.backend.changesSince(ref, older), 'invalid-token');
      assert.equal(await s.backend.changesSince(ref, '0'), 'invalid-token');
    });

    test('pruning the change log: tokens older than the retained log → invalid-token, newer ones still work', async () => {
      const t0 = await s.backend.currentToken(ref);
      await s.backend.putObject(ref, 'a.ics', event('a'), {});
      await s.backend.putObject(ref, 'b.ics', event('b'), {});
      await s.backend.deleteObject(ref, 'a.ics', {});
      const t1 = await s.backend.currentToken(ref);
      await s.backend.putObject(ref, 'c.ics', event('c'), {});
      await s.backend.deleteObject(ref, 'b.ics', {});
      const t2 = await s.backend.currentToken(ref);

      // keepLatest alone (no age limit) keeps the newest two rows: c.ics put, b.ics delete.
      const removed = await s.backend.pruneChanges({ keepLatest: 2 });
      assert.equal(removed, 1); // a.ics's tombstone
      assert.equal(await s.backend.changesSince(ref, t0), 'invalid-token');
      const d1 = set(await s.backend.changesSince(ref, t1));
      assert.deepEqual(
        d1.changed.map((c) => c.name),
        ['c.ics'],
      );
      assert.deepEqual(d1.deleted, ['b.ics']);
      assert.deepEqual(set(await s.backend.changesSince(ref, t2)).changed, []);
      // Initial sync is unaffected by pruning.
      assert.deepEqual(
        set(await s.backend.changesSince(ref, null)).changed.map((c) => c.name),
        ['c.ics'],
      );

      // An age limit in the past prunes nothing; one in the future (with nothing kept) prunes everything.
      assert.equal(await s.backend.pruneChanges({ before: new Date(0) }), 0);
      assert.equal(await s.backend.pruneChanges({ before: new Date(Date.now() + 60_000) }), 2);
      assert.equal(await s.backend.changesSince(ref, t1), 'invalid-token');
      assert.deepEqual(set(await s.backend.changesSince(ref, t2)), { token: t2, changed: [], deleted: [] });
    });

    test('deleting a collection removes its change rows with it', async () => {
      await s.backend.putObject(ref, 'a.ics', event('a'), {});
      await s.backend.admin.deleteCollection(ref);
      assert.equal(
        Number((await sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM changes`.execute(s.conn.db)).rows[0].n),
        0,
      );
      assert.equal(
        Number((await sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM objects`.execute(s.conn.db)).rows[0].n),
        0,
      );
    });
  });
}
