// `node bench/calendar.ts`: the issue 3 calendar workload against the real davgate server (embedded
// SQLite store). A calendar of 10,000 events over three years (2026–2028) in Europe/Vienna, 10 % of
// them recurring (daily, weekly, monthly; COUNT, UNTIL or unbounded) each with an EXDATE and a moved,
// renamed override. Measures the upload (PUT/s), a one-month calendar-query (getetag + calendar-data),
// the same with CALDAV:expand, and a one-month free-busy-query, and checks every answer against the
// instances the generator itself computed (its own date arithmetic, not ical.js).
//
//   node bench/calendar.ts [--events 10000] [--runs 60] [--connections 8] [--out bench/results/calendar.json]
//                          [--soak 2000]
//
// --soak N ends with N more REPORTs (the four workloads in turn over the 36 months) and samples the
// server's RSS 11 times: it must stay flat. (heapUsed: `node --expose-gc bench/calendar-core.ts --soak N`.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { expandedInstances, expectedFor, hrefsOf, monthRange, query, sameSet } from './calendar-checks.ts';
import { generate, utcString, ZONE } from './calendar-events.ts';
import {
  expectStatus,
  keepAliveAgent,
  machineTicks,
  procCpuMs,
  procStatus,
  ROOT,
  round,
  runUserAdd,
  type Server,
  send,
  startServer,
  stealPercent,
  stopServer,
  summarize,
  USER,
} from './lib.ts';
import { RawConnection } from './raw-http.ts';

