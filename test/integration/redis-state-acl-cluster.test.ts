// The Redis StateStore deployed with an ACL user and against Redis Cluster (issue 6): the password from a
// file or variable under the least-privilege ACL docs/operations.md recommends (and never logged), and the
// StateStore contract suite in Cluster mode with collections spread over the masters.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runStateStoreContract } from '../../src/state/contract.ts';
import { collectionKey } from '../../src/state/keys.ts';
import type { RedisStateStore } from '../../src/state/redis.ts';
import { openRedisState } from '../../src/state/redis-open.ts';
import { StateUnavailableError } from '../../src/state/store.ts';
import { type ClusterSetup, hasRedis, type StartedRedis, startCluster, startRedis } from '../support/redis.ts';
import { KEY, memoryLog, put, redisConfig } from './redis-state-support.ts';

const available = await hasRedis();
const skip = available ? false : 'redis-server is not installed (apt-get install redis-server)';

/** Must match the ACL line in docs/operations.md (checked below). */
const DOCUMENTED_ACL = [
  'resetchannels',
  '~dg:*',
  '-@all',
  '+@connection',
  '+info',
  '+evalsha',
  '+eval',
  '+get',
  '+set',
  '+del',
  '+hget',
  '+hset',
  '+hdel',
  '+hgetall',
  '+hlen',
  '+rpush',
  '+lpop',
  '+ltrim',
  '+lindex',
  '+llen',
  '+lrange',
  '+expire',
  '+time',
];

describe('Redis state store: ACL user and password from a file', { skip }, () => {
  test('docs/operations.md shows this ACL', () => {
    const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    assert.ok(doc.includes(`ACL SETUSER davgate on >PASSWORD ${DOCUMENTED_ACL.join(' ')}`), 'ACL line in the docs');
  });

  let redis: StartedRedis;
  let dir: string;
  const password = 'pw-4c1f0e9b-very-secret';
  before(async () => {
    // The least-privilege user docs/operations.md recommends: dg:* keys and the commands davgate and its
    // scripts use.
    redis = await startRedis([
      '--user',
      'default',
      'off',
      '--user',
      'davgate',
      'on',
      `>${password}`,
      ...DOCUMENTED_ACL,
    ]);
    dir = await mkdtemp(join(tmpdir(), 'davgate-redis-secret-'));
    await writeFile(join(dir, 'pw'), `${password}\n`, { mode: 0o600 });
  });
  after(async () => {
    await redis?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  test('authenticates as the ACL user; the password never reaches the log', async () => {
    const log = memoryLog();
    const s = await openRedisState(
      redisConfig({ url: redis.url, username: 'davgate', passwordFile: join(dir, 'pw'), logMaxEntries: 1 }),
      log,
    );
    try {
      // Every command the store and its scripts use, under the restricted ACL (trimming included).
      await s.commitSnapshot(KEY, { baseSeq: 0, changes: [put('a.ics', 'ea'), put('b.ics', 'eb')] });
      assert.equal((await s.getSnapshot(KEY))?.seq, 2);
      assert.equal((await s.getSnapshot(KEY))?.seq, 2); // cached copy validated
      assert.equal(await s.commitSnapshot(KEY, { baseSeq: 2, changes: [{ name: 'a.ics', deleted: true }] }), 3);
      assert.deepEqual(await s.changesSince(KEY, 2), [{ seq: 3, name: 'a.ics', deleted: true }]);
      assert.equal(await s.changesSince(KEY, 1), 'expired');
      await s.set('dg:acl:v', 'x', 60);
      assert.equal(await s.get('dg:acl:v'), 'x');
      await s.delete('dg:acl:v');
      assert.equal(await s.ping(), true);
    } finally {
      await s.close();
    }
    const viaEnv = await openRedisState(
      redisConfig({ url: redis.url, username: 'davgate', passwordEnv: 'DG_TEST_REDIS_PW', logMaxAgeSeconds: 1 }),
      log,
      { DG_TEST_REDIS_PW: password },
    );
    try {
      assert.equal((await viaEnv.getSnapshot(KEY))?.seq, 3);
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal(await viaEnv.commitSnapshot(KEY, { baseSeq: 3, changes: [put('c.ics', 'ec')] }), 4); // age trim
      assert.deepEqual(await viaEnv.changesSince(KEY, 3), [{ seq: 4, name: 'c.ics', etag: 'ec', deleted: false }]);
    } finally {
      await viaEnv.close();
    }
    const wrong = await openRedisState(
      redisConfig({ url: redis.url, username: 'davgate', passwordEnv: 'DG_TEST_REDIS_PW', connectTimeoutMs: 500 }),
      log,
      { DG_TEST_REDIS_PW: 'wrong' },
    );
    try {
      await assert.rejects(wrong.getSnapshot(KEY), StateUnavailableError);
      assert.equal(await wrong.ping(), false);
    } finally {
      await wrong.close();
    }
    assert.ok(!JSON.stringify(log.lines).includes(password), 'password absent from the log');
  });

  test('a missing password file or variable is a configuration error naming the key', async () => {
    await assert.rejects(
      openRedisState(redisConfig({ url: redis.url, passwordFile: join(dir, 'nope') }), memoryLog()),
      /state\.passwordFile: cannot read/,
    );
    await assert.rejects(
      openRedisState(redisConfig({ url: redis.url, passwordEnv: 'DG_TEST_UNSET' }), memoryLog(), {}),
      /state\.passwordEnv: environment variable DG_TEST_UNSET is not set/,
    );
  });
});

describe('Redis state store (Cluster, three masters)', { skip }, () => {
  let cluster: ClusterSetup;
  let stores: RedisStateStore[] = [];
  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    for (const s of stores) await s.close();
    await cluster?.cleanup();
  });

  runStateStoreContract('redis cluster', async (retention) => {
    for (const m of cluster.masters) await m.command('FLUSHALL');
    const store = await openRedisState(
      redisConfig({
        mode: 'cluster',
        nodes: cluster.nodes,
        logMaxEntries: retention.maxLogEntries,
        logMaxAgeSeconds: retention.maxLogAgeSeconds,
      }),
      memoryLog(),
    );
    stores.push(store);
    return {
      store,
      cleanup: async () => {
        await store.close();
        stores = stores.filter((s) => s !== store);
      },
    };
  });

  test('collections spread over the masters; each commit stays in its slot', async () => {
    for (const m of cluster.masters) await m.command('FLUSHALL');
    const s = await openRedisState(redisConfig({ mode: 'cluster', nodes: cluster.nodes }), memoryLog());
    stores.push(s);
    for (let i = 0; i < 30; i++) {
      const key = collectionKey('it', { owner: `user${i}`, home: 'calendars', id: 'cal' });
      assert.equal(await s.commitSnapshot(key, { baseSeq: 0, changes: [put('a.ics', 'ea'), put('b.ics', 'eb')] }), 2);
      assert.equal((await s.changesSince(key, 1)) !== 'expired', true);
    }
    const sizes = await Promise.all(cluster.masters.map(async (m) => Number(await m.command('DBSIZE'))));
    assert.ok(sizes.filter((n) => n > 0).length >= 2, `keys on several masters: ${sizes}`);
  });
});
