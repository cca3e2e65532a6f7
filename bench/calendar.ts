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
import { tzlib_get_ical_block } from 'timezones-ical-library';
import {
  expectStatus,
  keepAliveAgent,
  procCpuMs,
  procStatus,
  ROOT,
  round,
  runUserAdd,
  type Server,
  send,
  startServer,
  stopServer,
  summarize,
  USER,
} from './lib.ts';

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
const ZONE = 'Europe/Vienna';
const VTIMEZONE = (tzlib_get_ical_block(ZONE, false) as string[])[0].replace(/\r?\n/g, '\r\n');

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

// --- deterministic generator -----------------------------------------------------------------

let seed = 20260101;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = (n: number) => Math.floor(rand() * n);

const offsetFmt = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
function offsetAt(ms: number): number {
  const p: Record<string, number> = {};
  for (const x of offsetFmt.formatToParts(new Date(ms))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms;
}
/** Vienna wall time → UTC ms (times used here are never in a DST gap or overlap). */
function viennaUtc(y: number, mo: number, d: number, h = 0, mi = 0): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let u = wall - offsetAt(wall);
  u = wall - offsetAt(u);
  return u;
}
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function local(y: number, mo: number, d: number, h: number, mi: number): string {
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}00`;
}
function utcString(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

interface Inst {
  allDay?: boolean;
  uid: string;
  rid: number | undefined;
  start: number;
  end: number;
  busy: boolean;
}
interface Gen {
  name: string;
  text: string;
  instances: Inst[];
  /** Unbounded rules: instances are listed up to the end of 2028 only. */
}

const DAY = 86_400_000;

function vcal(...lines: string[]): string {
  return `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davgate//bench calendar//EN', VTIMEZONE, ...lines, 'END:VCALENDAR'].join('\r\n')}\r\n`;
}