const { values: args } = parseArgs({
  // Imported by bench/calendar-core.ts for its generator: the importer's arguments are not ours.
  args: process.env.CALBENCH_NO_MAIN ? [] : undefined,
  options: {
    events: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '60' },
    connections: { type: 'string', default: '8' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'calendar.json') },
    keep: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'skip-check': { type: 'boolean', default: false },
    soak: { type: 'string', default: '2000' },
  },
  strict: true,
});
const EVENTS = Number(args.events);
const RUNS = Number(args.runs);
const CONNECTIONS = Number(args.connections);

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'davgate-calbench-'));
  const dataDir = join(work, 'data');
  const configFile = join(work, 'davgate.yaml');
  writeFileSync(configFile, 'logging:\n  level: warn\n');
  let server: Server | undefined;
  try {
    runUserAdd(ROOT, dataDir, configFile);
    server = await startServer(ROOT, dataDir, configFile, args['cpu-prof']);
    const { target, prefix } = server;
    const agent = keepAliveAgent(CONNECTIONS);
    const cal = `${prefix}/calendars/${USER}/bench/`;
    const mk = await send(
      target,
      agent,
      'MKCALENDAR',
      cal,
      { 'Content-Type': 'application/xml; charset=utf-8' },
      `<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Bench</D:displayname><C:calendar-timezone-id>${ZONE}</C:calendar-timezone-id></D:prop></D:set></C:mkcalendar>`,
    );
    expectStatus(mk, [201], 'MKCALENDAR');
    const gens = generate(EVENTS);
    log(`generated ${gens.length} events (${gens.filter((g) => g.name.startsWith('series')).length} recurring)`);
    const rssStart = procStatus(server.pid);

    // Upload.
    let next = 0;
    const putMs: number[] = [];
    // The lean client (raw-http.ts): node:http's CPU per request would be taken from the server's cores.
    const conns = await Promise.all(Array.from({ length: CONNECTIONS }, () => RawConnection.open(target)));
    const cpu0 = procCpuMs(server.pid);
    const uploadTicks = machineTicks();
    const t0 = performance.now();
    try {
      await Promise.all(
        conns.map(async (conn) => {
          for (;;) {
            const k = next++;
            if (k >= gens.length) return;
            const t = performance.now();
            const r = await conn.request(
              'PUT',
              `${cal}${encodeURIComponent(gens[k].name)}`,
              { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
              gens[k].text,
            );
            putMs.push(performance.now() - t);
            if (r.status !== 201) throw new Error(`PUT ${gens[k].name}: expected 201, got ${r.status}`);
          }
        }),
      );
    } finally {
      for (const c of conns) c.close();
    }
    const uploadMs = performance.now() - t0;
    const putsPerSecond = gens.length / (uploadMs / 1000);
    const serverCpuUsPerPut = Math.round(((procCpuMs(server.pid) - cpu0) * 1000) / gens.length);
    const uploadSteal = stealPercent(uploadTicks);
    log(`upload: ${round(putsPerSecond)} PUT/s, ${serverCpuUsPerPut} µs server CPU per PUT`);
    const rssLoaded = procStatus(server.pid);

    // Correctness of every month once, then timed runs over the 36 months.
    const months = Array.from({ length: 36 }, (_, k) => monthRange(k));
    for (const [k, r] of (args['skip-check'] ? [] : months).entries()) {
      const exp = expectedFor(gens, r);
      const plain = await send(
        target,
        agent,
        'REPORT',
        cal,
        { Depth: '1', 'Content-Type': 'application/xml' },
        query(r, false),
      );
      expectStatus(plain, [207], 'calendar-query');
      const diff1 = sameSet(exp.objects, new Set(hrefsOf(plain.body)));
      if (diff1) throw new Error(`month ${k}: calendar-query objects differ: ${diff1}`);
      const ex = await send(
        target,
        agent,
        'REPORT',
        cal,
        { Depth: '1', 'Content-Type': 'application/xml' },
        query(r, true),
      );
      const diff2 = sameSet(exp.instances, expandedInstances(ex.body));
      if (diff2) throw new Error(`month ${k}: expanded instances differ: ${diff2}`);
      const fb = await send(
        target,
        agent,
        'REPORT',
        cal,
        { Depth: '1', 'Content-Type': 'application/xml' },
        `<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="${utcString(r.start)}" end="${utcString(r.end)}"/></C:free-busy-query>`,
      );
      expectStatus(fb, [200], 'free-busy-query');
      const periods = [...fb.body.matchAll(/^FREEBUSY(?:;FBTYPE=[A-Z-]+)?:(\d{8}T\d{6}Z)\/(\d{8}T\d{6}Z)\r?$/gm)].map(
        (m) => `${m[1]}/${m[2]}`,
      );
      // BUSY and BUSY-TENTATIVE are reported apart; merge them to compare with the expected union.
      const toMs = (s: string) =>
        Date.UTC(
          +s.slice(0, 4),
          +s.slice(4, 6) - 1,
          +s.slice(6, 8),
          +s.slice(9, 11),
          +s.slice(11, 13),
          +s.slice(13, 15),
        );
      const spans = periods.map((p) => p.split('/').map(toMs) as [number, number]).sort((a, b) => a[0] - b[0]);
      const merged: [number, number][] = [];
      for (const b of spans) {
        const last = merged[merged.length - 1];
        if (last && b[0] <= last[1]) last[1] = Math.max(last[1], b[1]);
        else merged.push([...b]);
      }
      if (JSON.stringify(merged) !== JSON.stringify(exp.busy)) {
        throw new Error(`month ${k}: free-busy differs (${merged.length} vs ${exp.busy.length} periods)`);
      }
      if (k === 0)
        log(`month 0: ${exp.objects.size} objects, ${exp.instances.size} instances, ${exp.busy.length} busy periods`);
    }
    log('all 36 months: calendar-query, expand and free-busy answers match the generated instances');

    // The timed REPORTs go over one connection of the lean client (raw-http.ts), as the other phases:
    // node:http's own CPU per answer (and its stream handling of a chunked body) was measured as well.
    const timedConn = await RawConnection.open(target);
    const timedTicks = machineTicks();
    const timed = async (body: (r: { start: number; end: number }) => string) => {
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = months[(i * 7) % months.length];
        const t = performance.now();
        const res = await timedConn.request('REPORT', cal, { Depth: '1', 'Content-Type': 'application/xml' }, body(r));
        samples.push(performance.now() - t);
        expectStatus(res, [200, 207], 'timed REPORT');
      }
      return summarize(samples);
    };
    const etagQuery = await timed((r) => query(r, 'etag'));
    const monthQuery = await timed((r) => query(r, false));
    const expandQuery = await timed((r) => query(r, true));
    const freeBusy = await timed(
      (r) =>
        `<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="${utcString(r.start)}" end="${utcString(r.end)}"/></C:free-busy-query>`,
    );
    timedConn.close();
    const timedSteal = stealPercent(timedTicks);
    const rssEnd = procStatus(server.pid);
    const soakBodies = [
      (r: { start: number; end: number }) => query(r, 'etag'),
      (r: { start: number; end: number }) => query(r, false),
      (r: { start: number; end: number }) => query(r, true),
      (r: { start: number; end: number }) =>
        `<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="${utcString(r.start)}" end="${utcString(r.end)}"/></C:free-busy-query>`,
    ];
    const soak: { requests: number; vmRSS_MB: number }[] = [];
    const soakN = Number(args.soak);
    for (let i = 0; i < soakN; i++) {
      if (i % Math.max(1, Math.floor(soakN / 10)) === 0)
        soak.push({ requests: i, vmRSS_MB: procStatus(server.pid).vmRSS_MB });
      const r = months[Math.floor(i / soakBodies.length) % months.length];
      const res = await send(
        target,
        agent,
        'REPORT',
        cal,
        { Depth: '1', 'Content-Type': 'application/xml' },
        soakBodies[i % soakBodies.length](r),
      );
      expectStatus(res, [200, 207], 'soak REPORT');
    }
    if (soakN) {
      soak.push({ requests: soakN, vmRSS_MB: procStatus(server.pid).vmRSS_MB });
      log(`soak: server RSS ${soak.map((x) => x.vmRSS_MB).join(' → ')} MB over ${soakN} REPORTs`);
    }
    const result = {
      events: gens.length,
      recurring: gens.filter((g) => g.name.startsWith('series')).length,
      upload: { ms: round(uploadMs), putsPerSecond: round(putsPerSecond), serverCpuUsPerPut, put: summarize(putMs) },
      load: loadavg().map((x) => round(x)),
      /** The machine's steal time (% of its CPU time) during the upload and the timed REPORTs. */
      stealPercent: { upload: uploadSteal, timed: timedSteal },
      etagQuery,
      monthQuery,
      expandQuery,
      freeBusy,
      rss: { start: rssStart, loaded: rssLoaded, end: rssEnd },
      soak,
      month0: (() => {
        const e = expectedFor(gens, months[0]);
        return { objects: e.objects.size, instances: e.instances.size, busyPeriods: e.busy.length };
      })(),
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    agent.destroy();
  } finally {
    if (server) await stopServer(server);
    if (!args.keep) rmSync(work, { recursive: true, force: true });
  }
}

if (!process.env.CALBENCH_NO_MAIN) await main();

export { expectedFor, generate, monthRange, query };
