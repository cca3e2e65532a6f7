// `node bench/calendar-core.ts`: the issue 3 calendar REPORTs in process, without HTTP — the same
// 10,000 generated events (bench/calendar.ts) in an SQLite store, validated and indexed as a PUT
// would, then calendar-query (getetag, calendar-data, expand) and free-busy-query over changing
// months, each answer serialised to XML as the server would. Reports CPU time per REPORT (median of
// --runs), which the shared machine disturbs less than wall time over HTTP; `--cpu-prof` to profile.
//
//   node [--expose-gc] bench/calendar-core.ts [--events 10000] [--runs 60] [--only etag,data,expand,fb]
//        [--cpu-prof FILE] [--soak N]
//
// --soak N then runs N more REPORTs (the four workloads in turn over the 36 months) and samples RSS and
// heapUsed 20 times (heapUsed after a full GC too with --expose-gc): memory must stay flat.
// Prints CPU ms p50 and p99 per REPORT.
// --cpu-prof writes a V8 CPU profile of the timed REPORTs only (not the load) for bench/profile-top.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '../adapters/sql/open.ts';
import { calendarQuery } from '../src/caldav/calendar-query.ts';
import { freeBusyQuery } from '../src/caldav/free-busy-query.ts';
import { caldavProperties } from '../src/caldav/props.ts';
import { testContext } from '../src/caldav/test-support.ts';
import { vcalendarForZone } from '../src/caldav/timezones.ts';
import { validateCalendarObject } from '../src/caldav/validate.ts';
import { PropertyRegistry } from '../src/dav/props/registry.ts';
import { webdavProperties } from '../src/dav/props/webdav.ts';
import type { Resource } from '../src/dav/resource.ts';
import { isXmlChunks } from '../src/dav/response.ts';
import { parseXml } from '../src/dav/xml/parse.ts';
import type { XmlElement } from '../src/dav/xml/tree.ts';
import { writeXml } from '../src/dav/xml/write.ts';

process.env.CALBENCH_NO_MAIN = '1';
const { generate, monthRange, query } = await import('./calendar.ts');

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '60' },
    only: { type: 'string', default: 'etag,data,expand,fb' },
    'cpu-prof': { type: 'string' },
    soak: { type: 'string', default: '0' },
  },
  strict: true,
});

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

const dir = mkdtempSync(join(tmpdir(), 'davgate-calcore-'));
const store = await openSqlite(join(dir, 'bench.sqlite'));
try {
  const backend = store.backend;
  const ref = { owner: 'bench', home: 'calendars' as const, id: 'bench' };
  const info = await backend.admin?.createCollection(ref, 'calendar', {
    components: ['VEVENT', 'VTODO'],
    timezone: vcalendarForZone('Europe/Vienna'),
  });
  if (!info) throw new Error('no admin capability');
  const gens = generate(Number(args.events));
  let t = cpuMs();
  for (const g of gens) {
    const v = validateCalendarObject(g.text, info);
    const body = new TextEncoder().encode(v.text);
    const input = { body, contentType: 'text/calendar; charset=utf-8', uid: v.uid, componentType: v.componentType };
    await backend.putObject(info.ref, g.name, { ...input, timeIndex: v.timeIndex }, { ifNoneMatchAny: true });
  }
  process.stderr.write(`loaded ${gens.length} events: ${((cpuMs() - t) / gens.length).toFixed(3)} ms CPU each\n`);
  const ctx = testContext({
    backend,
    depth: '1',
    props: new PropertyRegistry().register(...webdavProperties, ...caldavProperties),
  });
  const target: Resource = { type: 'collection', info, backend };
  const months = Array.from({ length: 36 }, (_, k) => monthRange(k));
  const fbBody = (r: { start: number; end: number }) => {
    const s = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d+/g, '');
    return `<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="${s(r.start)}" end="${s(r.end)}"/></C:free-busy-query>`;
  };
  const workloads: Record<string, (r: { start: number; end: number }) => Promise<number>> = {
    etag: (r) => report(calendarQuery, query(r, 'etag')),
    data: (r) => report(calendarQuery, query(r, false)),
    expand: (r) => report(calendarQuery, query(r, true)),
    fb: (r) => report(freeBusyQuery, fbBody(r)),
  };
  // biome-ignore lint/suspicious/noExplicitAny: the two report handlers differ in their query type
  async function report(handler: any, body: string): Promise<number> {
    const res = await handler.run(ctx, target, handler.parse(ctx, parseXml(body)));
    // A streamed multistatus is drained chunk by chunk as the server does (chunks are not joined).
    if (isXmlChunks(res.body)) {
      let n = res.body.head.length;
      if (res.body.rest)
        for (let c = await res.body.rest.next(); !c.done; c = await res.body.rest.next()) n += c.value.length;
      return n;
    }
    const out = typeof res.body === 'string' ? res.body : writeXml(res.body as XmlElement);
    return out.length;
  }
  const result: Record<string, { cpuMsP50: number; cpuMsP99: number; wallMsP50: number; bytes: number }> = {};
  const profiler = args['cpu-prof'] ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  for (const name of String(args.only).split(',')) {
    const run = workloads[name];
    for (let i = 0; i < 5; i++) await run(months[i]); // warm-up
    const cpu: number[] = [];
    const wall: number[] = [];
    let bytes = 0;
    for (let i = 0; i < Number(args.runs); i++) {
      const r = months[(i * 7) % months.length];
      t = cpuMs();
      const w = performance.now();
      bytes = await run(r);
      wall.push(performance.now() - w);
      cpu.push(cpuMs() - t);
    }
    // CALBENCH_ALL=1: every run's CPU ms, to see which months are slow.
    if (process.env.CALBENCH_ALL) process.stderr.write(`${name}: ${cpu.map((x) => x.toFixed(1)).join(' ')}\n`);
    const r2 = (x: number) => +x.toFixed(2);
    result[name] = {
      cpuMsP50: r2(quantile(cpu, 0.5)),
      cpuMsP99: r2(quantile(cpu, 0.99)),
      wallMsP50: r2(quantile(wall, 0.5)),
      bytes,
    };
  }
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(String(args['cpu-prof']), JSON.stringify(profile));
  }
  const soak = Number(args.soak);
  const samples: { requests: number; rssMB: number; heapUsedMB: number; heapAfterGcMB?: number }[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const mb = (n: number) => Math.round(n / 104_857.6) / 10;
  const sample = (requests: number) => {
    const m = process.memoryUsage();
    const row: (typeof samples)[number] = { requests, rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed) };
    if (gc) {
      gc();
      row.heapAfterGcMB = mb(process.memoryUsage().heapUsed);
    }
    samples.push(row);
  };
  const names = Object.keys(workloads);
  for (let i = 0; i < soak; i++) {
    if (i % Math.max(1, Math.floor(soak / 20)) === 0) sample(i);
    await workloads[names[i % names.length]](months[Math.floor(i / names.length) % months.length]);
  }
  if (soak) {
    sample(soak);
    process.stderr.write(`soak: ${JSON.stringify(samples)}\n`);
  }
  console.log(JSON.stringify(soak ? { ...result, soak: samples } : result));
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
