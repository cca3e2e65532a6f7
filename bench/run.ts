// `npm run bench`: starts the real davgate server (embedded default: SQLite + in-memory state) on a
// temporary data directory, creates a user, loads an address book of realistic vCards and measures
// the workloads of issue 2's acceptance criteria. Prints a table and writes JSON results.
// All traffic stays on 127.0.0.1; every loop is bounded. docs/performance.md explains the workloads.
//
//   node bench/run.ts [--cards 3500] [--puts 1000] [--sync-runs 9] [--resync-runs 200]
//                     [--wrk-seconds 10] [--wrk-warmup 3] [--wrk-threads nproc-1] [--out bench/results/latest.json]
//                     [--only sync,resync,ctag,get,put] [--cpu-prof DIR] [--keep] [--server-root DIR] [--server-log FILE]
//                     [--entry start|src]
//
// --only picks workloads after the load (e.g. `--only get --cpu-prof /tmp/prof` to profile GET alone);
// --cpu-prof runs the server under `node --cpu-prof` (inspect with `node bench/profile-top.ts FILE`).
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  clockTicks,
  type Entry,
  expectStatus,
  initialSync,
  keepAliveAgent,
  machineTicks,
  members,
  PROPFIND_CTAG,
  type ProcMemory,
  procCpuMs,
  procStatus,
  putAll,
  ROOT,
  round,
  runUserAdd,
  runWrk,
  type Server,
  type SyncResult,
  send,
  startServer,
  stealPercent,
  stopServer,
  syncCollectionBody,
  tagText,
  timedLoop,
  USER,
  type WrkResult,
  wrkVersion,
} from './lib.ts';
import { RawConnection } from './raw-http.ts';
import { reportResults } from './run-report.ts';
import { generateVcards } from './vcards.ts';

const { values: args } = parseArgs({
  options: {
    cards: { type: 'string', default: '3500' },
    puts: { type: 'string', default: '1000' },
    'put-connections': { type: 'string', default: '8' },
    'sync-runs': { type: 'string', default: '9' },
    'resync-runs': { type: 'string', default: '200' },
    'wrk-seconds': { type: 'string', default: '10' },
    // Seconds of the same wrk load before the measured run (JIT and caches warm, as usual for throughput); 0 = none.
    'wrk-warmup': { type: 'string', default: '3' },
    // One wrk thread per spare core: on a 2-core machine a second one takes CPU from the server.
    'wrk-threads': { type: 'string', default: String(Math.max(1, Math.min(4, cpus().length - 1))) },
    'wrk-connections': { type: 'string', default: '16' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'latest.json') },
    'cpu-prof': { type: 'string' },
    'server-log': { type: 'string' },
    only: { type: 'string', default: 'sync,resync,ctag,get,put' },
    keep: { type: 'boolean', default: false },
    // The checkout whose src/main.ts is benchmarked (default: this one), e.g. an export of a commit
    // made with `git archive` while the working tree is being edited.
    'server-root': { type: 'string', default: ROOT },
    // start: scripts/start.sh as an operator runs it (stripped JS, its V8 flags); src: node src/main.ts.
    entry: { type: 'string', default: 'start' },
  },
  strict: true,
});

