// Fault tests of the Redis state store behind real gateway processes (issue 6). Losing Redis loses no data:
// - Redis killed mid-run: objects stay readable and writable (GET, PUT, DELETE, PROPFIND), only sync-collection
//   and getctag answer 503 with Retry-After, /readyz says not ready, /healthz stays ok; Redis back empty: the
//   epoch changed, old tokens get 403 valid-sync-token, and a full resync gives a complete, correct view.
// - Sentinel failover (Debian's redis-sentinel) with the replica promoted: no wrong answer at any point —
//   every sync answer is 207 and consistent, 503, or 403 valid-sync-token — and a resync afterwards is complete.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  hasRedis,
  hasRedisSentinel,
  type SentinelSetup,
  type StartedRedis,
  startRedis,
  startSentinelSetup,
} from '../support/redis.ts';
import { type RunningServer, type ServerUser, startServer } from '../support/server.ts';
import {
  decodeToken,
  ics,
  listCollection,
  putObject,
  redisEnv,
  request,
  type SyncAnswer,
  SyncView,
  syncCollection,
} from './redis-dav.ts';

const CAL = '/dav/calendars/alice/calendar/';
const GETCTAG =
  '<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/></d:prop></d:propfind>';

async function status(url: string): Promise<number> {
  const r = await fetch(url);
  await r.arrayBuffer();
  return r.status;
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what} within ${ms} ms`);
}

/** Two replicas on one data directory. */
async function startPair(env: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'davgate-fault-'));
  const servers: RunningServer[] = [];
  const cleanup = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    servers.push(await startServer({ dataDir: dir, users: ['alice'], env }));
    servers.push(await startServer({ dataDir: dir, users: [], env }));
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { servers, user: servers[0].users[0], cleanup };
}

/**
 * Object traffic that must keep working whatever Redis does: PUT a new object, GET it back, now and then
 * delete one, through alternating replicas. Returns a stop function resolving to the failures seen.
 */
function objectTraffic(origins: string[], user: ServerUser, prefix: string): () => Promise<string[]> {
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const origin = origins[i % origins.length];
      const name = `${prefix}-${i}.ics`;
      const p = await putObject(origin, user, `${CAL}${name}`, ics(name, `traffic ${i}`));
      if (p.status !== 201) failures.push(`PUT ${name}: ${p.status}`);
      const g = await request(origins[(i + 1) % origins.length], user, 'GET', `${CAL}${name}`);
      if (g.status !== 200 || !g.text.includes(`traffic ${i}`)) failures.push(`GET ${name}: ${g.status}`);
      if (i % 5 === 4) {
        const d = await request(origin, user, 'DELETE', `${CAL}${prefix}-${i - 2}.ics`);
        if (d.status !== 204) failures.push(`DELETE: ${d.status}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return failures;
  };
}

