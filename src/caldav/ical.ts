// Small iCalendar helpers over ical.js (RFC 5545): parsing one VCALENDAR, UTC date-time attributes
// (RFC 4791 §9.9 "date with UTC time") and turning ical.js times into instants. Floating times and
// DATE values are resolved in a given zone (RFC 4791 §7.3), UTC when none is known.
import ICAL from 'ical.js';
import { copy, parseWithZones, zoneBlockOf } from './zone-blocks.ts';

export type IcalComponent = InstanceType<typeof ICAL.Component>;
export type IcalProperty = InstanceType<typeof ICAL.Property>;
export type IcalTime = InstanceType<typeof ICAL.Time>;
export type IcalTimezone = InstanceType<typeof ICAL.Timezone>;

/** Parses text that must hold exactly one VCALENDAR. Returns undefined for anything else. */
export function parseVcalendar(text: string): IcalComponent | undefined {
  let jcal: unknown;
  try {
    jcal = parseWithZones(text);
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
  if (root.name !== 'vcalendar') return undefined;
  shareTimezones(root, jcal as unknown[], text);
  return root;
}

/** The raw BEGIN:VTIMEZONE … END:VTIMEZONE blocks of a text, in order. */
function rawTimezoneBlocks(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const b = text.indexOf('BEGIN:VTIMEZONE', from);
    if (b < 0) return out;
    const e = text.indexOf('END:VTIMEZONE', b);
    if (e < 0) return out;
    out.push(text.slice(b, e));
    from = e + 13;
  }
}

/**
 * Hydrating a VTIMEZONE makes ical.js expand its rules from the first onset on (decades of
 * transitions) — per parse, per zone. Objects of one calendar carry the same few VTIMEZONEs, so the
 * hydrated zones are shared between parses, keyed by their exact text (jCal). Bounded.
 */
const sharedZones = new Map<string, IcalTimezone>();

function shareTimezones(root: IcalComponent, jcal: unknown[], text: string): void {
  const cache = (root as unknown as { _timezoneCache?: Map<string, IcalTimezone> })._timezoneCache;
  if (!cache) return;
  const comps = ((jcal[2] ?? []) as unknown[][]).filter((c) => c[0] === 'vtimezone');
  if (comps.length === 0) return;
  // A block from zone-blocks.ts carries its zone; otherwise key by the zone's text as written (cheap),
  // or by its jCal when the blocks cannot be paired up.
  let raw: string[] | undefined;
  for (const [i, c] of comps.entries()) {
    const block = zoneBlockOf(c);
    if (block) {
      if (block.timezone === undefined) {
        const comp = new ICAL.Component(copy(block.jcal) as unknown[]);
        const tzid = comp.getFirstPropertyValue('tzid');
        block.timezone = typeof tzid === 'string' ? new ICAL.Timezone({ component: comp, tzid }) : null;
      }
      const tz = block.timezone as IcalTimezone | null;
      if (tz && !cache.has(tz.tzid)) cache.set(tz.tzid, tz);
      continue;
    }
    raw ??= rawTimezoneBlocks(text);
    const key = raw.length === comps.length ? raw[i] : JSON.stringify(c);
    let tz = sharedZones.get(key);
    if (!tz) {
      const comp = new ICAL.Component(c);
      const tzid = comp.getFirstPropertyValue('tzid');
      if (typeof tzid !== 'string') continue;
      tz = new ICAL.Timezone({ component: comp, tzid });
      if (sharedZones.size >= 512) sharedZones.delete(sharedZones.keys().next().value as string);
      sharedZones.set(key, tz);
    }
    if (!cache.has(tz.tzid)) cache.set(tz.tzid, tz);
  }
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

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Formats epoch ms as an iCalendar UTC date-time (e.g. 20060104T000000Z). */
export function formatUtcDateTime(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  return `${y < 1000 ? String(y).padStart(4, '0') : y}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}T${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`;
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

interface ZoneInternals {
  changes: ZoneChange[];
  _ensureCoverage(year: number): void;
  /** Transition instants (epoch seconds), parallel to `changes`, rebuilt when `changes` grows. */
  __instants?: number[];
  __instantsOf?: ZoneChange[];
  __instantsLen?: number;
}

/** ical.js keeps each transition's instant as UTC date fields; epoch seconds per change, cached. */
function instantsOf(z: ZoneInternals): number[] {
  if (!z.__instants || z.__instantsOf !== z.changes || z.__instantsLen !== z.changes.length) {
    z.__instants = z.changes.map((c) => Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) / 1000);
    z.__instantsOf = z.changes;
    z.__instantsLen = z.changes.length;
  }
  return z.__instants;
}

/**
 * UTC offset (seconds) of a local time in a VTIMEZONE, as RFC 5545 §3.3.5 reads local times: a time
 * that occurs twice (the hour repeated when daylight saving ends) means its first occurrence; a time
 * that does not exist (skipped when it begins) uses the offset before the gap. Replaces ical.js's
 * Timezone#utcOffset, which picks standard time and the offset after the gap, and clones every
 * transition it looks at (a linear walk): this one binary-searches the expanded transitions.
 */
function rfcUtcOffset(this: InstanceType<typeof ICAL.Timezone>, tt: IcalTime): number {
  if (this === ICAL.Timezone.utcTimezone || this === ICAL.Timezone.localTimezone) return 0;
  const z = this as unknown as ZoneInternals;
  z._ensureCoverage(tt.year);
  const ch = z.changes;
  if (!ch.length) return 0;
  const inst = instantsOf(z);
  const wall = Date.UTC(tt.year, tt.month - 1, tt.day, tt.hour, tt.minute, tt.second) / 1000;
  let lo = 0;
  let hi = ch.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (inst[mid] + Math.min(ch[mid].prevUtcOffset, ch[mid].utcOffset) <= wall) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return ch[0].prevUtcOffset;
  const c = ch[found];
  if (c.prevUtcOffset !== c.utcOffset && wall < inst[found] + Math.max(c.prevUtcOffset, c.utcOffset)) {
    return c.prevUtcOffset;
  }
  return c.utcOffset;
}
(ICAL.Timezone.prototype as unknown as { utcOffset: typeof rfcUtcOffset }).utcOffset = rfcUtcOffset;

/** UTC offset (seconds) a VTIMEZONE has at an instant (for comparing zones, timezones.ts). */
export function zoneOffsetAtUtc(zone: IcalTimezone, ms: number): number {
  if (zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) return 0;
  const z = zone as unknown as ZoneInternals;
  z._ensureCoverage(new Date(ms).getUTCFullYear());
  const ch = z.changes;
  if (!ch.length) return 0;
  const inst = instantsOf(z);
  const u = ms / 1000;
  let lo = 0;
  let hi = ch.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (inst[mid] <= u) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? ch[0].prevUtcOffset : ch[found].utcOffset;
}

function zonedEpochMs(t: IcalTime): number {
  return t.toUnixTime() * 1000;
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

/**
 * Decodes every property value so malformed values (ical.js decodes lazily) surface as an error. A
 * VTIMEZONE copied from a block whose values decoded before (zone-blocks.ts) is not decoded again.
 */
export function decodeAllValues(comp: IcalComponent): void {
  const block = zoneBlockOf(comp.jCal);
  if (block?.decoded) return;
  for (const p of comp.getAllProperties()) p.getValues();
  for (const c of comp.getAllSubcomponents()) decodeAllValues(c);
  if (block) block.decoded = true;
}

export { ICAL };
