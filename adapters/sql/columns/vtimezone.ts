// VTIMEZONE (RFC 5545 §3.6.5) for an IANA zone, built from the runtime's tzdb: the zone's transitions in
// a reference year become yearly STANDARD/DAYLIGHT observances (`BYMONTH` + `BYDAY=nSU`), the form
// clients and ical.js understand. Rendered events carry TZID=<zone> and this definition.
import { offsetAt, utcToNaive } from './local-time.ts';

const DAY = 86_400_000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

interface Transition {
  utcMs: number;
  from: number;
  to: number;
}

function transitionsIn(zone: string, year: number): Transition[] {
  const out: Transition[] = [];
  let t = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  let prev = offsetAt(zone, t);
  for (; t < end; t += DAY) {
    const o = offsetAt(zone, t + DAY);
    if (o === prev) continue;
    // Narrow the day down to the minute of the change.
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(zone, mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push({ utcMs: hi, from: prev, to: o });
    prev = o;
  }
  return out;
}

function offsetText(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const m = Math.abs(ms) / 60_000;
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

function observance(zone: string, tr: Transition, daylight: boolean): string[] {
  const local = utcToNaive('UTC', tr.utcMs + tr.from);
  const dim = new Date(Date.UTC(local.y, local.mo, 0)).getUTCDate();
  const wd = new Date(Date.UTC(local.y, local.mo - 1, local.d)).getUTCDay();
  const nth = local.d + 7 > dim ? -1 : Math.ceil(local.d / 7);
  const kind = daylight ? 'DAYLIGHT' : 'STANDARD';
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(new Date(tr.utcMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  return [
    `BEGIN:${kind}`,
    `DTSTART:1970${pad(local.mo)}${pad(firstDay(1970, local.mo, wd, nth))}T${pad(local.h)}${pad(local.mi)}00`,
    `RRULE:FREQ=YEARLY;BYMONTH=${local.mo};BYDAY=${nth}${WEEKDAYS[wd]}`,
    `TZOFFSETFROM:${offsetText(tr.from)}`,
    `TZOFFSETTO:${offsetText(tr.to)}`,
    ...(name ? [`TZNAME:${name}`] : []),
    `END:${kind}`,
  ];
}

/** Day of month of the nth (−1 = last) weekday `wd` in month `mo` of `year`. */
function firstDay(year: number, mo: number, wd: number, nth: number): number {
  if (nth > 0) {
    const first = new Date(Date.UTC(year, mo - 1, 1)).getUTCDay();
    return 1 + ((wd - first + 7) % 7) + (nth - 1) * 7;
  }
  const dim = new Date(Date.UTC(year, mo, 0)).getUTCDate();
  const last = new Date(Date.UTC(year, mo - 1, dim)).getUTCDay();
  return dim - ((last - wd + 7) % 7);
}

const cache = new Map<string, string[]>();

/** VTIMEZONE lines for `zone` with the rules in force in `year`. */
export function vtimezoneLines(zone: string, year: number): string[] {
  const key = `${zone}\u0000${year}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const trs = transitionsIn(zone, year);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  if (trs.length === 2) {
    for (const tr of trs) lines.push(...observance(zone, tr, tr.to > tr.from));
  } else {
    const o = offsetAt(zone, Date.UTC(year, 6, 1));
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offsetText(o)}`);
    lines.push(`TZOFFSETTO:${offsetText(o)}`, 'END:STANDARD');
  }
  lines.push('END:VTIMEZONE');
  cache.set(key, lines);
  return lines;
}
