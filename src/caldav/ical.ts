// Small iCalendar helpers over ical.js (RFC 5545): parsing one VCALENDAR, UTC date-time attributes
// (RFC 4791 §9.9 "date with UTC time") and turning ical.js times into instants. Floating times and
// DATE values are resolved in a given zone (RFC 4791 §7.3), UTC when none is known.
import ICAL from 'ical.js';

export type IcalComponent = InstanceType<typeof ICAL.Component>;
export type IcalProperty = InstanceType<typeof ICAL.Property>;
export type IcalTime = InstanceType<typeof ICAL.Time>;
export type IcalTimezone = InstanceType<typeof ICAL.Timezone>;

/** Parses text that must hold exactly one VCALENDAR. Returns undefined for anything else. */
export function parseVcalendar(text: string): IcalComponent | undefined {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch {
    return undefined;
  }
  // ical.js returns an array of components when the text holds several (or none).
  if (!Array.isArray(jcal) || jcal.length === 0) return undefined;
  if (Array.isArray(jcal[0])) {
    if (jcal.length !== 1) return undefined;
    jcal = jcal[0];
  }
  const root = new ICAL.Component(jcal as unknown[]);
  return root.name === 'vcalendar' ? root : undefined;
}

const UTC_DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses an iCalendar "date with UTC time" (e.g. 20060104T000000Z) to epoch ms, or undefined. */
export function parseUtcDateTime(s: string): number | undefined {
  const m = UTC_DATE_TIME.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, se, 0);
  return date.getTime();
}

/** Formats epoch ms as an iCalendar UTC date-time. */
export function formatUtcDateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** True for floating date-times and DATE values (no zone attached). */
export function isFloating(t: IcalTime): boolean {
  return t.zone === ICAL.Timezone.localTimezone || t.zone === undefined || t.zone === null;
}

interface ZoneChange {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  utcOffset: number;
  prevUtcOffset: number;
}

/**
 * Epoch ms of a zoned local time as RFC 5545 §3.3.5 reads it: a time that occurs twice (the hour
 * repeated when daylight saving ends) means the first occurrence; a time that does not exist (the
 * hour skipped when it begins) is read with the UTC offset before the gap. ical.js picks standard time
 * and the offset after the gap; its answer is corrected near the zone's transitions.
 */
function zonedEpochMs(t: IcalTime): number {
  const u0 = t.toUnixTime() * 1000;
  const changes = (t.zone as unknown as { changes?: ZoneChange[] }).changes;
  if (!changes || changes.length === 0) return u0;
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // Binary search for the first transition not before u0 - 2 days, then look at the few around it.
  // ical.js keeps each transition's instant as UTC date fields.
  const at = (c: ZoneChange) => Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  let lo = 0;
  let hi = changes.length;
  const from = u0 - 2 * 86_400_000;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(changes[mid]) < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < changes.length && at(changes[i]) <= u0 + 2 * 86_400_000; i++) {
    const c = changes[i];
    const instant = at(c);
    const before = c.prevUtcOffset * 1000;
    const after = c.utcOffset * 1000;
    const low = instant + Math.min(before, after);
    const high = instant + Math.max(before, after);
    // Gap (after > before) or repeated hour (after < before): both read with the offset before.
    if (before !== after && wall >= low && wall < high) return wall - before;
  }
  return u0;
}

/** Epoch ms of a time; floating times and dates are read as wall-clock time in `floatingZone` (UTC if absent). */
export function toEpochMs(t: IcalTime, floatingZone?: IcalTimezone): number {
  if (isFloating(t)) {
    if (!floatingZone) return t.toUnixTime() * 1000; // ical.js gives floating times a zero offset (UTC)
    const pinned = ICAL.Time.fromData(
      { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, isDate: false },
      floatingZone,
    );
    return zonedEpochMs(pinned);
  }
  if (t.zone === ICAL.Timezone.utcTimezone) return t.toUnixTime() * 1000;
  return zonedEpochMs(t);
}

/**
 * A timezone from VCALENDAR text holding exactly one VTIMEZONE (calendar-timezone, CALDAV:timezone),
 * or undefined when the text is not that.
 */
export function timezoneFromVcalendar(text: string): IcalTimezone | undefined {
  const root = parseVcalendar(text);
  if (!root) return undefined;
  const zones = root.getAllSubcomponents('vtimezone');
  if (zones.length !== 1 || !zones[0].getFirstPropertyValue('tzid')) return undefined;
  try {
    return new ICAL.Timezone({ component: zones[0] });
  } catch {
    return undefined;
  }
}

/** Decodes every property value so malformed values (ical.js decodes lazily) surface as an error. */
export function decodeAllValues(comp: IcalComponent): void {
  for (const p of comp.getAllProperties()) p.getValues();
  for (const c of comp.getAllSubcomponents()) decodeAllValues(c);
}

export { ICAL };