describe('Redis killed mid-run, then back empty', { skip: (await hasRedis()) ? false : 'redis-server missing' }, () => {
  let redis: StartedRedis;
  let pair: Awaited<ReturnType<typeof startPair>>;
  before(async () => {
    redis = await startRedis();
    pair = await startPair(redisEnv({ DAVGATE_STATE_URL: redis.url, DAVGATE_STATE_RETRY_AFTER_SECONDS: '3' }));
  });
  after(async () => {
    await pair?.cleanup();
    await redis?.cleanup();
  });

  test('objects keep working, sync answers 503 while down; afterwards old tokens 403 and a resync is complete', {
    timeout: 120_000,
  }, async () => {
    const [a, b] = pair.servers.map((s) => s.baseUrl);
    const u = pair.user;
    for (const n of ['k1', 'k2', 'k3'])
      assert.equal((await putObject(a, u, `${CAL}${n}.ics`, ics(`${n}.ics`, n))).status, 201);
    const view = new SyncView();
    view.apply(await syncCollection(a, u, CAL, ''), true);
    const before = decodeToken(view.token);
    assert.equal(await status(`${a}readyz`), 200);

    const stopTraffic = objectTraffic([a, b], u, 'kill');
    await new Promise((r) => setTimeout(r, 500));
    await redis.kill();

    // While Redis is down.
    for (const origin of [a, b]) {
      await until('readyz reports the outage', async () => (await status(`${origin}readyz`)) === 503, 10_000);
      assert.equal(await status(`${origin}healthz`), 200, '/healthz is the process only');
      const sync = await syncCollection(origin, u, CAL, view.token);
      assert.equal(sync.status, 503, sync.body);
      assert.equal(sync.retryAfter, '3');
      const ctag = await request(
        origin,
        u,
        'PROPFIND',
        CAL,
        { Depth: '0', 'Content-Type': 'application/xml' },
        GETCTAG,
      );
      assert.equal(ctag.status, 503);
      assert.equal(ctag.headers.get('retry-after'), '3');
      // Objects: read, write, list, delete.
      const listing = await listCollection(origin, u, CAL);
      assert.ok(listing.some(([n]) => n === 'k1.ics'));
      const put = await putObject(origin, u, `${CAL}down-${origin.length}.ics`, ics(`down-${origin.length}.ics`, 'x'));
      assert.ok(put.status === 201 || put.status === 204, `PUT while Redis is down: ${put.status}`);
      const get = await request(origin, u, 'GET', `${CAL}k2.ics`);
      assert.equal(get.status, 200);
      assert.equal(get.headers.get('etag'), view.members.get('k2.ics'), 'ETags do not depend on Redis');
    }
    assert.equal((await request(b, u, 'DELETE', `${CAL}k3.ics`)).status, 204);
    await new Promise((r) => setTimeout(r, 500));

    // Redis back, empty.
    await redis.restart();
    for (const origin of [a, b])
      await until('readyz again', async () => (await status(`${origin}readyz`)) === 200, 15_000);
    const failures = await stopTraffic();
    assert.deepEqual(failures, [], 'object traffic never failed');

    const old = await syncCollection(b, u, CAL, view.token);
    assert.equal(old.status, 403, old.body);
    assert.equal(old.validSyncToken, true, 'precondition valid-sync-token');
    const fresh = new SyncView();
    const full = await syncCollection(b, u, CAL, '');
    fresh.apply(full, true);
    assert.notEqual(decodeToken(fresh.token).e, before.e, 'a new epoch');
    assert.deepEqual(fresh.snapshot(), await listCollection(a, u, CAL), 'the resync is complete and correct');
    assert.ok(!fresh.members.has('k3.ics'));
    // And incremental sync works again, through the other replica.
    const w = await putObject(a, u, `${CAL}after.ics`, ics('after.ics', 'after'));
    const delta = await syncCollection(a, u, CAL, fresh.token);
    assert.deepEqual([...(delta.changed ?? [])], [['after.ics', w.etag]]);
  });
});

const sentinelSkip = (await hasRedisSentinel()) ? false : 'redis-sentinel missing (apt-get install redis-sentinel)';