function single(i: number): Gen {
  const uid = `single-${i}@bench`;
  const day = pick(3 * 365);
  const base = new Date(Date.UTC(2026, 0, 1) + day * DAY);
  const [y, mo, d] = [base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate()];
  if (i % 20 === 5) {
    // All-day (floating DATE, read in the calendar's Vienna zone).
    const next = new Date(base.getTime() + DAY);
    const text = vcal(
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20260101T000000Z',
      `DTSTART;VALUE=DATE:${y}${pad(mo)}${pad(d)}`,
      `DTEND;VALUE=DATE:${next.getUTCFullYear()}${pad(next.getUTCMonth() + 1)}${pad(next.getUTCDate())}`,
      `SUMMARY:All day ${i}`,
      'END:VEVENT',
    );
    const start = viennaUtc(y, mo, d);
    const end = viennaUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
    return { name: `${uid}.ics`, text, instances: [{ allDay: true, uid, rid: undefined, start, end, busy: true }] };
  }
  const h = 7 + pick(11);
  const mi = pick(4) * 15;
  const dur = [30, 60, 90][pick(3)];
  const start = viennaUtc(y, mo, d, h, mi);
  const end = start + dur * 60_000;
  const endLocal = new Date(Date.UTC(y, mo - 1, d, h, mi) + dur * 60_000);
  const text = vcal(
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART;TZID=${ZONE}:${local(y, mo, d, h, mi)}`,
    `DTEND;TZID=${ZONE}:${local(endLocal.getUTCFullYear(), endLocal.getUTCMonth() + 1, endLocal.getUTCDate(), endLocal.getUTCHours(), endLocal.getUTCMinutes())}`,
    `SUMMARY:Meeting ${i}`,
    `LOCATION:Room ${pick(20)}`,
    i % 7 === 0 ? 'STATUS:TENTATIVE' : 'STATUS:CONFIRMED',
    'END:VEVENT',
  );
  return { name: `${uid}.ics`, text, instances: [{ uid, rid: undefined, start, end, busy: true }] };
}

function recurring(i: number): Gen {
  const uid = `series-${i}@bench`;
  const kind = pick(20);
  const day = pick(3 * 365 - 60);
  const base = new Date(Date.UTC(2026, 0, 1) + day * DAY);
  const [y, mo] = [base.getUTCFullYear(), base.getUTCMonth() + 1];
  const d = kind >= 9 && kind < 17 ? Math.min(base.getUTCDate(), 28) : base.getUTCDate();
  const h = 8 + pick(9);
  const dur = [30, 60][pick(2)];
  let rule: string;
  let step: (k: number) => [number, number, number];
  let count: number;
  if (kind < 5) {
    count = 5 + pick(26);
    rule = `FREQ=DAILY;COUNT=${count}`;
    step = (k) => {
      const t = new Date(Date.UTC(y, mo - 1, d + k));
      return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
    };
  } else if (kind < 9 || kind >= 17) {
    count = 10 + pick(43);
    const unbounded = kind >= 19;
    const until = kind === 17 || kind === 18;
    step = (k) => {
      const t = new Date(Date.UTC(y, mo - 1, d + 7 * k));
      return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
    };
    if (unbounded) {
      rule = 'FREQ=WEEKLY';
      count = Math.ceil((Date.UTC(2029, 0, 1) - Date.UTC(y, mo - 1, d)) / (7 * DAY)) + 1;
    } else if (until) {
      const [uy, um, ud] = step(count - 1);
      rule = `FREQ=WEEKLY;UNTIL=${utcString(viennaUtc(uy, um, ud, h, 0))}`;
    } else rule = `FREQ=WEEKLY;COUNT=${count}`;
  } else {
    count = 6 + pick(19);
    rule = `FREQ=MONTHLY;COUNT=${count}`;
    step = (k) => [y + Math.floor((mo - 1 + k) / 12), ((mo - 1 + k) % 12) + 1, d];
  }
  const [ey, em, ed] = step(2);
  const [oy, om, od] = step(3);
  const moved = new Date(Date.UTC(oy, om - 1, od + 1));
  const [my, mm, md] = [moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate()];
  const endH = new Date(Date.UTC(y, mo - 1, d, h, 0) + dur * 60_000);
  const text = vcal(
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART;TZID=${ZONE}:${local(y, mo, d, h, 0)}`,
    `DTEND;TZID=${ZONE}:${local(endH.getUTCFullYear(), endH.getUTCMonth() + 1, endH.getUTCDate(), endH.getUTCHours(), endH.getUTCMinutes())}`,
    `RRULE:${rule}`,
    `EXDATE;TZID=${ZONE}:${local(ey, em, ed, h, 0)}`,
    `SUMMARY:Series ${i}`,
    'END:VEVENT',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `RECURRENCE-ID;TZID=${ZONE}:${local(oy, om, od, h, 0)}`,
    `DTSTART;TZID=${ZONE}:${local(my, mm, md, h + 2, 0)}`,
    `DTEND;TZID=${ZONE}:${local(my, mm, md, h + 3, 0)}`,
    `SUMMARY:Series ${i} (moved)`,
    'END:VEVENT',
  );
  const instances: Inst[] = [];
  for (let k = 0; k < count; k++) {
    const [sy, sm, sd] = step(k);
    const start = viennaUtc(sy, sm, sd, h, 0);
    if (start >= Date.UTC(2029, 0, 1) + 7 * DAY) break;
    if (k === 2) continue;
    if (k === 3) {
      instances.push({
        uid,
        rid: start,
        start: viennaUtc(my, mm, md, h + 2),
        end: viennaUtc(my, mm, md, h + 3),
        busy: true,
      });
      continue;
    }
    instances.push({ uid, rid: start, start, end: start + dur * 60_000, busy: true });
  }
  return { name: `${uid}.ics`, text, instances };
}

function generate(n: number): Gen[] {
  const out: Gen[] = [];
  for (let i = 0; i < n; i++) out.push(i % 10 === 0 ? recurring(i) : single(i));
  return out;
}

// --- checks --------------------------------------------------------------------------------

function monthRange(k: number): { start: number; end: number } {
  return { start: Date.UTC(2026, k, 1), end: Date.UTC(2026, k + 1, 1) };
}

