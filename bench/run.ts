// `npm run bench`: starts the real davgate server (embedded default: SQLite + in-memory state) on a
// temporary data directory, creates a user, loads an address book of realistic vCards and measures
// the workloads of issue 2's acceptance criteria. Prints a table and writes JSON results.
// All traffic stays on 127.0.0.1; every loop is bounded. docs/performance.md explains the workloads.
//
//   node bench/run.ts [--cards 3500] [--puts 1000] [--sync-runs 9] [--resync-runs 200]
//                     [--wrk-seconds 10] [--wrk-threads nproc-1] [--out bench/results/latest.json]
//                     [--only sync,resync,ctag,get,put] [--cpu-prof DIR] [--keep] [--server-root DIR] [--server-log FILE]
//                     [--entry start|src]
//
// --only picks workloads after the load (e.g. `--only get --cpu-prof /tmp/prof` to profile GET alone);
// --cpu-prof runs the server under `node --cpu-prof` (inspect with `node bench/profile-top.ts FILE`).
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  clockTicks,
  deciles,
  type Entry,
  expectStatus,
  gitCommit,
  initialSync,
  keepAliveAgent,
  mapRound,
  members,
  PROPFIND_CTAG,
  type ProcMemory,
  printTable,
  procCpuMs,
  procStatus,
  putAll,
  ROOT,
  relativeDrift,
  round,
  runUserAdd,
  runWrk,
  type Server,
  type SyncResult,
  send,
  startServer,
  stopServer,
  summarize,
  syncCollectionBody,
  tagText,
  timedLoop,
  USER,
  type WrkResult,
  wrkVersion,
  yes,
} from './lib.ts';
import { generateVcards } from './vcards.ts';

