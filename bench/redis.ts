// `node bench/redis.ts`: the Redis state store's costs (issue 6), measured on the real server with a real
// Debian redis-server on loopback. Targets: a no-change sync-collection with Redis answers in under 10 ms
// (p50) and costs at most 3 Redis round trips; GET and PUT of an object on a backend with native ETags
// cost no Redis round trip. Round trips are counted with Redis's own statistics (INFO commandstats,
// reset before each workload) and cross-checked with MONITOR, which marks commands run inside a Lua
// script ("lua") apart from the commands a client sent. Every loop is bounded; everything stays on 127.0.0.1.
//
//   node bench/redis.ts [--objects 1000] [--requests 500] [--out bench/results/redis.json]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type StartedRedis, startRedis } from '../test/support/redis.ts';
import { basicAuth, type RunningServer, startServer } from '../test/support/server.ts';
import {
  expectStatus,
  keepAliveAgent,
  PROPFIND_CTAG,
  ROOT,
  round,
  type Summary,
  send,
  summarize,
  syncCollectionBody,
  type Target,
  tagText,
} from './lib.ts';

const { values: opts } = parseArgs({
  options: {
    objects: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '500' },
    out: { type: 'string', default: 'bench/results/redis.json' },
  },
});
const OBJECTS = Number(opts.objects);
const REQUESTS = Number(opts.requests);
const MONITORED = Math.min(100, REQUESTS);
/** Commands the benchmark itself sends to Redis (statistics), never counted. */
const OWN = new Set(['config|resetstat', 'info', 'monitor', 'config', 'ping']);

const ics = (uid: string, summary: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davgate//bench//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260105T100000Z',
    'DTEND:20260105T110000Z',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

async function commandStats(redis: StartedRedis): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await redis.command('INFO', 'commandstats')).split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (m && !OWN.has(m[1])) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** Collects MONITOR lines until stopped: commands sent by clients vs. run inside Lua scripts. */
function monitor(port: number): { stop(): Promise<{ client: Record<string, number>; lua: Record<string, number> }> } {
  const sock = new Socket();
  let buf = '';
  sock.connect(port, '127.0.0.1', () => sock.write('MONITOR\r\n'));
  sock.on('data', (d) => {
    buf += d.toString('utf8');
  });
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 200));
      sock.destroy();
      const client: Record<string, number> = {};
      const lua: Record<string, number> = {};
      for (const line of buf.split('\r\n')) {
        const m = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
        if (!m) continue;
        const cmd = m[2].toLowerCase();
        if (OWN.has(cmd)) continue;
        const into = m[1] === 'lua' ? lua : client;
        into[cmd] = (into[cmd] ?? 0) + 1;
      }
      return { client, lua };
    },
  };
}

const perRequest = (stats: Record<string, number>, n: number) =>
  Object.fromEntries(
    Object.entries(stats)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, round(v / n, 2)]),
  );
const total = (stats: Record<string, number>) => Object.values(stats).reduce((a, b) => a + b, 0);

interface Workload {
  name: string;
  latency: Summary;
  /** INFO commandstats per request (client commands and the commands their scripts ran). */
  commandstats: Record<string, number>;
  /** MONITOR per request: what the gateway sent (= round trips, one command per round trip) … */
  clientCommands: Record<string, number>;
  /** … and what ran inside the scripts. */
  luaCommands: Record<string, number>;
  roundTripsPerRequest: number;
}

