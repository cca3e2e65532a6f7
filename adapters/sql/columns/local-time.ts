// Naive wall-clock datetimes (as many legacy schemas store them, "in server time") ⇄ UTC instants in a
// configured IANA zone, with RFC 5545 §3.3.5 semantics at DST transitions: a local time inside a gap
// is read with the offset *before* the gap; a local time in a repeated hour means its first occurrence.
// The zone rules come from the runtime's tzdb (Intl), so no table is maintained here.
import { type WallClock, wallClockAt, wallClockMs, zoneOffsetMs } from '../../../src/lib/zone-clock.ts';

/** Wall-clock fields of a naive datetime (month 1–12). */
export type Naive = WallClock;

/** Wall-clock time in `zone` at the instant `utcMs`. */
export const utcToNaive: (zone: string, utcMs: number) => Naive = wallClockAt;

const naiveMs = wallClockMs;

/** UTC offset of `zone` at an instant, in ms. */
export const offsetAt: (zone: string, utcMs: number) => number = zoneOffsetMs;

export interface Resolved {
  utcMs: number;
  /** `gap`: the local time does not exist; `repeated`: it exists twice (the first is taken). */
  kind: 'exact' | 'gap' | 'repeated';
}

/** The instant a naive local time denotes in `zone` (RFC 5545 §3.3.5 rules at transitions). */
export function naiveToUtc(zone: string, n: Naive): Resolved {
  const local = naiveMs(n);
  const before = offsetAt(zone, local - 86_400_000);
  const after = offsetAt(zone, local + 86_400_000);
  const hits = [...new Set([before, after])]
    .map((o) => local - o)
    .filter((t) => offsetAt(zone, t) === local - t)
    .sort((a, b) => a - b);
  if (hits.length === 0) return { utcMs: local - before, kind: 'gap' };
  return { utcMs: hits[0], kind: hits.length > 1 ? 'repeated' : 'exact' };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD HH:MM:SS`, the literal every supported database accepts for DATETIME/TIMESTAMP. */
export function formatNaive(n: Naive): string {
  return `${pad(n.y, 4)}-${pad(n.mo)}-${pad(n.d)} ${pad(n.h)}:${pad(n.mi)}:${pad(n.s)}`;
}

/**
 * Reads a stored datetime: text (SQLite, mysql2 with dateStrings) or a Date from pg, which parses
 * `timestamp without time zone` in the process's local zone, so its local getters are the stored fields.
 */
export function parseStored(v: unknown): Naive | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (v instanceof Date) {
    return {
      y: v.getFullYear(),
      mo: v.getMonth() + 1,
      d: v.getDate(),
      h: v.getHours(),
      mi: v.getMinutes(),
      s: v.getSeconds(),
    };
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(String(v));
  if (!m) throw new Error(`unreadable stored datetime ${JSON.stringify(v)}`);
  return { y: +m[1], mo: +m[2], d: +m[3], h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0) };
}

/** iCalendar basic format `YYYYMMDDTHHMMSS` of a naive time. */
export const icalLocal = (n: Naive): string =>
  `${pad(n.y, 4)}${pad(n.mo)}${pad(n.d)}T${pad(n.h)}${pad(n.mi)}${pad(n.s)}`;

/** iCalendar UTC `YYYYMMDDTHHMMSSZ` of an instant. */
export const icalUtc = (ms: number): string => `${icalLocal(utcToNaive('UTC', ms))}Z`;
