// The results of bench/run.ts: derives the statistics from the measurements of one run, prints the
// table against issue 2's targets plus the detail lines, and writes the JSON results file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import {
  deciles,
  type Entry,
  gitCommit,
  mapRound,
  type ProcMemory,
  printTable,
  type putAll,
  relativeDrift,
  round,
  type SyncResult,
  summarize,
  type WrkResult,
  yes,
} from './lib.ts';
import type { GeneratedCard } from './vcards.ts';

/** The options of the run (bench/run.ts's arguments). */
export interface RunConfig {
  cardCount: number;
  putCount: number;
  putConnections: number;
  syncRuns: number;
  resyncRuns: number;
  wrkSeconds: number;
  /** Seconds of wrk load before the measured run. */
  wrkWarmupSeconds: number;
  wrkThreads: number;
  wrkConnections: number;
  serverRoot: string;
  entry: Entry;
  out: string;
}

/** What one run measured; the workloads left out by --only are empty or undefined. */
export interface RunMeasurements {
  loadAtStart: number[];
  wrkV: string | undefined;
  exitCode: number | null;
  cpuMs: Record<string, number>;
  /** The machine's steal time per phase (%), bench/server.ts stealPercent. */
  stealPct: Record<string, number>;
  book: string;
  cards: GeneratedCard[];
  bytes: number;
  one: GeneratedCard;
  load: Awaited<ReturnType<typeof putAll>>;
  syncs: SyncResult[];
  ctagMs: number[];
  resyncMs: number[];
  wrk: WrkResult | undefined;
  put: Awaited<ReturnType<typeof putAll>> | undefined;
  rssByPhase: Record<string, ProcMemory>;
}

/** Prints the table and details of one run and writes its JSON results to `config.out`. */
export function reportResults(config: RunConfig, m: RunMeasurements): void {
  const {
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
  } = config;
  const {
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
  } = m;
  const rss = rssByPhase.end;

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
      stealPercentByPhase: stealPct,
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
          warmupSeconds: WRK_WARMUP,
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
  console.log(
    `host steal time per phase (% of the machine's CPU time): ${Object.entries(stealPct)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  if (put) {
    console.log(`PUT ms per decile (median/p90): ${putDeciles.map((d) => `${d.medianMs}/${d.p90Ms}`).join('  ')}`);
  }
  console.log(
    `RSS by phase (MB, VmRSS = anon + file + shmem): ${Object.entries(rssByPhase)
      .map(([k, v]) => `${k} ${v.vmRSS_MB} = ${v.rssAnon_MB} + ${v.rssFile_MB} + ${v.rssShmem_MB}`)
      .join(', ')}`,
  );

  mkdirSync(dirname(config.out), { recursive: true });
  writeFileSync(config.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults written to ${config.out}`);
}