async function measure(
  name: string,
  redis: StartedRedis,
  run: (i: number) => Promise<void>,
  count = REQUESTS,
): Promise<Workload> {
  for (let i = 0; i < 20; i++) await run(i); // warm-up: JIT, script cache, connections
  await redis.command('CONFIG', 'RESETSTAT');
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  const stats = await commandStats(redis);
  const mon = monitor(redis.port);
  await new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < MONITORED; i++) await run(count + i);
  const seen = await mon.stop();
  return {
    name,
    latency: summarize(samples),
    commandstats: perRequest(stats, count),
    clientCommands: perRequest(seen.client, MONITORED),
    luaCommands: perRequest(seen.lua, MONITORED),
    roundTripsPerRequest: round(total(seen.client) / MONITORED, 2),
  };
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'davgate-bench-redis-'));
  const servers: RunningServer[] = [];
  const env = (extra: Record<string, string>) => ({
    DAVGATE_LOGGING_LEVEL: 'warn',
    DAVGATE_STATE_KIND: 'redis',
    DAVGATE_STATE_URL: redis.url,
    ...extra,
  });
  try {
    // One SQLite file, three gateways: snapshot feed on Redis, native feed (Redis configured), memory state.
    const snapshot = await startServer({
      dataDir,
      users: ['bench'],
      env: env({ DAVGATE_STORAGE_CHANGE_FEED: 'snapshot' }),
    });
    servers.push(snapshot);
    const user = snapshot.users[0];
    const native = await startServer({ dataDir, users: [], env: env({ DAVGATE_STORAGE_CHANGE_FEED: 'native' }) });
    servers.push(native);
    const memory = await startServer({
      dataDir,
      users: [],
      env: { DAVGATE_LOGGING_LEVEL: 'warn', DAVGATE_STORAGE_CHANGE_FEED: 'snapshot' },
    });
    servers.push(memory);
    const auth = { Authorization: basicAuth(user) };
    const agent = keepAliveAgent(8);
    const target = (s: RunningServer): Target => ({ host: '127.0.0.1', port: s.port });
    const cal = `${snapshot.prefix}/calendars/${user.name}/calendar/`;

    // Load.
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.command('INFO', 'memory'))?.[1]);
    const memBefore = await usedMemory();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < OBJECTS; i = next++) {
          const r = await send(
            target(snapshot),
            agent,
            'PUT',
            `${cal}e${i}.ics`,
            { ...auth, 'Content-Type': 'text/calendar' },
            ics(`e${i}.ics`, `event ${i}`),
          );
          expectStatus(r, [201], `PUT e${i}`);
        }
      }),
    );
    const loadMs = performance.now() - t0;
    // One snapshot sync records every object: snapshot hash plus one log entry each.
    const first = await send(
      target(snapshot),
      agent,
      'REPORT',
      cal,
      { ...auth, Depth: '0', 'Content-Type': 'application/xml' },
      syncCollectionBody(''),
    );
    expectStatus(first, [207], 'first sync');
    const bytesPerObject = Math.round(((await usedMemory()) - memBefore) / OBJECTS);

    const workloads: Workload[] = [];
    const syncWorkload = async (name: string, s: RunningServer) => {
      const first = await send(
        target(s),
        agent,
        'REPORT',
        cal,
        { ...auth, Depth: '0', 'Content-Type': 'application/xml' },
        syncCollectionBody(''),
      );
      expectStatus(first, [207], `${name}: initial sync`);
      const token = tagText(first.body, 'sync-token') as string;
      workloads.push(
        await measure(name, redis, async () => {
          const r = await send(
            target(s),
            agent,
            'REPORT',
            cal,
            { ...auth, Depth: '0', 'Content-Type': 'application/xml' },
            syncCollectionBody(token),
          );
          expectStatus(r, [207], name);
          if (tagText(r.body, 'sync-token') !== token || r.body.includes('<d:response>'))
            throw new Error(`${name}: not a no-change answer`);
        }),
      );
    };
    await syncWorkload('no-change sync-collection (snapshot feed, Redis)', snapshot);
    workloads.push(
      await measure('getctag + sync-token PROPFIND (snapshot feed, Redis)', redis, async () => {
        const r = await send(
          target(snapshot),
          agent,
          'PROPFIND',
          cal,
          { ...auth, Depth: '0', 'Content-Type': 'application/xml' },
          PROPFIND_CTAG,
        );
        expectStatus(r, [207], 'PROPFIND ctag');
      }),
    );
    await syncWorkload('no-change sync-collection (native feed, Redis configured)', native);
    await syncWorkload('no-change sync-collection (snapshot feed, memory state: reference)', memory);
    workloads.push(
      await measure('GET one object (native ETags)', redis, async (i) => {
        const r = await send(target(snapshot), agent, 'GET', `${cal}e${i % OBJECTS}.ics`, auth);
        expectStatus(r, [200], 'GET');
      }),
    );
    workloads.push(
      await measure('PUT (update) one object (native ETags)', redis, async (i) => {
        const n = i % OBJECTS;
        const r = await send(
          target(snapshot),
          agent,
          'PUT',
          `${cal}e${n}.ics`,
          { ...auth, 'Content-Type': 'text/calendar' },
          ics(`e${n}.ics`, `edit ${i}`),
        );
        expectStatus(r, [204], 'PUT');
      }),
    );

    const result = {
      when: new Date().toISOString(),
      objects: OBJECTS,
      requests: REQUESTS,
      monitored: MONITORED,
      loadMs: Math.round(loadMs),
      redisBytesPerObject: bytesPerObject,
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      redis: (await redis.command('INFO', 'server')).match(/redis_version:(\S+)/)?.[1],
      workloads,
    };
    const out = resolve(ROOT, opts.out as string);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);

    console.log(
      `\n${OBJECTS} events in one calendar, ${REQUESTS} requests per workload (sequential, keep-alive), Redis ${result.redis}\n`,
    );
    console.log('| workload | p50 ms | p90 ms | p99 ms | Redis round trips / request | commandstats / request |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const w of workloads) {
      const stats =
        Object.entries(w.commandstats)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '—';
      console.log(
        `| ${w.name} | ${round(w.latency.median)} | ${round(w.latency.p90)} | ${round(w.latency.p99)} | ${w.roundTripsPerRequest} (${
          Object.entries(w.clientCommands)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none'
        }) | ${stats} |`,
      );
    }
    console.log(`\nRedis memory: ${bytesPerObject} bytes per object (snapshot entry + one log entry)`);
    console.log(`results: ${out}`);
  } finally {
    for (const s of servers) await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await redis.cleanup();
  }
}

await main();
