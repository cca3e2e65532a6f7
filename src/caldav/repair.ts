// Lenient ingest of calendar objects (quirks.md Q26–Q29, RFC 4791 §4.1, RFC 7809 §2): repairs that make
// a client's object storable and self-contained without changing its meaning. Anything repaired is
// re-serialised, so the stored bytes differ and the core omits the PUT ETag (RFC 4791 §5.3.4): the
// client re-fetches what was stored.
import { randomUUID } from 'node:crypto';
import { DavError } from '../dav/dav-error.ts';
import { caldav } from '../dav/xml/names.ts';
import { ICAL, type IcalComponent, type IcalProperty } from './ical.ts';
import { isIanaZone, resolveTzid, vtimezoneText } from './timezones.ts';

const PRODID = '-//davgate//CalDAV gateway//EN';

/**
 * Whether every line break is CRLF: each CR is followed by LF (no lone CR, no CR CR LF) and there are as
 * many LFs as CRs (so every LF follows a CR). Same answer as /\r\r\n|\r(?!\n)|(?<!\r)\n/ not matching.
 */
export function crlfOnly(t: string): boolean {
  let crs = 0;
  for (let i = t.indexOf('\r'); i >= 0; i = t.indexOf('\r', i + 2)) {
    if (t.charCodeAt(i + 1) !== 10) return false;
    crs++;
  }
  let lfs = 0;
  for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) lfs++;
  return lfs === crs;
}

/**
 * Text-level repairs before parsing: a UTF-8 BOM is dropped and line endings become CRLF (bare LF
 * from scripts and Unix tools, `\r\r\n` from Open-Xchange exports; quirks Q27/Q29).
 */
export function repairText(text: string): { text: string; changes: string[] } {
  const changes: string[] = [];
  let t = text;
  if (t.startsWith('\uFEFF')) {
    t = t.slice(1);
    changes.push('removed UTF-8 BOM');
  }
  if (!crlfOnly(t)) {
    t = t.replace(/\r*\n|\r/g, '\r\n');
    changes.push('normalised line endings to CRLF');
  }
  return { text: t, changes };
}

/** Every component below the VCALENDAR except VTIMEZONE definitions (VALARMs included). */
function contentComponents(root: IcalComponent): IcalComponent[] {
  const out: IcalComponent[] = [];
  const walk = (c: IcalComponent) => {
    for (const s of c.getAllSubcomponents()) {
      if (s.name === 'vtimezone') continue;
      out.push(s);
      walk(s);
    }
  };
  walk(root);
  return out;
}

function firstYear(root: IcalComponent): number | undefined {
  for (const c of contentComponents(root)) {
    const v = c.getFirstPropertyValue('dtstart');
    if (v instanceof ICAL.Time) return v.year;
  }
  return undefined;
}

function addVtimezone(root: IcalComponent, tzid: string): void {
  const text = vtimezoneText(tzid);
  if (!text) return;
  const comp = new ICAL.Component(ICAL.parse(text) as unknown[]);
  // RFC 5545 does not order components, but zones first is what clients write: re-add the others after it.
  const others = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  for (const c of others) root.removeSubcomponent(c);
  root.addSubcomponent(comp);
  for (const c of others) root.addSubcomponent(c);
}

/**
 * Time zones (quirks Q26/Q27, RFC 7809 §2): every TZID becomes an IANA name when it can be resolved
 * (Windows names, display names, vendor prefixes, trailing spaces, rule matching), and every TZID used
 * gets a VTIMEZONE (synthesised from IANA data when missing or when the client's zone was replaced).
 * A TZID that cannot be resolved keeps the client's VTIMEZONE; without one the object is refused
 * (valid-calendar-data: its times could not be placed).
 */
