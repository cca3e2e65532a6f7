// Wall-clock fields and UTC offsets of IANA zones from the runtime's tz database (Intl), with one cached
// formatter per zone. Shared by the CalDAV core and the SQL adapters, so no zone table is maintained here.

/** Wall-clock fields (month 1–12). */
export interface WallClock {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The cached formatter of `zone`; throws RangeError for a zone the runtime does not know. */
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone name this runtime knows. */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock time in `zone` at the instant `utcMs`. */
export function wallClockAt(zone: string, utcMs: number): WallClock {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { y: p.year, mo: p.month, d: p.day, h: p.hour, mi: p.minute, s: p.second };
}

/** Wall-clock fields read as if they were UTC, in ms. */
export const wallClockMs = (w: WallClock): number => Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);

/** UTC offset of `zone` at an instant, in ms (east positive; whole seconds). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  return wallClockMs(wallClockAt(zone, whole)) - whole;
}
