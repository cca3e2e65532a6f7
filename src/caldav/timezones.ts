// Time zones (RFC 5545 §3.6.5, RFC 7809, quirks.md Q26/Q27): deciding whether a TZID is an IANA
// name, resolving the names clients actually send (Windows names as Outlook writes them, `(UTC+01:00)`
// display names, libical `/freeassociation.sourceforge.net/…` prefixes, trailing spaces, X-LIC-LOCATION,
// finally matching the VTIMEZONE's rules against IANA zones) and synthesising VTIMEZONEs from IANA data.
//
// Data sources, both maintained packages rather than hand-typed lists:
// - windows-iana: CLDR windowsZones.xml (Windows ID → IANA, territory 001 first);
// - timezones-ical-library: VTIMEZONE blocks generated from the IANA tz database (current rules).
// Node's Intl (ICU's copy of tzdb) decides which names are valid and gives offsets for rule matching.
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { findIana, WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { zoneOffsetMs } from '../lib/zone-clock.ts';
import { ICAL, type IcalComponent, zoneOffsetAtUtc } from './ical.ts';

const ianaCache = new Map<string, boolean>();

/** Whether `id` names a zone of the IANA database (as Node's ICU knows it, links included). */
export function isIanaZone(id: string): boolean {
  let ok = ianaCache.get(id);
  if (ok === undefined) {
    // Intl accepts any case ("europe/vienna"); TZIDs are compared as written, so demand the exact spelling.
    try {
      ok = new Intl.DateTimeFormat('en-US', { timeZone: id }).resolvedOptions().timeZone.length > 0 && /\w/.test(id);
      ok = ok && canonicalSpelling(id) === id;
    } catch {
      ok = false;
    }
    if (ianaCache.size > 4096) ianaCache.clear();
    ianaCache.set(id, ok);
  }
  return ok;
}

let spellings: Map<string, string> | undefined;

/** The spelling the tz database uses for an id known to Intl in any letter case, e.g. "Europe/Vienna". */
function canonicalSpelling(id: string): string {
  if (!spellings) {
    spellings = new Map();
    for (const z of [...Intl.supportedValuesOf('timeZone'), ...libraryZones(), 'UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']) {
      spellings.set(z.toLowerCase(), z);
    }
  }
  return spellings.get(id.toLowerCase()) ?? id;
}

let libraryZoneSet: Set<string> | undefined;

function libraryZones(): Set<string> {
  if (!libraryZoneSet) {
    const list = tzlib_get_timezones();
    libraryZoneSet = new Set(Array.isArray(list) ? list : (JSON.parse(list) as string[]));
  }
  return libraryZoneSet;
}

const vtimezoneCache = new Map<string, string | undefined>();

/**
 * VTIMEZONE text (BEGIN:VTIMEZONE … END:VTIMEZONE, CRLF, no trailing newline) for an IANA zone, with
 * TZID set to `id` exactly as given (the library files links such as Asia/Calcutta under their target).
 * Undefined for names that are not IANA zones.
 */
export function vtimezoneText(id: string): string | undefined {
  if (vtimezoneCache.has(id)) return vtimezoneCache.get(id);
  let text: string | undefined;
  if (isIanaZone(id)) {
    const target = libraryZones().has(id)
      ? id
      : (new Intl.DateTimeFormat('en-US', { timeZone: id }).resolvedOptions().timeZone ?? id);
    if (libraryZones().has(target)) {
      const block = tzlib_get_ical_block(target, false);
      const raw = Array.isArray(block) ? block[0] : undefined;
      if (raw) {
        text = raw
          .replace(/\r?\n/g, '\r\n')
          .replace(/^TZID:.*$/m, `TZID:${id}`)
          .replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${id}`);
      }
    }
    text ??= vtimezoneFromIntl(id);
  }
  vtimezoneCache.set(id, text);
  return text;
}

/** The zone as an ical.js Timezone (for floating times in calendar-timezone-id calendars, §7.3). */
export function icalTimezone(id: string): InstanceType<typeof ICAL.Timezone> | undefined {
  const text = vtimezoneText(id);
  if (!text) return undefined;
  const comp = new ICAL.Component(ICAL.parse(text) as unknown[]);
  return new ICAL.Timezone({ component: comp });
}

/** A VCALENDAR holding just the zone's VTIMEZONE (the calendar-timezone property value, §5.2.2). */
export function vcalendarForZone(id: string): string | undefined {
  const tz = vtimezoneText(id);
  if (!tz) return undefined;
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davgate//CalDAV gateway//EN\r\n${tz}\r\nEND:VCALENDAR\r\n`;
}

// --- Offsets from Intl ---------------------------------------------------------------------------

/** UTC offset of an IANA zone at an instant, in minutes (east positive). */
export function intlOffsetMinutes(zone: string, ms: number): number {
  return Math.round(zoneOffsetMs(zone, ms) / 60_000);
}

function fmtOffset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
}

function fmtLocal(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, '');
}

/**
 * Fallback generator for zones the library lacks: every offset transition between 1970 and 2037
 * found from Intl, one STANDARD/DAYLIGHT per transition with its own DTSTART (no rules, so exact).
 */
function vtimezoneFromIntl(id: string): string | undefined {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${id}`];
  const start = Date.UTC(1970, 0, 1);
  const end = Date.UTC(2038, 0, 1);
  const step = 7 * 86_400_000;
  let prev = intlOffsetMinutes(id, start);
  const jan = (y: number) => intlOffsetMinutes(id, Date.UTC(y, 0, 15));
  const jul = (y: number) => intlOffsetMinutes(id, Date.UTC(y, 6, 15));
  lines.push(
    'BEGIN:STANDARD',
    `TZOFFSETFROM:${fmtOffset(prev)}`,
    `TZOFFSETTO:${fmtOffset(prev)}`,
    'DTSTART:19700101T000000',
    'END:STANDARD',
  );
  for (let t = start + step; t <= end; t += step) {
    const off = intlOffsetMinutes(id, t);
    if (off === prev) continue;
    let lo = t - step;
    let hi = t;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (intlOffsetMinutes(id, mid) === prev) lo = mid;
      else hi = mid;
    }
    const y = new Date(hi).getUTCFullYear();
    const daylight = off > Math.min(jan(y), jul(y));
    const kind = daylight ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      `TZOFFSETFROM:${fmtOffset(prev)}`,
      `TZOFFSETTO:${fmtOffset(off)}`,
      `DTSTART:${fmtLocal(hi + prev * 60_000)}`,
      `END:${kind}`,
    );
    prev = off;
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

// --- Resolution of non-IANA TZIDs ----------------------------------------------------------------

/** The Olson name at the end of a vendor path such as `/freeassociation.sourceforge.net/Tzfile/Europe/Brussels` (quirks Q27). */
function olsonSuffix(s: string): string | undefined {
  const segs = s.split('/').filter((x) => x !== '');
  for (const n of [2, 3, 1]) {
    if (segs.length < n) continue;
    const cand = segs.slice(-n).join('/');
    if (isIanaZone(cand)) return cand;
  }
  return undefined;
}

/** `(UTC+01:00) Amsterdam, …` / `(GMT+01.00) …` display-name prefixes (quirks Q26). */
const DISPLAY_PREFIX = /^\((?:UTC|GMT)\s*(?:[+-]\s*\d{1,2}(?:[:.]\d{2})?)?\)\s*/i;

let canonicalWindowsZones: string[] | undefined;

/** One IANA zone per Windows zone (CLDR territory 001): the candidates for rule matching. */
function ruleCandidates(): string[] {
  if (!canonicalWindowsZones) {
    const seen = new Set<string>();
    for (const m of WINDOWS_TO_IANA_MAP) {
      if (m.territory !== '001') continue;
      for (const z of m.iana) {
        if (isIanaZone(z)) {
          seen.add(z);
          break;
        }
      }
    }
    canonicalWindowsZones = [...seen];
  }
  return canonicalWindowsZones;
}

/** A Windows time-zone ID (CLDR windowsZones) to its canonical IANA zone. */
export function windowsToIana(name: string): string | undefined {
  const found = findIana(name.trim());
  return found.find(isIanaZone);
}

/** UTC offset in minutes of a VTIMEZONE at an instant. */
function vtimezoneOffsetMinutes(tz: InstanceType<typeof ICAL.Timezone>, ms: number): number {
  return Math.round(zoneOffsetAtUtc(tz, ms) / 60);
}

/**
 * Rule matching (quirks Q26 step 6): the IANA zone whose offsets equal the VTIMEZONE's at every
 * sample of `year` (twice a day around the usual transition months, weekly otherwise). `preferred`
 * zones are tried first (the calendar's zone), then one zone per Windows zone.
 */
export function matchVtimezone(vtimezone: IcalComponent, year: number, preferred: string[] = []): string | undefined {
  let tz: InstanceType<typeof ICAL.Timezone>;
  try {
    tz = new ICAL.Timezone({ component: vtimezone });
  } catch {
    return undefined;
  }
  const coarse = [0, 3, 6, 9].map((m) => Date.UTC(year, m, 15, 12));
  const fine: number[] = [];
  for (let d = 0; d < 366; d += 1) fine.push(Date.UTC(year, 0, 1 + d, 1), Date.UTC(year, 0, 1 + d, 13));
  let expected: number[];
  let expectedFine: number[] | undefined;
  try {
    expected = coarse.map((ms) => vtimezoneOffsetMinutes(tz, ms));
  } catch {
    return undefined;
  }
  for (const zone of [...preferred.filter(isIanaZone), ...ruleCandidates()]) {
    if (!coarse.every((ms, i) => intlOffsetMinutes(zone, ms) === expected[i])) continue;
    expectedFine ??= fine.map((ms) => vtimezoneOffsetMinutes(tz, ms));
    const want = expectedFine;
    if (fine.every((ms, i) => intlOffsetMinutes(zone, ms) === want[i])) return zone;
  }
  return undefined;
}

/** Rule matching is slow (hundreds of offset samples): remember answers per VTIMEZONE text. */
const matchCache = new Map<string, string | undefined>();

export interface ResolveHints {
  /** The VTIMEZONE the object defines for this TZID, if any. */
  vtimezone?: IcalComponent;
  /** Year the object's times fall in (for rule matching). */
  year?: number;
  /** Zones to prefer when rules match several (the calendar's time zone). */
  preferred?: string[];
}

/**
 * The IANA zone a client's TZID means, or undefined when it cannot be told (quirks Q26 resolution
 * order): exact IANA name → Olson path after a vendor prefix → Windows ID (CLDR) → Windows ID after a
 * `(UTC±hh:mm)` prefix → X-LIC-LOCATION of its VTIMEZONE → matching the VTIMEZONE's rules.
 */
export function resolveTzid(tzid: string, hints: ResolveHints = {}): string | undefined {
  const t = tzid
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
  if (isIanaZone(t)) return t;
  const spelled = canonicalSpelling(t);
  if (spelled !== t && isIanaZone(spelled)) return spelled;
  const path = t.includes('/') ? olsonSuffix(t) : undefined;
  if (path) return path;
  const win = windowsToIana(t) ?? windowsToIana(t.replace(DISPLAY_PREFIX, ''));
  if (win) return win;
  const lic = hints.vtimezone?.getFirstPropertyValue('x-lic-location');
  if (typeof lic === 'string') {
    const l = lic.trim();
    if (isIanaZone(l)) return l;
    const p = olsonSuffix(l);
    if (p) return p;
  }
  if (!hints.vtimezone) return undefined;
  const year = hints.year ?? new Date().getUTCFullYear();
  const key = `${year}\0${(hints.preferred ?? []).join(',')}\0${hints.vtimezone.toString()}`;
  if (!matchCache.has(key)) {
    if (matchCache.size > 256) matchCache.clear();
    matchCache.set(key, matchVtimezone(hints.vtimezone, year, hints.preferred));
  }
  return matchCache.get(key);
}

/** The TZID of a calendar-timezone value (VCALENDAR text with one VTIMEZONE), if any. */
export function tzidOfCalendarTimezone(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /^TZID:(.*)$/m.exec(text.replace(/\r\n[ \t]/g, ''));
  return m ? m[1].trim() : undefined;
}
