// Scale-out (issue 6): three gateway processes on one Redis and one SQLite file (WAL) answer any request.
// A client syncs through replica A, writes through B, and its next sync-collection through C reports exactly
// that write; eight clients writing and syncing through random replicas for a while (60 s by default;
// DAVGATE_REPLICA_SOAK_SECONDS changes it) end with every view equal to the backend's, no token ever naming
// two different states, and a change log with no seq skipped and no change recorded twice.
// Loopback only; the load is bounded by the clients' think time and the duration.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { collectionKey, snapshotKeys } from '../../src/state/keys.ts';
import { mulberry32 } from '../support/prng.ts';
import { hasRedis, type StartedRedis, startRedis } from '../support/redis.ts';
import { type RunningServer, type ServerUser, startServer } from '../support/server.ts';
import {
  decodeToken,
  ics,
  listCollection,
  putObject,
  redisEnv,
  request,
  SyncView,
  syncCollection,
} from './redis-dav.ts';

const skip = (await hasRedis()) ? false : 'redis-server is not installed (apt-get install redis-server)';
const CAL = '/dav/calendars/alice/calendar/';
const SOAK_SECONDS = Number(process.env.DAVGATE_REPLICA_SOAK_SECONDS ?? 60);
const CLIENTS = 8;

/** Three gateways sharing one data directory and one Redis. */
async function startReplicas(
  redis: StartedRedis,
  feed: 'snapshot' | 'native',
): Promise<{ servers: RunningServer[]; user: ServerUser; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'davgate-replicas-'));
  const env = redisEnv({ DAVGATE_STATE_URL: redis.url }, feed);
  const servers: RunningServer[] = [];
  const cleanup = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    servers.push(await startServer({ dataDir: dir, users: ['alice'], env }));
    servers.push(...(await Promise.all([0, 1].map(() => startServer({ dataDir: dir, users: [], env })))));
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { servers, user: servers[0].users[0], cleanup };
}

