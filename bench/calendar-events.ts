// The deterministic event generator of bench/calendar.ts (also imported by bench/calendar-core.ts and
// bench/put-core.ts): single, all-day and recurring events in Europe/Vienna with the instances each
// one must expand to, computed with its own date arithmetic (not ical.js).
import { tzlib_get_ical_block } from 'timezones-ical-library';

export const ZONE = 'Europe/Vienna';
const VTIMEZONE = (tzlib_get_ical_block(ZONE, false) as string[])[0].replace(/\r?\n/g, '\r\n');

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
export function utcString(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface Inst {
  allDay?: boolean;
  uid: string;
  rid: number | undefined;
  start: number;
  end: number;
  busy: boolean;
}
export interface Gen {
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

export function generate(n: number): Gen[] {
  const out: Gen[] = [];
  for (let i = 0; i < n; i++) out.push(i % 10 === 0 ? recurring(i) : single(i));
  return out;
}
