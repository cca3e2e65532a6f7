// The Redis StateStore against a real standalone Debian redis-server (issue 6): the StateStore contract
// suite, plus what only a shared store has to get right — replicas committing at once, the epoch following
// the server (restart empty → new epoch, old tokens expired), fast failure while Redis is down, and the key
// schema with its TTLs. ACL passwords and Cluster mode: redis-state-acl-cluster.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runStateStoreContract } from '../../src/state/contract.ts';
import { EPOCH_KEY, hashTag, snapshotKeys } from '../../src/state/keys.ts';
import { openRedisState } from '../../src/state/redis-open.ts';
import { StateUnavailableError } from '../../src/state/store.ts';
import { hasRedis, type StartedRedis, startRedis } from '../support/redis.ts';
import { KEY, memoryLog, put, redisConfig } from './redis-state-support.ts';

const available = await hasRedis();
const skip = available ? false : 'redis-server is not installed (apt-get install redis-server)';

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} within ${ms} ms`);
}

describe('Redis state store (standalone)', { skip }, () => {
  let redis: StartedRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.cleanup();
  });

  runStateStoreContract('redis standalone', async (retention) => {
    await redis.command('FLUSHALL');
    const store = await openRedisState(
      redisConfig({
        url: redis.url,
        logMaxEntries: retention.maxLogEntries,
        logMaxAgeSeconds: retention.maxLogAgeSeconds,
      }),
      memoryLog(),
    );
    return { store, cleanup: () => store.close() };
  });

  test('two replicas (two clients) committing on the same base: one wins, the other conflicts', async () => {
    await redis.command('FLUSHALL');
    const a = await openRedisState(redisConfig({ url: redis.url }), memoryLog());
    const b = await openRedisState(redisConfig({ url: redis.url }), memoryLog());
    try {
      assert.equal(await a.epoch(), await b.epoch(), 'replicas share one epoch');
      for (let round = 0; round < 20; round++) {
        const base = (await a.getSnapshot(KEY))?.seq ?? 0;
        const [ra, rb] = await Promise.all([
          a.commitSnapshot(KEY, { baseSeq: base, changes: [put(`a${round}.ics`, 'x')] }),
          b.commitSnapshot(KEY, { baseSeq: base, changes: [put(`b${round}.ics`, 'y')] }),
        ]);
        assert.deepEqual(
          [ra, rb].filter((r) => r !== 'conflict'),
          [base + 1],
          `round ${round}`,
        );
      }
      const log = await b.changesSince(KEY, 0);
      assert.ok(Array.isArray(log));
      assert.deepEqual(
        log.map((e) => e.seq),
        Array.from({ length: 20 }, (_, i) => i + 1),
        'no seq repeated or skipped',
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("a replica's cached snapshot is validated: another replica's commit is seen at once", async () => {
    await redis.command('FLUSHALL');
    const a = await openRedisState(redisConfig({ url: redis.url }), memoryLog());
    const b = await openRedisState(redisConfig({ url: redis.url }), memoryLog());
    try {
      await a.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
      assert.deepEqual([...((await a.getSnapshot(KEY))?.entries ?? [])], [['a.ics', 'ea']]); // now cached in a
      assert.equal(await b.commitSnapshot(KEY, { baseSeq: 1, changes: [put('a.ics', 'ea2')] }), 2);
      const seen = await a.getSnapshot(KEY);
      assert.equal(seen?.seq, 2);
      assert.deepEqual([...(seen?.entries ?? [])], [['a.ics', 'ea2']]);
      // Same seq, different content (the hash expired while idle): the size tells.
      await redis.command('DEL', snapshotKeys(KEY).snapshot);
      assert.equal((await a.getSnapshot(KEY))?.entries.size, 0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('key schema: seq without TTL, snapshot and log with the idle TTL, epoch bound to the server', async () => {
    await redis.command('FLUSHALL');
    const s = await openRedisState(redisConfig({ url: redis.url }), memoryLog());
    try {
      await s.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
      const k = snapshotKeys(KEY);
      assert.equal(await redis.command('TTL', k.seq), '-1');
      for (const key of [k.snapshot, k.log]) {
        const ttl = Number(await redis.command('TTL', key));
        assert.ok(ttl > 80 * 24 * 3600, `${key} expires after the idle TTL (got ${ttl})`);
      }
      assert.equal(await redis.command('TYPE', k.log), 'list');
      const runId = /run_id:([0-9a-f]+)/.exec(await redis.command('INFO', 'server'))?.[1];
      assert.equal(await redis.command('HGET', EPOCH_KEY, 'server'), runId);
      assert.equal(await redis.command('HGET', EPOCH_KEY, 'id'), await s.epoch());
      // One hash tag for the collection: every key of it is in one Cluster slot.
      assert.equal(new Set([KEY, k.seq, k.snapshot, k.log].map(hashTag)).size, 1);
    } finally {
      await s.close();
    }
  });

  test('idle expiry drops snapshot and log but keeps the seq: old tokens expire, the next diff re-records', async () => {
    await redis.command('FLUSHALL');
    const s = await openRedisState(redisConfig({ url: redis.url }), memoryLog());
    try {
      await s.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea'), put('b.ics', 'eb')] });
      const k = snapshotKeys(KEY);
      await redis.command('DEL', k.snapshot, k.log); // what the idle TTL does
      const snap = await s.getSnapshot(KEY);
      assert.equal(snap?.seq, 2, 'the sequence does not restart');
      assert.equal(snap?.entries.size, 0);
      assert.equal(await s.changesSince(KEY, 1), 'expired');
      assert.deepEqual(await s.changesSince(KEY, 2), []);
      assert.equal(await s.commitSnapshot(KEY, { baseSeq: 2, changes: [put('a.ics', 'ea'), put('b.ics', 'eb')] }), 4);
      assert.equal(await s.changesSince(KEY, 1), 'expired');
      assert.deepEqual(
        ((await s.changesSince(KEY, 2)) as { seq: number }[]).map((e) => e.seq),
        [3, 4],
      );
    } finally {
      await s.close();
    }
  });

  test('a reconnect to the same server keeps the epoch; a flushed store gets a new one and old seqs expire', async () => {
    await redis.command('FLUSHALL');
    const s = await openRedisState(redisConfig({ url: redis.url }), memoryLog());
    try {
      const e1 = await s.epoch();
      await s.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea'), put('b.ics', 'eb')] });
      await redis.command('CLIENT', 'KILL', 'TYPE', 'normal');
      await until('reconnected', async () => s.ping());
      assert.equal(await s.epoch(), e1, 'same server, same data: tokens stay valid');
      assert.equal((await s.getSnapshot(KEY))?.seq, 2);

      await redis.command('FLUSHALL');
      // The process still holds e1; the scripts notice the epoch is gone: a token checked against e1 is void.
      assert.equal(await s.changesSince(KEY, 2), 'expired');
      const e2 = await s.epoch();
      assert.notEqual(e2, e1);
      assert.equal(await s.getSnapshot(KEY), undefined);
    } finally {
      await s.close();
    }
  });

  test('Redis killed: calls fail fast with StateUnavailableError, ping is false; restarted empty: new epoch', async () => {
    await redis.command('FLUSHALL');
    const log = memoryLog();
    const s = await openRedisState(redisConfig({ url: redis.url, retryAfterSeconds: 7 }), log);
    try {
      const e1 = await s.epoch();
      await s.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
      await redis.kill();
      // A command can fail a moment before ioredis marks the connection closed: wait for the store to know.
      await until('disconnect noticed', async () => {
        try {
          await s.epoch();
          return false;
        } catch {
          return true;
        }
      });
      assert.equal(await s.ping(), false);
      const started = Date.now();
      for (const call of [
        () => s.epoch(),
        () => s.getSnapshot(KEY),
        () => s.changesSince(KEY, 1),
        () => s.commitSnapshot(KEY, { baseSeq: 1, changes: [] }),
        () => s.get('dg:x'),
      ]) {
        await assert.rejects(call(), (err: unknown) => {
          assert.ok(err instanceof StateUnavailableError, String(err));
          assert.equal(err.retryAfterSeconds, 7);
          return true;
        });
      }
      assert.ok(Date.now() - started < 1000, 'no waiting for a dead server');
      await redis.restart();
      await until('reconnected', async () => s.ping());
      const e2 = await s.epoch();
      assert.notEqual(e2, e1, 'an empty store is a new epoch');
      assert.equal(await s.changesSince(KEY, 1), 'expired');
      assert.ok(log.lines.some((l) => l.level === 'warn' && /epoch changed/.test(l.msg)));
    } finally {
      await s.close();
    }
  });

  test('a restart that keeps the data (another run_id) still changes the epoch: writes may have been lost', async () => {
    await redis.command('FLUSHALL');
    const s = await openRedisState(redisConfig({ url: redis.url }), memoryLog());
    try {
      const e1 = await s.epoch();
      await s.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea')] });
      // Simulate a server that kept the keys but is another process: its run_id differs from the stored one.
      await redis.command('HSET', EPOCH_KEY, 'server', 'another-server');
      await redis.command('CLIENT', 'KILL', 'TYPE', 'normal');
      await until('reconnected', async () => s.ping());
      assert.notEqual(await s.epoch(), e1);
    } finally {
      await s.close();
    }
  });
});