for (const feed of ['snapshot', 'native'] as const) {
  describe(`three replicas, one Redis, one SQLite file (${feed} change feed)`, { skip }, () => {
    let redis: StartedRedis;
    let replicas: Awaited<ReturnType<typeof startReplicas>>;
    before(async () => {
      redis = await startRedis();
      replicas = await startReplicas(redis, feed);
    });
    after(async () => {
      await replicas?.cleanup();
      await redis?.cleanup();
    });

    test('sync through A, write through B: the next sync through C reports exactly that write', async () => {
      const [a, b, c] = replicas.servers.map((s) => s.baseUrl);
      const u = replicas.user;
      for (const n of ['one', 'two'])
        assert.equal((await putObject(a, u, `${CAL}${n}.ics`, ics(`${n}.ics`, n))).status, 201);
      const view = new SyncView();
      const first = await syncCollection(a, u, CAL, '');
      view.apply(first, true);
      assert.deepEqual([...view.members.keys()].sort(), ['one.ics', 'two.ics']);

      const written = await putObject(b, u, `${CAL}x.ics`, ics('x.ics', 'written through B'));
      assert.equal(written.status, 201);
      const viaC = await syncCollection(c, u, CAL, view.token);
      assert.equal(viaC.status, 207, viaC.body);
      assert.deepEqual([...(viaC.changed ?? [])], [['x.ics', written.etag]]);
      assert.deepEqual(viaC.deleted, []);
      view.apply(viaC, false);

      assert.equal((await request(a, u, 'DELETE', `${CAL}one.ics`)).status, 204);
      const viaB = await syncCollection(b, u, CAL, view.token);
      assert.deepEqual([...(viaB.changed ?? [])], []);
      assert.deepEqual(viaB.deleted, ['one.ics']);
      view.apply(viaB, false);

      const again = await syncCollection(c, u, CAL, view.token);
      assert.equal(again.changed?.size, 0);
      assert.deepEqual(again.deleted, []);
      assert.equal(again.token, view.token, 'no change, same token on another replica');
      assert.deepEqual(view.snapshot(), await listCollection(a, u, CAL));
      // getctag agrees across replicas.
      const ctags = await Promise.all(
        replicas.servers.map(async (s) => {
          const r = await request(
            s.baseUrl,
            u,
            'PROPFIND',
            CAL,
            { Depth: '0', 'Content-Type': 'application/xml' },
            '<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/></d:prop></d:propfind>',
          );
          assert.equal(r.status, 207);
          return /<[^>]*getctag[^>]*>([^<]+)</.exec(r.text)?.[1];
        }),
      );
      assert.equal(new Set(ctags).size, 1, `ctags: ${ctags}`);
    });

    if (feed === 'snapshot')
      test(`${CLIENTS} clients write and sync through random replicas for ${SOAK_SECONDS} s`, {
        timeout: (SOAK_SECONDS + 120) * 1000,
      }, async () => {
        const u = replicas.user;
        const origins = replicas.servers.map((s) => s.baseUrl);
        const seed = Number(process.env.DAVGATE_REPLICA_SOAK_SEED ?? Date.now() % 2 ** 31);
        const rand = mulberry32(seed);
        const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
        const deadline = Date.now() + SOAK_SECONDS * 1000;
        /** Every state a token was seen to name: `${epoch}:${seq}` → the view a client had after applying it. */
        const stateOf = new Map<string, string>();
        const stats = { syncs: 0, puts: 0, deletes: 0, gets: 0, unavailable: 0 };
        const problems: string[] = [];

        const syncOnce = async (i: number, view: SyncView, lastSeq: { v: number }) => {
          const initial = view.token === '';
          const a = await syncCollection(pick(origins), u, CAL, view.token);
          if (a.status === 503) {
            assert.match(a.body, /contention/, 'with Redis up, only contention may answer 503');
            stats.unavailable++;
            assert.ok(Number(a.retryAfter) > 0, '503 carries Retry-After');
            return;
          }
          assert.equal(a.status, 207, `client ${i}: ${a.status} ${a.body}`);
          stats.syncs++;
          const { e, t } = decodeToken(a.token as string);
          const seq = Number(t);
          if (seq < lastSeq.v) problems.push(`client ${i}: token went back from ${lastSeq.v} to ${seq}`);
          const delta = (a.changed?.size ?? 0) + (a.deleted?.length ?? 0);
          if (!initial && delta > 0 && seq === lastSeq.v)
            problems.push(`client ${i}: changes reported under an unchanged token ${seq}`);
          lastSeq.v = seq;
          view.apply(a, initial);
          const key = `${e}:${t}`;
          const state = JSON.stringify(view.snapshot());
          const seen = stateOf.get(key);
          if (seen === undefined) stateOf.set(key, state);
          else if (seen !== state) problems.push(`client ${i}: token ${t} names two different states`);
        };

        const client = async (i: number) => {
          const view = new SyncView();
          const lastSeq = { v: 0 };
          let k = 0;
          while (Date.now() < deadline) {
            const r = rand();
            const names = [...view.members.keys()];
            const origin = pick(origins);
            if (r >= 0.65) {
              await syncOnce(i, view, lastSeq);
            } else if (r < 0.3 || names.length === 0) {
              const name = `c${i}-${k++}.ics`;
              const p = await putObject(origin, u, `${CAL}${name}`, ics(name, `new by ${i}`));
              assert.equal(p.status, 201, `PUT new ${name}`);
              stats.puts++;
            } else if (r < 0.5) {
              const name = pick(names);
              const p = await putObject(origin, u, `${CAL}${name}`, ics(name, `edit ${k++} by ${i}`));
              assert.ok(p.status === 201 || p.status === 204, `PUT edit ${name}: ${p.status}`);
              stats.puts++;
            } else if (r < 0.6) {
              const d = await request(origin, u, 'DELETE', `${CAL}${pick(names)}`);
              assert.ok(d.status === 204 || d.status === 404, `DELETE: ${d.status}`);
              stats.deletes++;
            } else {
              const g = await request(origin, u, 'GET', `${CAL}${pick(names)}`);
              assert.ok(g.status === 200 || g.status === 404, `GET: ${g.status}`);
              stats.gets++;
            }
            await new Promise((res) => setTimeout(res, rand() * 10));
          }
          // Quiet now? Not yet: others may still write. Sync until this client's view is current.
          return { view, lastSeq };
        };

        const finished = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
        const truth = await listCollection(origins[0], u, CAL);
        for (const o of origins.slice(1)) assert.deepEqual(await listCollection(o, u, CAL), truth);
        for (const [i, { view, lastSeq }] of finished.entries()) {
          await syncOnce(i, view, lastSeq);
          assert.deepEqual(view.snapshot(), truth, `client ${i}'s view equals the backend's`);
        }
        assert.deepEqual(problems, [], `seed ${seed}`);

        // The change log itself: seq 1..N contiguous (none skipped), and no change recorded twice in a row.
        const key = snapshotKeys(collectionKey('sql', { owner: 'alice', home: 'calendars', id: 'calendar' }));
        const seq = Number(await redis.command('GET', key.seq));
        const entries = (await redis.command('LRANGE', key.log, '0', '-1')).split('\n').filter(Boolean);
        assert.equal(entries.length, seq, 'one log entry per seq, none skipped or trimmed');
        const last = new Map<string, string>();
        for (const [j, raw] of entries.entries()) {
          const { n, e, d } = JSON.parse(raw.slice(raw.indexOf(' ') + 1)) as { n: string; e?: string; d?: 1 };
          const v = d ? 'deleted' : (e as string);
          assert.notEqual(last.get(n), v, `seq ${j + 1}: ${n} recorded twice as ${v}`);
          last.set(n, v);
        }
        const snapshot = (await redis.command('HGETALL', key.snapshot)).split('\n');
        const snapMap = new Map<string, string>();
        for (let j = 0; j + 1 < snapshot.length; j += 2) snapMap.set(snapshot[j], snapshot[j + 1]);
        const bare = (etag: string) => etag.replace(/^(W\/)?"(.*)"$/, '$2');
        assert.deepEqual(
          [...snapMap].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
          truth.map(([n, e]) => [n, bare(e)]),
          'the stored snapshot is the backend listing',
        );
        assert.ok(stats.syncs > CLIENTS * 10, `enough syncs: ${JSON.stringify(stats)}`);
        // Every replica diffing one collection that takes ~100 writes a second: compare-and-set races are
        // retried, and only a rare sync gives up with 503 + Retry-After (a correct answer; clients retry).
        assert.ok(stats.unavailable * 100 <= stats.syncs, `at most 1 % of syncs 503: ${JSON.stringify(stats)}`);
        console.log(
          `# soak ${SOAK_SECONDS} s, seed ${seed}: ${JSON.stringify(stats)}, final seq ${seq}, ${truth.length} objects`,
        );
      });
  });
}