function expectedFor(gens: Gen[], r: { start: number; end: number }) {
  const objects = new Set<string>();
  const instances = new Set<string>();
  const busy: [number, number][] = [];
  for (const g of gens) {
    for (const i of g.instances) {
      if (i.start < r.end && i.end > r.start) {
        objects.add(g.name);
        instances.add(`${i.uid}|${i.rid === undefined ? '' : utcString(i.rid)}|${i.allDay ? '' : utcString(i.start)}`);
        if (i.busy) busy.push([Math.max(i.start, r.start), Math.min(i.end, r.end)]);
      }
    }
  }
  busy.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const b of busy) {
    const last = merged[merged.length - 1];
    if (last && b[0] <= last[1]) last[1] = Math.max(last[1], b[1]);
    else merged.push([...b]);
  }
  return { objects, instances, busy: merged };
}

const HREF = /<(?:[\w.-]+:)?href>([^<]*)<\/(?:[\w.-]+:)?href>/g;
const DATA = /<(?:[\w.-]+:)?calendar-data[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?calendar-data>/g;

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#13;/g, '\r')
    .replace(/&amp;/g, '&');
}

function hrefsOf(xml: string): string[] {
  return [...xml.matchAll(HREF)].map((m) => decodeURIComponent(m[1].split('/').pop() ?? ''));
}

function expandedInstances(xml: string): Set<string> {
  const out = new Set<string>();
  for (const m of xml.matchAll(DATA)) {
    const text = unescapeXml(m[1]).replace(/\r?\n[ \t]/g, '');
    for (const block of text.split('BEGIN:VEVENT').slice(1)) {
      const uid = /\nUID:(.*?)\r?\n/.exec(`\n${block}`)?.[1];
      const rid = /\nRECURRENCE-ID:(.*?)\r?\n/.exec(`\n${block}`)?.[1] ?? '';
      const start = /\nDTSTART(?:;VALUE=DATE)?:(.*?)\r?\n/.exec(`\n${block}`)?.[1] ?? '';
      out.add(`${uid}|${rid}|${start.length === 8 ? '' : start}`);
    }
  }
  return out;
}

function query(r: { start: number; end: number }, expand: boolean | 'etag'): string {
  const s = utcString(r.start);
  const e = utcString(r.end);
  const data =
    expand === 'etag'
      ? ''
      : expand
        ? `<C:calendar-data><C:expand start="${s}" end="${e}"/></C:calendar-data>`
        : '<C:calendar-data/>';
  return `<?xml version="1.0" encoding="utf-8"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>${data}</D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${s}" end="${e}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
}

function sameSet(a: Set<string>, b: Set<string>): string | undefined {
  const missing = [...a].filter((x) => !b.has(x));
  const extra = [...b].filter((x) => !a.has(x));
  if (!missing.length && !extra.length) return undefined;
  return `missing ${missing.length} (${missing.slice(0, 3).join(', ')}), extra ${extra.length} (${extra.slice(0, 3).join(', ')})`;
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
    const cpu0 = procCpuMs(server.pid);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (;;) {
          const k = next++;
          if (k >= gens.length) return;
          const t = performance.now();
          const r = await send(
            target,
            agent,
            'PUT',
            `${cal}${encodeURIComponent(gens[k].name)}`,
            { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
            gens[k].text,
          );
          putMs.push(performance.now() - t);
          expectStatus(r, [201], `PUT ${gens[k].name}`);
        }
      }),
    );
    const uploadMs = performance.now() - t0;
    const putsPerSecond = gens.length / (uploadMs / 1000);
    const serverCpuUsPerPut = Math.round(((procCpuMs(server.pid) - cpu0) * 1000) / gens.length);
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

    const timed = async (body: (r: { start: number; end: number }) => string) => {
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = months[(i * 7) % months.length];
        const t = performance.now();
        const res = await send(
          target,
          agent,
          'REPORT',
          cal,
          { Depth: '1', 'Content-Type': 'application/xml' },
          body(r),
        );
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
