import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runStateStoreContract } from './contract.ts';
import { collectionKey, cursorKey, etagKey, hashTag, snapshotKeys } from './keys.ts';
import { MemoryStateStore } from './memory.ts';

runStateStoreContract('memory', async (retention) => {
  let now = 1_700_000_000_000;
  const store = new MemoryStateStore({ ...retention, now: () => now });
  return {
    store,
    cleanup: () => store.close(),
    advance: async (ms) => {
      now += ms;
    },
  };
});

describe('MemoryStateStore specifics', () => {
  test('each instance has its own epoch (a restart invalidates tokens)', async () => {
    const a = new MemoryStateStore();
    const b = new MemoryStateStore();
    assert.notEqual(await a.epoch(), await b.epoch());
  });

  test('after close: ping is false and operations throw', async () => {
    const s = new MemoryStateStore();
    await s.close();
    assert.equal(await s.ping(), false);
    await assert.rejects(s.get('k'), /closed/);
    await assert.rejects(s.commitSnapshot('k', { baseSeq: 0, changes: [] }), /closed/);
  });

  test('non-positive TTLs are refused (Redis SET EX rejects them too)', async () => {
    const s = new MemoryStateStore();
    await assert.rejects(s.set('k', 'v', 0), RangeError);
    await assert.rejects(s.set('k', 'v', -5), RangeError);
  });

  test('malformed commits are programming errors: duplicate names, upsert without etag', async () => {
    const s = new MemoryStateStore();
    const k = 'dg:{x}';
    await assert.rejects(
      s.commitSnapshot(k, {
        baseSeq: 0,
        changes: [
          { name: 'a', etag: '1', deleted: false },
          { name: 'a', deleted: true },
        ],
      }),
      TypeError,
    );
    await assert.rejects(s.commitSnapshot(k, { baseSeq: 0, changes: [{ name: 'a', deleted: false }] }), TypeError);
    assert.equal(await s.getSnapshot(k), undefined);
    // A bad commit against an existing snapshot leaves it untouched (no partial apply).
    await s.commitSnapshot(k, { baseSeq: 0, changes: [{ name: 'a', etag: '1', deleted: false }] });
    await assert.rejects(
      s.commitSnapshot(k, {
        baseSeq: 1,
        changes: [
          { name: 'b', etag: '2', deleted: false },
          { name: 'c', deleted: false },
        ],
      }),
      TypeError,
    );
    const snap = await s.getSnapshot(k);
    assert.equal(snap?.seq, 1);
    assert.deepEqual([...(snap?.entries ?? [])], [['a', '1']]);
  });

  test('negative or fractional since → expired', async () => {
    const s = new MemoryStateStore();
    assert.equal(await s.changesSince('dg:{x}', -1), 'expired');
    assert.equal(await s.changesSince('dg:{x}', 0.5), 'expired');
  });
});

describe('state key schema', () => {
  const ref = { owner: 'alice@example.com', home: 'calendars' as const, id: 'team/{shared}|x' };

  test('all keys of one collection share one Redis Cluster hash tag', () => {
    const c = collectionKey('sql', ref);
    const tag = hashTag(c);
    assert.ok(tag.length > 0 && tag !== c);
    for (const k of [...Object.values(snapshotKeys(c)), cursorKey('sql', ref), etagKey('sql', ref, 'a b}.ics')]) {
      assert.equal(hashTag(k), tag, k);
      assert.ok(k.startsWith('dg:'), k);
    }
  });

  test('braces and separators inside ids cannot end the tag early or collide', () => {
    const c = collectionKey('sql', ref);
    assert.equal(c.split('{').length, 2);
    assert.equal(c.split('}').length, 2);
    assert.notEqual(collectionKey('a|b', { ...ref, owner: 'c' }), collectionKey('a', { ...ref, owner: 'b|c' }));
    assert.notEqual(collectionKey('sql', { ...ref, home: 'addressbooks' }), c);
    assert.notEqual(collectionKey('google', ref), c);
  });

  test('hashTag follows the Redis rule: first { to the next }, empty tag means the whole key', () => {
    assert.equal(hashTag('a{b}c{d}'), 'b');
    assert.equal(hashTag('a{}b'), 'a{}b');
    assert.equal(hashTag('plain'), 'plain');
  });
});