export function repairTimezones(root: IcalComponent, preferred: string[] = []): string[] {
  const changes: string[] = [];
  const zones = root.getAllSubcomponents('vtimezone');
  const zoneOf = (id: string): IcalComponent | undefined =>
    zones.find((z) => String(z.getFirstPropertyValue('tzid') ?? '') === id) ??
    zones.find((z) => String(z.getFirstPropertyValue('tzid') ?? '').trim() === id.trim());
  const refs = new Map<string, IcalProperty[]>();
  for (const c of contentComponents(root)) {
    for (const p of c.getAllProperties()) {
      const tz = p.getParameter('tzid');
      if (typeof tz !== 'string') continue;
      const list = refs.get(tz) ?? [];
      list.push(p);
      refs.set(tz, list);
    }
  }
  const year = firstYear(root);
  const replaced = new Set<IcalComponent>();
  const wanted = new Set<string>();
  for (const [raw, props] of refs) {
    const trimmed = raw.trim();
    const own = zoneOf(raw);
    let target: string;
    if (isIanaZone(trimmed)) target = trimmed;
    else {
      const iana = resolveTzid(trimmed, { vtimezone: own, year, preferred });
      if (iana) {
        target = iana;
        if (own) replaced.add(own);
      } else if (own) target = trimmed;
      else {
        throw new DavError(
          403,
          caldav('valid-calendar-data'),
          `TZID "${raw}" is neither an IANA time zone nor defined by a VTIMEZONE in the object`,
        );
      }
    }
    if (target !== raw) {
      for (const p of props) p.setParameter('tzid', target);
      changes.push(`TZID "${raw}" → "${target}"`);
    }
    if (own && !replaced.has(own) && String(own.getFirstPropertyValue('tzid')) !== target) {
      own.updatePropertyWithValue('tzid', target);
    }
    if (!own || replaced.has(own)) wanted.add(target);
  }
  for (const z of replaced) {
    root.removeSubcomponent(z);
    changes.push(`replaced VTIMEZONE ${String(z.getFirstPropertyValue('tzid')).trim()}`);
  }
  const present = new Set(root.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid'))));
  for (const id of wanted) {
    if (present.has(id)) continue;
    addVtimezone(root, id);
    present.add(id);
    changes.push(`added VTIMEZONE ${id}`);
  }
  return changes;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * RFC 5545 §3.8.5.1: EXDATE values must have DTSTART's value type. Clients (Outlook, old Lightning)
 * write `EXDATE;VALUE=DATE:20260105` against a date-time DTSTART: each date becomes a date-time at
 * DTSTART's time of day in DTSTART's zone, which is the instance they mean.
 */
export function repairExdates(root: IcalComponent): string[] {
  const changes: string[] = [];
  for (const c of contentComponents(root)) {
    const dtstartProp = c.getFirstProperty('dtstart');
    const dtstart = dtstartProp?.getFirstValue();
    if (!(dtstart instanceof ICAL.Time) || dtstart.isDate) continue;
    for (const p of c.getAllProperties('exdate')) {
      const values = p.getValues();
      if (!values.some((v) => v instanceof ICAL.Time && v.isDate)) continue;
      const tzid = dtstartProp?.getParameter('tzid');
      const utc = dtstart.zone === ICAL.Timezone.utcTimezone;
      const time = `T${pad(dtstart.hour)}${pad(dtstart.minute)}${pad(dtstart.second)}${utc ? 'Z' : ''}`;
      const texts = values.map((v) =>
        v instanceof ICAL.Time
          ? v.isDate
            ? `${pad(v.year, 4)}${pad(v.month)}${pad(v.day)}${time}`
            : v.toICALString()
          : String(v),
      );
      const line = `EXDATE${typeof tzid === 'string' && !utc ? `;TZID=${tzid}` : ''}:${texts.join(',')}`;
      const replacement = ICAL.Property.fromString(line);
      c.removeProperty(p);
      c.addProperty(replacement);
      changes.push(`EXDATE dates of ${c.name.toUpperCase()} given DTSTART's time ${time.slice(1)}`);
    }
  }
  return changes;
}

/**
 * Repairs `root` in place and returns what was changed (empty when nothing was):
 * - METHOD is removed (§4.1: calendar object resources MUST NOT carry it; iMIP imports do);
 * - VERSION and PRODID are added when missing (RFC 5545 §3.6 requires both);
 * - a missing UID is set to the UID the other components share, or a new one (Q28: once, on write);
 * - a missing DTSTAMP is set to now (Q28);
 * - time zones and EXDATE types as above.
 */
export function repairCalendarObject(root: IcalComponent, now = new Date(), preferredZones: string[] = []): string[] {
  const changes: string[] = [];
  if (root.hasProperty('method')) {
    root.removeAllProperties('method');
    changes.push('removed METHOD');
  }
  if (!root.hasProperty('version')) {
    root.addPropertyWithValue('version', '2.0');
    changes.push('added VERSION');
  }
  if (!root.hasProperty('prodid')) {
    root.addPropertyWithValue('prodid', PRODID);
    changes.push('added PRODID');
  }
  const comps = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const known = comps.map((c) => c.getFirstPropertyValue('uid')).find((u) => typeof u === 'string' && u.trim() !== '');
  const uid = typeof known === 'string' ? known : randomUUID();
  for (const c of comps) {
    const u = c.getFirstPropertyValue('uid');
    if (typeof u !== 'string' || u.trim() === '') {
      c.updatePropertyWithValue('uid', uid);
      changes.push(`added UID to ${c.name.toUpperCase()}`);
    }
    if (['vevent', 'vtodo', 'vjournal', 'vfreebusy'].includes(c.name) && !c.hasProperty('dtstamp')) {
      c.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
      changes.push(`added DTSTAMP to ${c.name.toUpperCase()}`);
    }
  }
  changes.push(...repairTimezones(root, preferredZones));
  changes.push(...repairExdates(root));
  return changes;
}
