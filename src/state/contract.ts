// The StateStore contract (DESIGN.md §Central interfaces 2): one node:test suite every store runs
// (memory now, Redis later). The factory receives retention options and must honour them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectionKey, cursorKey } from './keys.ts';
import type { StateStore } from './store.ts';

export interface StateStoreSubject {
  store: StateStore;
  cleanup(): Promise<void>;
  /** Lets `ms` pass for TTL and age tests: a fake clock for the memory store; real sleep when absent. */
  advance?(ms: number): Promise<void>;
}

export interface StateStoreRetention {
  maxLogEntries?: number;
  maxLogAgeSeconds?: number;
}

export type StateStoreFactory = (retention: StateStoreRetention) => Promise<StateStoreSubject>;

const KEY = collectionKey('contract', { owner: 'alice', home: 'calendars', id: 'work' });
const OTHER = collectionKey('contract', { owner: 'alice', home: 'calendars', id: 'home' });

async function withStore(
  factory: StateStoreFactory,
  retention: StateStoreRetention,
  fn: (s: StateStoreSubject, wait: (ms: number) => Promise<void>) => Promise<void>,
): Promise<void> {
  const s = await factory(retention);
  const wait = s.advance
    ? (ms: number) => (s.advance as (ms: number) => Promise<void>)(ms)
    : (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  try {
    await fn(s, wait);
  } finally {
    await s.cleanup();
  }
}

const put = (name: string, etag: string) => ({ name, etag, deleted: false });
const del = (name: string) => ({ name, deleted: true });

export function runStateStoreContract(name: string, factory: StateStoreFactory): void {
  describe(`state store contract: ${name}`, () => {
    test('epoch is a non-empty id, stable for the store lifetime; ping is true', () =>
      withStore(factory, {}, async ({ store }) => {
        const e = await store.epoch();
        assert.equal(typeof e, 'string');
        assert.ok(e.length > 0);
        assert.equal(await store.epoch(), e);
        assert.equal(await store.ping(), true);
      }));

    test('an unknown collection has no snapshot; since 0 is empty, later seqs are expired', () =>
      withStore(factory, {}, async ({ store }) => {
        assert.equal(await store.getSnapshot(KEY), undefined);
        assert.deepEqual(await store.changesSince(KEY, 0), []);
        assert.equal(await store.changesSince(KEY, 1), 'expired');
      }));

    test('first commit from seq 0: each change gets the next seq, snapshot and log reflect it', () =>
      withStore(factory, {}, async ({ store }) => {
        assert.equal(
          await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea'), put('b.ics', 'eb')] }),
          2,
        );
        const snap = await store.getSnapshot(KEY);
        assert.equal(snap?.seq, 2);
        assert.deepEqual(snap && [...snap.entries].sort(), [
          ['a.ics', 'ea'],
          ['b.ics', 'eb'],
        ]);
        assert.deepEqual(await store.changesSince(KEY, 0), [
          { seq: 1, name: 'a.ics', etag: 'ea', deleted: false },
          { seq: 2, name: 'b.ics', etag: 'eb', deleted: false },
        ]);
        assert.deepEqual(await store.changesSince(KEY, 1), [{ seq: 2, name: 'b.ics', etag: 'eb', deleted: false }]);
        assert.deepEqual(await store.changesSince(KEY, 2), []);
      }));

    test('later commits apply updates and deletions; deletions are logged without etag', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea'), put('b.ics', 'eb')] });
        assert.equal(
          await store.commitSnapshot(KEY, {
            baseSeq: 2,
            changes: [put('a.ics', 'ea2'), del('b.ics'), put('c.ics', 'ec')],
          }),
          5,
        );
        const snap = await store.getSnapshot(KEY);
        assert.equal(snap?.seq, 5);
        assert.deepEqual(snap && [...snap.entries].sort(), [
          ['a.ics', 'ea2'],
          ['c.ics', 'ec'],
        ]);
        const log = await store.changesSince(KEY, 2);
        assert.deepEqual(log, [
          { seq: 3, name: 'a.ics', etag: 'ea2', deleted: false },
          { seq: 4, name: 'b.ics', deleted: true },
          { seq: 5, name: 'c.ics', etag: 'ec', deleted: false },
        ]);
      }));

    test('an empty commit records the snapshot without advancing the seq', () =>
      withStore(factory, {}, async ({ store }) => {
        assert.equal(await store.commitSnapshot(KEY, { baseSeq: 0, changes: [] }), 0);
        const snap = await store.getSnapshot(KEY);
        assert.equal(snap?.seq, 0);
        assert.equal(snap?.entries.size, 0);
        await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
        assert.equal(await store.commitSnapshot(KEY, { baseSeq: 1, changes: [] }), 1);
        assert.deepEqual(await store.changesSince(KEY, 1), []);
      }));

    test('a commit on a stale baseSeq → conflict and changes nothing', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
        assert.equal(await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('x.ics', 'ex')] }), 'conflict');
        assert.equal(await store.commitSnapshot(KEY, { baseSeq: 7, changes: [put('x.ics', 'ex')] }), 'conflict');
        const snap = await store.getSnapshot(KEY);
        assert.equal(snap?.seq, 1);
        assert.deepEqual(snap && [...snap.entries], [['a.ics', 'ea']]);
        assert.deepEqual(await store.changesSince(KEY, 0), [{ seq: 1, name: 'a.ics', etag: 'ea', deleted: false }]);
      }));

    test('concurrent commits on the same baseSeq: exactly one wins, the sequence never forks', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'e0')] });
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.commitSnapshot(KEY, { baseSeq: 1, changes: [put('a.ics', `e${i + 1}`), put(`n${i}.ics`, 'x')] }),
          ),
        );
        const wins = results.filter((r) => r !== 'conflict');
        assert.deepEqual(wins, [3]);
        const winner = results.indexOf(3);
        const log = await store.changesSince(KEY, 1);
        assert.deepEqual(log, [
          { seq: 2, name: 'a.ics', etag: `e${winner + 1}`, deleted: false },
          { seq: 3, name: `n${winner}.ics`, etag: 'x', deleted: false },
        ]);
        assert.equal((await store.getSnapshot(KEY))?.seq, 3);
      }));

    test('since beyond the current seq (a token from the future or another store) → expired', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
        assert.equal(await store.changesSince(KEY, 2), 'expired');
        assert.equal(await store.changesSince(KEY, 1000), 'expired');
      }));

    test('collections are independent', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
        assert.equal(await store.getSnapshot(OTHER), undefined);
        assert.equal(await store.commitSnapshot(OTHER, { baseSeq: 0, changes: [put('z.ics', 'ez')] }), 1);
        assert.deepEqual(await store.changesSince(KEY, 0), [{ seq: 1, name: 'a.ics', etag: 'ea', deleted: false }]);
      }));

    test('the snapshot handed out is a copy', () =>
      withStore(factory, {}, async ({ store }) => {
        await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
        const snap = await store.getSnapshot(KEY);
        snap?.entries.set('evil.ics', 'x');
        snap?.entries.delete('a.ics');
        assert.deepEqual([...((await store.getSnapshot(KEY))?.entries ?? [])], [['a.ics', 'ea']]);
      }));

    test('retention by count: entries beyond maxLogEntries are trimmed and older seqs expire', () =>
      withStore(factory, { maxLogEntries: 3 }, async ({ store }) => {
        for (let i = 0; i < 5; i++)
          await store.commitSnapshot(KEY, { baseSeq: i, changes: [put(`o${i}.ics`, `e${i}`)] });
        assert.equal(await store.changesSince(KEY, 0), 'expired');
        assert.equal(await store.changesSince(KEY, 1), 'expired');
        assert.deepEqual((await store.changesSince(KEY, 2)) as unknown[], [
          { seq: 3, name: 'o2.ics', etag: 'e2', deleted: false },
          { seq: 4, name: 'o3.ics', etag: 'e3', deleted: false },
          { seq: 5, name: 'o4.ics', etag: 'e4', deleted: false },
        ]);
        assert.deepEqual(await store.changesSince(KEY, 5), []);
        // The snapshot itself is complete regardless of the log.
        assert.equal((await store.getSnapshot(KEY))?.entries.size, 5);
      }));

    test('retention by age: entries older than maxLogAgeSeconds are trimmed', () =>
      withStore(factory, { maxLogAgeSeconds: 1 }, async ({ store }, wait) => {
        await store.commitSnapshot(KEY, { baseSeq: 0, changes: [put('old.ics', 'e1')] });
        await wait(1200);
        await store.commitSnapshot(KEY, { baseSeq: 1, changes: [put('new.ics', 'e2')] });
        assert.equal(await store.changesSince(KEY, 0), 'expired');
        assert.deepEqual(await store.changesSince(KEY, 1), [{ seq: 2, name: 'new.ics', etag: 'e2', deleted: false }]);
        await wait(1200);
        // Everything aged out: only "now" is still a valid point to sync from.
        assert.equal(await store.changesSince(KEY, 1), 'expired');
        assert.deepEqual(await store.changesSince(KEY, 2), []);
      }));

    test('values: set, overwrite, get, delete', () =>
      withStore(factory, {}, async ({ store }) => {
        const k = cursorKey('contract', { owner: 'alice', home: 'calendars', id: 'work' });
        assert.equal(await store.get(k), undefined);
        await store.set(k, 'cursor-1');
        assert.equal(await store.get(k), 'cursor-1');
        await store.set(k, 'cursor-2');
        assert.equal(await store.get(k), 'cursor-2');
        await store.delete(k);
        assert.equal(await store.get(k), undefined);
        await store.delete(k); // deleting a missing key is fine
      }));

    test('values: a TTL expires the value; a set without TTL replaces the TTL', () =>
      withStore(factory, {}, async ({ store }, wait) => {
        await store.set('dg:test:ttl', 'v', 1);
        await store.set('dg:test:keep', 'v', 1);
        await store.set('dg:test:keep', 'w');
        await store.set('dg:test:forever', 'f');
        assert.equal(await store.get('dg:test:ttl'), 'v');
        await wait(1200);
        assert.equal(await store.get('dg:test:ttl'), undefined);
        assert.equal(await store.get('dg:test:keep'), 'w');
        assert.equal(await store.get('dg:test:forever'), 'f');
      }));
  });
}