function positiveInt(name: string): number {
  const n = Number(args[name as keyof typeof args]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

const CARDS = positiveInt('cards');
const PUTS = positiveInt('puts');
const PUT_CONNECTIONS = positiveInt('put-connections');
const SYNC_RUNS = positiveInt('sync-runs');
const RESYNC_RUNS = positiveInt('resync-runs');
const WRK_SECONDS = positiveInt('wrk-seconds');
const WRK_WARMUP = Number(args['wrk-warmup']);
if (!Number.isInteger(WRK_WARMUP) || WRK_WARMUP < 0)
  throw new Error('--wrk-warmup: a whole number of seconds, 0 or more');
const WRK_THREADS = positiveInt('wrk-threads');
const WRK_CONNECTIONS = positiveInt('wrk-connections');
const MULTIGET_BATCH = 100;
const SERVER_ROOT = resolve(args['server-root']);
if (args.entry !== 'start' && args.entry !== 'src') throw new Error('--entry must be start or src');
const ENTRY: Entry = args.entry;
const PHASES = new Set(args.only.split(',').map((p) => p.trim()));
for (const p of PHASES) {
  if (!['sync', 'resync', 'ctag', 'get', 'put'].includes(p)) throw new Error(`--only: unknown workload ${p}`);
}

const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'davgate-bench-'));
  const dataDir = join(work, 'data');
  const configFile = join(work, 'davgate.yaml');
  // warn: the access log (info) would otherwise dominate the measurements.
  writeFileSync(configFile, 'logging:\n  level: warn\n');
  let server: Server | undefined;
  const loadAtStart = loadavg().map((x) => round(x));
  if (loadAtStart[0] > 0.5) {
    log(`warning: load average ${loadAtStart[0]} before start; other processes will skew the numbers`);
  }
  const rssByPhase: Record<string, ProcMemory> = {};
  try {
    runUserAdd(SERVER_ROOT, dataDir, configFile);
    server = await startServer(SERVER_ROOT, dataDir, configFile, args['cpu-prof'], ENTRY);
    const srv = server;
    if (args['server-log']) {
      // The server's output after its ready line (e.g. NODE_OPTIONS=--trace-gc for the heap per phase).
      const file = createWriteStream(args['server-log']);
      srv.child.stdout?.pipe(file);
      srv.child.stderr?.pipe(file);
    }
    const target = srv.target;
    const book = `${srv.prefix}/addressbooks/${USER}/contacts/`;
    log(`server pid ${srv.pid} on http://${target.host}:${target.port}${srv.prefix}/, data in ${work}`);
    rssByPhase.started = procStatus(srv.pid);
    const hz = clockTicks();
    const cpuMs: Record<string, number> = {};
    const stealPct: Record<string, number> = {};
    let cpuMark = procCpuMs(srv.pid, hz);
    let ticksMark = machineTicks();
    /** Server CPU ms (and the machine's steal) since the previous call or mark, recorded under `phase`. */
    const cpuSince = (phase: string) => {
      const now = procCpuMs(srv.pid, hz);
      cpuMs[phase] = round(now - cpuMark, 0);
      stealPct[phase] = stealPercent(ticksMark);
      cpuMark = now;
      ticksMark = machineTicks();
    };
    /** Starts a phase's measurement here (after its warm-up). */
    const markCpu = () => {
      cpuMark = procCpuMs(srv.pid, hz);
      ticksMark = machineTicks();
    };

    // 1. Load the address book.
    const cards = generateVcards(CARDS);
    const bytes = cards.reduce((a, c) => a + Buffer.byteLength(c.text), 0);
    log(
      `loading ${CARDS} vCards (${(bytes / 1e6).toFixed(1)} MB, ${cards.filter((c) => c.hasPhoto).length} with PHOTO)`,
    );
    const load = await putAll(target, book, cards, PUT_CONNECTIONS);
    cpuSince('load');
    rssByPhase.loaded = procStatus(srv.pid);

    // 2. Initial sync, over one keep-alive connection.
    const agent = keepAliveAgent(1);
    const syncs: SyncResult[] = [];
    if (PHASES.has('sync')) {
      log(`initial sync x${SYNC_RUNS}`);
      // Over one keep-alive connection of the lean client (raw-http.ts), as the PUT phases.
      const conn = await RawConnection.open(target);
      try {
        for (let i = 0; i < SYNC_RUNS; i++) syncs.push(await initialSync(conn, book, CARDS, MULTIGET_BATCH));
      } finally {
        conn.close();
      }
      cpuSince('sync');
      rssByPhase.synced = procStatus(srv.pid);
    }

    // 4. ctag check (PROPFIND Depth 0 getctag + sync-token); it also gives the client its sync token.
    const depth0 = { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' };
    let token = '';
    let ctag = '';
    const ctagOnce = async () => {
      const r = await send(target, agent, 'PROPFIND', book, depth0, PROPFIND_CTAG);
      expectStatus(r, [207], 'PROPFIND getctag');
      ctag = tagText(r.body, 'getctag') ?? '';
      token = tagText(r.body, 'sync-token') ?? '';
    };
    let ctagMs: number[] = [];
    if (PHASES.has('ctag')) {
      log(`ctag PROPFIND x${RESYNC_RUNS}`);
      markCpu();
      ctagMs = await timedLoop(RESYNC_RUNS, ctagOnce);
      cpuSince('ctag');
    } else {
      await ctagOnce();
    }
    if (!ctag || !token) throw new Error('PROPFIND Depth 0 returned no getctag or sync-token');

    // 3. No-change re-sync with the last token.
    let resyncMs: number[] = [];
    if (PHASES.has('resync')) {
      log(`no-change sync-collection x${RESYNC_RUNS}`);
      const reportHeaders = { 'Content-Type': 'application/xml; charset=utf-8' };
      const resyncBody = syncCollectionBody(token);
      markCpu();
      resyncMs = await timedLoop(RESYNC_RUNS, async () => {
        const r = await send(target, agent, 'REPORT', book, reportHeaders, resyncBody);
        expectStatus(r, [207], 'sync-collection');
        const changed = members(r.body).length;
        if (changed !== 0) throw new Error(`no-change sync-collection returned ${changed} members`);
      });
      cpuSince('resync');
    }
    agent.destroy();

    // 5. GET of one object at 16 connections (wrk). A typical card: no PHOTO.
    const one = cards.find((c) => !c.hasPhoto) ?? cards[0];
    const oneUrl = `http://${target.host}:${target.port}${book}${one.name}`;
    const wrkV = wrkVersion();
    let wrk: WrkResult | undefined;
    if (PHASES.has('get')) {
      if (wrkV) {
        log(
          `wrk GET ${WRK_SECONDS}s at ${WRK_CONNECTIONS} connections, ${WRK_THREADS} threads, after ${WRK_WARMUP}s of warm-up`,
        );
        if (WRK_WARMUP > 0) runWrk(oneUrl, WRK_THREADS, WRK_CONNECTIONS, WRK_WARMUP);
        markCpu();
        wrk = runWrk(oneUrl, WRK_THREADS, WRK_CONNECTIONS, WRK_SECONDS);
        cpuSince('get');
        rssByPhase.afterGet = procStatus(srv.pid);
      } else {
        log('wrk not found (apt-get install wrk): GET throughput skipped');
      }
    }

    // 6. New vCards at 8 connections, the book growing from CARDS to CARDS + PUTS.
    let put: Awaited<ReturnType<typeof putAll>> | undefined;
    if (PHASES.has('put')) {
      log(`${PUTS} PUTs of new vCards at ${PUT_CONNECTIONS} connections`);
      const fresh = generateVcards(PUTS, { offset: CARDS, seed: 77 });
      markCpu();
      put = await putAll(target, book, fresh, PUT_CONNECTIONS);
      cpuSince('put');
    }

    // 7. Peak RSS of the server process.
    rssByPhase.end = procStatus(srv.pid);

    const exitCode = await stopServer(srv);
    server = undefined;

    reportResults(
      {
        cardCount: CARDS,
        putCount: PUTS,
        putConnections: PUT_CONNECTIONS,
        syncRuns: SYNC_RUNS,
        resyncRuns: RESYNC_RUNS,
        wrkSeconds: WRK_SECONDS,
        wrkWarmupSeconds: WRK_WARMUP,
        wrkThreads: WRK_THREADS,
        wrkConnections: WRK_CONNECTIONS,
        serverRoot: SERVER_ROOT,
        entry: ENTRY,
        out: args.out,
      },
      {
        loadAtStart,
        wrkV,
        exitCode,
        cpuMs,
        stealPct,
        book,
        cards,
        bytes,
        one,
        load,
        syncs,
        ctagMs,
        resyncMs,
        wrk,
        put,
        rssByPhase,
      },
    );
  } catch (err) {
    if (server) process.stderr.write(`server stderr (tail):\n${server.stderr.join('').slice(-4000)}\n`);
    throw err;
  } finally {
    if (server) await stopServer(server);
    if (args.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