for (const how of ['master killed', 'SENTINEL FAILOVER (planned)'] as const)
  describe(`Sentinel failover with the replica promoted: ${how}`, { skip: sentinelSkip }, () => {
    let sentinel: SentinelSetup;
    let pair: Awaited<ReturnType<typeof startPair>>;
    before(async () => {
      sentinel = await startSentinelSetup();
      pair = await startPair(
        redisEnv({
          DAVGATE_STATE_MODE: 'sentinel',
          DAVGATE_STATE_NODES: `[${sentinel.sentinelNode}]`,
          DAVGATE_STATE_SENTINEL_NAME: sentinel.masterName,
        }),
      );
    });
    after(async () => {
      await pair?.cleanup();
      await sentinel?.cleanup();
    });

    test('no wrong answer during the failover; old tokens 403 after it, and a resync is complete', {
      timeout: 120_000,
    }, async () => {
      const origins = pair.servers.map((s) => s.baseUrl);
      const u = pair.user;
      for (const n of ['s1', 's2'])
        assert.equal((await putObject(origins[0], u, `${CAL}${n}.ics`, ics(`${n}.ics`, n))).status, 201);
      const view = new SyncView();
      view.apply(await syncCollection(origins[1], u, CAL, ''), true);
      const preFailover = view.token;
      const epochBefore = decodeToken(preFailover).e;

      // A syncing client and object traffic run through the failover. Each 207 must be consistent: the view
      // after applying it equals what any other answer with the same token described, and tokens never go back.
      const stateOf = new Map<string, string>();
      const seen = { ok: 0, unavailable: 0, resync: 0 };
      const problems: string[] = [];
      let syncing = true;
      const syncer = (async () => {
        const mine = new SyncView();
        let last = -1;
        for (let i = 0; syncing; i++) {
          const initial = mine.token === '';
          const a: SyncAnswer = await syncCollection(origins[i % 2], u, CAL, mine.token);
          if (a.status === 503) seen.unavailable++;
          else if (a.status === 403 && a.validSyncToken) {
            seen.resync++;
            mine.token = '';
            last = -1;
          } else if (a.status === 207) {
            seen.ok++;
            mine.apply(a, initial);
            const { e, t } = decodeToken(mine.token);
            if (Number(t) < last) problems.push(`token went back ${last} → ${t}`);
            last = Number(t);
            const key = `${e}:${t}`;
            const state = JSON.stringify(mine.snapshot());
            if (stateOf.has(key) && stateOf.get(key) !== state) problems.push(`token ${key} names two states`);
            stateOf.set(key, state);
          } else problems.push(`sync answered ${a.status}: ${a.body.slice(0, 200)}`);
          await new Promise((r) => setTimeout(r, 25));
        }
        return mine;
      })();
      const stopTraffic = objectTraffic(origins, u, 'failover');
      await new Promise((r) => setTimeout(r, 1000));

      const oldMaster = await sentinel.currentMasterPort();
      assert.equal(oldMaster, sentinel.master.port);
      if (how === 'master killed') await sentinel.master.kill();
      else await sentinel.sentinel.command('SENTINEL', 'FAILOVER', sentinel.masterName);
      const newMaster = await sentinel.waitForFailover(oldMaster);
      assert.equal(newMaster, sentinel.replica.port, 'the replica was promoted');
      for (const [i, o] of origins.entries())
        await until('readyz after the failover', async () => (await status(`${o}readyz`)) === 200).catch((err) => {
          throw new Error(`${(err as Error).message}\n--- replica ${i} ---\n${pair.servers[i].logs()}`);
        });
      // Every replica has moved to the new master (which is another server: a new epoch) — after a planned
      // failover a replica may first keep reading from the demoted master until Sentinel disconnects it.
      for (const o of origins)
        await until('the replica uses the new epoch', async () => {
          const a = await syncCollection(o, u, CAL, '');
          return a.status === 207 && decodeToken(a.token as string).e !== epochBefore;
        });
      await new Promise((r) => setTimeout(r, 500));
      syncing = false;
      const mine = await syncer;
      const failures = await stopTraffic();
      assert.deepEqual(failures, [], 'object traffic never failed');
      assert.deepEqual(problems, [], `no wrong answer (${JSON.stringify(seen)})`);
      assert.ok(seen.ok > 10, JSON.stringify(seen));

      // Writes may have been lost with the old master: the epoch moved, so the old token is refused.
      const old = await syncCollection(origins[0], u, CAL, preFailover);
      assert.equal(old.status, 403, old.body);
      assert.equal(old.validSyncToken, true);
      const fresh = new SyncView();
      fresh.apply(await syncCollection(origins[1], u, CAL, ''), true);
      assert.notEqual(decodeToken(fresh.token).e, epochBefore);
      const truth = await listCollection(origins[0], u, CAL);
      assert.deepEqual(fresh.snapshot(), truth);
      // The client that synced through the failover converges too.
      const last = await syncCollection(origins[0], u, CAL, mine.token);
      if (last.status === 403) mine.apply(await syncCollection(origins[0], u, CAL, ''), true);
      else mine.apply(last, false);
      assert.deepEqual(mine.snapshot(), truth);
      console.log(`# failover (${how}): ${JSON.stringify(seen)}`);
    });
  });
