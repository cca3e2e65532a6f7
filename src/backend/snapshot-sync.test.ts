import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import { collectionKey } from '../state/keys.ts';
import { MemoryStateStore } from '../state/memory.ts';
import type { StateStore } from '../state/store.ts';
import { BackendError } from './port.ts';
import { parseSnapshotToken, snapshotChangesSince, snapshotCurrentToken } from './snapshot-sync.ts';
import type { ChangeSet, CollectionRef, PutInput } from './types.ts';

const ref: CollectionRef = { owner: 'alice', home: 'calendars', id: 'work' };
const enc = new TextEncoder();
const ics = (uid: string, summary = 'x'): PutInput => ({
  body: enc.encode(
    `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
  ),
  contentType: 'text/calendar',
  uid,
});

function ok(cs: ChangeSet | 'invalid-token'): ChangeSet {
  assert.notEqual(cs, 'invalid-token');
  return cs as ChangeSet;
}
const sortedNames = (cs: ChangeSet): string[] => cs.changed.map((c) => c.name).sort();

/** A store that counts commit outcomes, to prove the contention path really ran. */
function counting(inner: StateStore): StateStore & { conflicts: number; commits: number } {
  const s = Object.create(inner) as StateStore & { conflicts: number; commits: number };
  s.conflicts = 0;
  s.commits = 0;
  s.commitSnapshot = async (key, commit) => {
    const r = await inner.commitSnapshot(key, commit);
    if (r === 'conflict') s.conflicts++;
    else s.commits++;
    return r;
  };
  for (const m of ['epoch', 'getSnapshot', 'changesSince', 'get', 'set', 'delete', 'ping', 'close'] as const) {
    (s as unknown as Record<string, unknown>)[m] = (inner[m] as (...a: unknown[]) => unknown).bind(inner);
  }
  return s;
}

describe('snapshot sync (backend without a change feed)', () => {
  let backend: MemoryBackend;
  let store: MemoryStateStore;
  const key = () => collectionKey(backend.id, ref);
  const since = (t: string | null) => snapshotChangesSince(backend, ref, store, t);

  beforeEach(async () => {
    backend = new MemoryBackend({ changeFeed: false });
    store = new MemoryStateStore();
    await backend.admin?.createCollection(ref, 'calendar', {});
    assert.equal(backend.changesSince, undefined);
  });

  test('RFC 6578 §3.4: initial sync of an empty collection, then of a filled one', async () => {
    const empty = ok(await since(null));
    assert.deepEqual(empty, { token: '0', changed: [], deleted: [] });
    const a = await backend.putObject(ref, 'a.ics', ics('a'), {});
    const b = await backend.putObject(ref, 'b.ics', ics('b'), {});
    const full = ok(await since(null));
    assert.equal(full.token, '2');
    assert.deepEqual(
      full.changed.slice().sort((x, y) => x.name.localeCompare(y.name)),
      [
        { name: 'a.ics', etag: a.etag },
        { name: 'b.ics', etag: b.etag },
      ],
    );
    assert.deepEqual(full.deleted, []);
  });

  test('RFC 6578 §3.5: add, update and delete show up in the delta with latest etags', async () => {
    await backend.putObject(ref, 'a.ics', ics('a', 'v1'), {});
    await backend.putObject(ref, 'b.ics', ics('b'), {});
    const t1 = ok(await since(null)).token;
    const a2 = await backend.putObject(ref, 'a.ics', ics('a', 'v2'), {});
    const c = await backend.putObject(ref, 'c.ics', ics('c'), {});
    await backend.deleteObject(ref, 'b.ics', {});
    const d = ok(await since(t1));
    assert.deepEqual(sortedNames(d), ['a.ics', 'c.ics']);
    assert.equal(d.changed.find((x) => x.name === 'a.ics')?.etag, a2.etag);
    assert.equal(d.changed.find((x) => x.name === 'c.ics')?.etag, c.etag);
    assert.deepEqual(d.deleted, ['b.ics']);
    assert.equal(d.token, '5');
    // The next delta continues from there; older tokens see the union with one entry per name.
    await backend.putObject(ref, 'a.ics', ics('a', 'v3'), {});
    const d2 = ok(await since(d.token));
    assert.deepEqual(sortedNames(d2), ['a.ics']);
    assert.deepEqual(d2.deleted, []);
    const fromT1 = ok(await since(t1));
    assert.deepEqual(sortedNames(fromT1), ['a.ics', 'c.ics']);
    assert.deepEqual(fromT1.deleted, ['b.ics']);
    assert.equal(fromT1.token, d2.token);
  });

  test('RFC 6578 §3.2: no change → empty delta, same token, nothing appended to the log', async () => {
    await backend.putObject(ref, 'a.ics', ics('a'), {});
    const t = ok(await since(null)).token;
    const logBefore = await store.changesSince(key(), 0);
    for (let i = 0; i < 3; i++) assert.deepEqual(ok(await since(t)), { token: t, changed: [], deleted: [] });
    assert.equal(await snapshotCurrentToken(backend, ref, store), t);
    assert.deepEqual(await store.changesSince(key(), 0), logBefore);
  });

  test('content-hash etags: an edit reverted before the next sync is no change', async () => {
    await backend.putObject(ref, 'a.ics', ics('a', 'v1'), {});
    const t = ok(await since(null)).token;
    await backend.putObject(ref, 'a.ics', ics('a', 'v2'), {});
    await backend.putObject(ref, 'a.ics', ics('a', 'v1'), {});
    await backend.putObject(ref, 'tmp.ics', ics('tmp'), {});
    await backend.deleteObject(ref, 'tmp.ics', {});
    assert.deepEqual(ok(await since(t)), { token: t, changed: [], deleted: [] });
  });

  test('snapshotCurrentToken records pending changes and agrees with the delta token', async () => {
    const t0 = await snapshotCurrentToken(backend, ref, store);
    assert.equal(t0, '0');
    await backend.putObject(ref, 'a.ics', ics('a'), {});
    const t1 = await snapshotCurrentToken(backend, ref, store);
    assert.equal(t1, '1');
    const d = ok(await since(t0));
    assert.equal(d.token, t1);
    assert.deepEqual(sortedNames(d), ['a.ics']);
  });

  test('RFC 6578 §3.2: malformed and future tokens → invalid-token', async () => {
    await backend.putObject(ref, 'a.ics', ics('a'), {});
    const t = ok(await since(null)).token;
    for (const bad of ['', 'abc', '-1', '01', '1.5', '1e2', ' 1', '99999999999999999999']) {
      assert.equal(await since(bad), 'invalid-token', JSON.stringify(bad));
    }
    assert.equal(await since(String(Number(t) + 1)), 'invalid-token');
    assert.equal(await since('1000'), 'invalid-token');
  });

  test('RFC 6578 §3.2: a token whose log entries were trimmed → invalid-token; recent ones still work', async () => {
    store = new MemoryStateStore({ maxLogEntries: 2 });
    const t0 = ok(await since(null)).token;
    await backend.putObject(ref, 'a.ics', ics('a'), {});
    const t1 = ok(await since(t0)).token;
    await backend.putObject(ref, 'b.ics', ics('b'), {});
    await backend.putObject(ref, 'c.ics', ics('c'), {});
    const latest = ok(await since(t1));
    assert.deepEqual(sortedNames(latest), ['b.ics', 'c.ics']);
    assert.equal(await since(t0), 'invalid-token');
    assert.deepEqual(ok(await since(latest.token)).changed, []);
  });

  test('concurrent first syncs record each object once and agree on the token', async () => {
    const counted = counting(store);
    for (const n of ['a', 'b', 'c']) await backend.putObject(ref, `${n}.ics`, ics(n), {});
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => snapshotChangesSince(backend, ref, counted, null)),
    );
    assert.ok(counted.conflicts > 0, 'the callers really raced');
    assert.equal(counted.commits, 1);
    for (const a of answers) {
      assert.equal(ok(a).token, '3');
      assert.deepEqual(sortedNames(ok(a)), ['a.ics', 'b.ics', 'c.ics']);
    }
    const log = await store.changesSince(key(), 0);
    assert.ok(log !== 'expired');
    assert.deepEqual(
      log.map((e) => e.seq),
      [1, 2, 3],
    );
  });

  test('two concurrent delta requests record a change once and never fork the sequence', async () => {
    await backend.putObject(ref, 'a.ics', ics('a', 'v1'), {});
    const t = ok(await since(null)).token;
    const a2 = await backend.putObject(ref, 'a.ics', ics('a', 'v2'), {});
    await backend.deleteObject(ref, 'a.ics', { ifMatch: a2.etag });
    await backend.putObject(ref, 'b.ics', ics('b'), {});
    const counted = counting(store);
    const [x, y, tok] = await Promise.all([
      snapshotChangesSince(backend, ref, counted, t),
      snapshotChangesSince(backend, ref, counted, t),
      snapshotCurrentToken(backend, ref, counted),
    ]);
    assert.ok(counted.conflicts > 0, 'the callers really raced');
    assert.deepEqual(ok(x), ok(y));
    assert.deepEqual(ok(x), {
      token: '3',
      changed: [{ name: 'b.ics', etag: ok(x).changed[0]?.etag }],
      deleted: ['a.ics'],
    });
    assert.equal(tok, '3');
    const log = await store.changesSince(key(), 0);
    assert.ok(log !== 'expired');
    // One commit for the first sync, one for the delta: seqs 1..3 with no duplicate and no gap.
    assert.deepEqual(
      log.map((e) => e.seq),
      [1, 2, 3],
    );
    assert.deepEqual(
      log
        .slice(1)
        .map((e) => `${e.name}:${e.deleted}`)
        .sort(),
      ['a.ics:true', 'b.ics:false'],
    );
  });

  test('contention is bounded: a commit that always conflicts gives up with unavailable', async () => {
    await backend.putObject(ref, 'a.ics', ics('a'), {});
    let attempts = 0;
    const hostile = counting(store);
    hostile.commitSnapshot = async () => {
      attempts++;
      return 'conflict';
    };
    await assert.rejects(
      snapshotChangesSince(backend, ref, hostile, null, { maxAttempts: 3 }),
      (e: unknown) => e instanceof BackendError && e.code === 'unavailable',
    );
    assert.equal(attempts, 3);
  });

  test('state is kept per backend id and per collection', async () => {
    const other: CollectionRef = { ...ref, id: 'home' };
    await backend.admin?.createCollection(other, 'calendar', {});
    await backend.putObject(ref, 'a.ics', ics('a'), {});
    assert.equal(ok(await since(null)).token, '1');
    assert.deepEqual(ok(await snapshotChangesSince(backend, other, store, null)), {
      token: '0',
      changed: [],
      deleted: [],
    });
    const twin = new MemoryBackend({ changeFeed: false, id: 'twin' });
    await twin.admin?.createCollection(ref, 'calendar', {});
    assert.deepEqual(ok(await snapshotChangesSince(twin, ref, store, null)), { token: '0', changed: [], deleted: [] });
  });

  test('a missing collection surfaces the backend not-found error', async () => {
    await assert.rejects(
      snapshotChangesSince(backend, { ...ref, id: 'nope' }, store, null),
      (e: unknown) => e instanceof BackendError && e.code === 'not-found',
    );
  });

  test('parseSnapshotToken accepts canonical decimals only', () => {
    assert.equal(parseSnapshotToken('0'), 0);
    assert.equal(parseSnapshotToken('17'), 17);
    assert.equal(parseSnapshotToken('017'), undefined);
    assert.equal(parseSnapshotToken('x'), undefined);
  });
});