const { values: args } = parseArgs({
  options: {
    cards: { type: 'string', default: '3500' },
    puts: { type: 'string', default: '1000' },
    'put-connections': { type: 'string', default: '8' },
    'sync-runs': { type: 'string', default: '9' },
    'resync-runs': { type: 'string', default: '200' },
    'wrk-seconds': { type: 'string', default: '10' },
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
    let cpuMark = procCpuMs(srv.pid, hz);
    /** Server CPU ms spent since the previous call, recorded under `phase`. */
    const cpuSince = (phase: string) => {
      const now = procCpuMs(srv.pid, hz);
      cpuMs[phase] = round(now - cpuMark, 0);
      cpuMark = now;
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
      for (let i = 0; i < SYNC_RUNS; i++) syncs.push(await initialSync(target, agent, book, CARDS, MULTIGET_BATCH));
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
      cpuMark = procCpuMs(srv.pid, hz);
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
      cpuMark = procCpuMs(srv.pid, hz);
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
        log(`wrk GET ${WRK_SECONDS}s at ${WRK_CONNECTIONS} connections, ${WRK_THREADS} threads`);
        cpuMark = procCpuMs(srv.pid, hz);
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
      cpuMark = procCpuMs(srv.pid, hz);
      put = await putAll(target, book, fresh, PUT_CONNECTIONS);
      cpuSince('put');
    }

    // 7. Peak RSS of the server process.
    rssByPhase.end = procStatus(srv.pid);
    const rss = rssByPhase.end;

    const exitCode = await stopServer(srv);
    server = undefined;

    const syncMs = syncs.map((s) => s.ms);
    const syncSummary = syncs.length > 0 ? summarize(syncMs) : undefined;
    const resync = resyncMs.length > 0 ? summarize(resyncMs) : undefined;
    const ctagSummary = ctagMs.length > 0 ? summarize(ctagMs) : undefined;
    const putRate = put ? PUTS / (put.wallMs / 1000) : Number.NaN;
    const putDeciles = put ? deciles(put.puts) : [];
    const loadDeciles = deciles(load.puts);
    const flatness = put ? putDeciles[putDeciles.length - 1].medianMs / putDeciles[0].medianMs : Number.NaN;
    // Drift of the least-squares line through the decile medians, first to last decile, relative to their median.
    const drift = put ? relativeDrift(putDeciles.map((d) => d.medianMs)) : Number.NaN;
    const loadDrift = relativeDrift(loadDeciles.map((d) => d.medianMs));

    const results = {
      date: new Date().toISOString(),
      serverRoot: SERVER_ROOT,
      commit: gitCommit(SERVER_ROOT),
      command: `node bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine: {
        nproc: cpus().length,
        cpu: cpus()[0]?.model,
        node: process.version,
        wrk: wrkV,
        platform: `${process.platform} ${process.arch}`,
        loadavgAtStart: loadAtStart,
        loadavgAtEnd: loadavg().map((x) => round(x)),
      },
      server: {
        exitCode,
        entry: ENTRY === 'start' ? 'scripts/start.sh serve' : 'node src/main.ts serve',
        nodeOptions: process.env.NODE_OPTIONS ?? '',
        storage: 'sqlite',
        state: 'memory',
        logging: 'warn',
        cpuMsByPhase: cpuMs,
        cpuPerOperation: {
          loadPutUs: round((1000 * cpuMs.load) / CARDS, 0),
          syncMsPerRun: syncs.length > 0 ? round(cpuMs.sync / syncs.length, 1) : null,
          ctagUs: ctagMs.length > 0 ? round((1000 * cpuMs.ctag) / ctagMs.length, 0) : null,
          resyncUs: resyncMs.length > 0 ? round((1000 * cpuMs.resync) / resyncMs.length, 0) : null,
          getUs: wrk ? round((1000 * cpuMs.get) / wrk.requests, 0) : null,
          putUs: put ? round((1000 * cpuMs.put) / PUTS, 0) : null,
        },
      },
      dataset: {
        cards: CARDS,
        bytes,
        withPhoto: cards.filter((c) => c.hasPhoto).length,
        getObjectBytes: Buffer.byteLength(one.text),
      },
      load: {
        wallMs: round(load.wallMs),
        perSecond: round(CARDS / (load.wallMs / 1000), 1),
        deciles: loadDeciles,
        fittedDriftOfDecileMedians: round(loadDrift, 3),
      },
      initialSync: syncSummary
        ? {
            runs: syncMs.map((x) => round(x)),
            first_s: round(syncMs[0] / 1000, 3),
            median_s: round(syncSummary.median / 1000, 3),
            min_s: round(syncSummary.min / 1000, 3),
            propfindMedianMs: round(summarize(syncs.map((s) => s.propfindMs)).median),
            multigetMedianMs: round(summarize(syncs.map((s) => s.multigetMs)).median),
            requests: syncs[0].requests,
            responseBytes: syncs[0].bytes,
          }
        : null,
      noChangeResync: resync ? { ...mapRound(resync), unit: 'ms' } : null,
      ctag: ctagSummary ? { ...mapRound(ctagSummary), unit: 'ms' } : null,
      get: wrk
        ? {
            url: `${book}${one.name}`,
            threads: WRK_THREADS,
            connections: WRK_CONNECTIONS,
            seconds: WRK_SECONDS,
            requestsPerSec: wrk.requestsPerSec,
            requests: wrk.requests,
            non2xx: wrk.non2xx,
            socketErrors: wrk.socketErrors,
            latency: wrk.latency,
          }
        : null,
      put: put
        ? {
            count: PUTS,
            connections: PUT_CONNECTIONS,
            wallMs: round(put.wallMs),
            perSecond: round(putRate, 1),
            latencyMs: mapRound(summarize(put.puts.map((p) => p.ms))),
            deciles: putDeciles,
            lastOverFirstDecileMedian: round(flatness),
            fittedDriftOfDecileMedians: round(drift, 3),
          }
        : null,
      rss: { peakMB: rss.vmHWM_MB, byPhase: rssByPhase },
    };

    const skipped = ['skipped', '', '-'] as const;
    const rows: string[][] = [
      ['workload', 'measured', 'target', 'met', 'SabreDAV/SQLite (Radicale)'],
      [
        `initial sync, ${CARDS} cards (median of ${SYNC_RUNS})`,
        ...(syncSummary
          ? [`${(syncSummary.median / 1000).toFixed(3)} s`, '< 0.3 s', yes(syncSummary.median < 300)]
          : skipped),
        '0.47 s (4.1 s)',
      ],
      [
        `no-change sync-collection (median of ${RESYNC_RUNS})`,
        ...(resync ? [`${resync.median.toFixed(2)} ms`, '< 5 ms', yes(resync.median < 5)] : skipped),
        '',
      ],
      [
        `ctag PROPFIND Depth 0 (median of ${RESYNC_RUNS})`,
        ...(ctagSummary ? [`${ctagSummary.median.toFixed(2)} ms`, '', ''] : skipped),
        '4 ms',
      ],
      [
        `GET one object, ${WRK_CONNECTIONS} conns (wrk)`,
        ...(wrk
          ? [
              `${Math.round(wrk.requestsPerSec)} req/s`,
              '≥ 5,000 req/s',
              yes(wrk.requestsPerSec >= 5000 && wrk.non2xx === 0),
            ]
          : skipped),
        '~2,800 req/s',
      ],
      [
        `${PUTS} PUTs of new vCards, ${PUT_CONNECTIONS} conns`,
        ...(put ? [`${Math.round(putRate)} PUT/s`, '≥ 1,000/s', yes(putRate >= 1000)] : skipped),
        '',
      ],
      [
        'PUT latency drift, first→last decile (fit)',
        ...(put
          ? [`${drift >= 0 ? '+' : ''}${Math.round(drift * 100)} %`, 'flat (≤ +25 %)', yes(drift <= 0.25)]
          : skipped),
        '',
      ],
      ['server peak RSS (VmHWM)', `${rss.vmHWM_MB} MB`, '< 150 MB', yes(rss.vmHWM_MB < 150), ''],
    ];
    printTable(rows);
    console.log(
      `\nload: ${CARDS} PUTs in ${(load.wallMs / 1000).toFixed(2)} s (${results.load.perSecond}/s), latency drift ${Math.round(loadDrift * 100)} % as the book grows from 0`,
    );
    if (results.initialSync) {
      const s = results.initialSync;
      console.log(
        `initial sync runs (s): ${syncMs.map((x) => (x / 1000).toFixed(3)).join(' ')}; PROPFIND ${s.propfindMedianMs} ms + ${s.requests - 1} multigets ${s.multigetMedianMs} ms (medians)`,
      );
    }
    if (resync) console.log(`no-change sync p90 ${resync.p90.toFixed(2)} ms`);
    if (ctagSummary) console.log(`ctag p90 ${ctagSummary.p90.toFixed(2)} ms`);
    if (wrk) console.log(`GET latency ${JSON.stringify(wrk.latency)}, non-2xx ${wrk.non2xx}`);
    const per = results.server.cpuPerOperation;
    console.log(
      `server CPU per operation: load PUT ${per.loadPutUs} µs, sync ${per.syncMsPerRun} ms/run, ctag ${per.ctagUs} µs, re-sync ${per.resyncUs} µs, GET ${per.getUs} µs, PUT ${per.putUs} µs`,
    );
    if (put) {
      console.log(`PUT ms per decile (median/p90): ${putDeciles.map((d) => `${d.medianMs}/${d.p90Ms}`).join('  ')}`);
    }
    console.log(
      `RSS by phase (MB, VmRSS = anon + file + shmem): ${Object.entries(rssByPhase)
        .map(([k, v]) => `${k} ${v.vmRSS_MB} = ${v.rssAnon_MB} + ${v.rssFile_MB} + ${v.rssShmem_MB}`)
        .join(', ')}`,
    );

    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nresults written to ${args.out}`);
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
