// The derived columns SabreDAV's CalDAV PDO backend stores beside calendardata (getDenormalizedData in
// sabre/dav lib/CalDAV/Backend/PDO.php), reproduced rule by rule so rows written here read the same as rows
// SabreDAV writes: etag = md5 hex of the bytes, size = byte length, componenttype = the first non-VTIMEZONE
// component, uid = its UID ('' when absent), and for VEVENT firstoccurence/lastoccurence in unix seconds
// (clamped at 0): DTEND, else DTSTART + DURATION, else +1 day for a DATE, else DTSTART; a recurring event
// runs vobject's EventIterator up to MAX_DATE (2038-01-01 in the server zone), an infinite rule is MAX_DATE.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { BackendError } from '../../../src/backend/port.ts';
import { wallMs, wallToEpochMs, ZoneResolver } from './zone.ts';

type IcalComponent = InstanceType<typeof ICAL.Component>;
type IcalTime = InstanceType<typeof ICAL.Time>;
type IcalDuration = InstanceType<typeof ICAL.Duration>;

export interface CalendarDerived {
  etag: string;
  size: number;
  componenttype: string;
  firstoccurence: number | null;
  lastoccurence: number | null;
  uid: string;
}

/** SabreDAV's MAX_DATE: `new DateTime('2038-01-01')` in the server's default zone. */
export function maxDateSeconds(zone: string): number {
  return Math.floor(wallToEpochMs(Date.UTC(2038, 0, 1), zone) / 1000);
}

/** Most instances walked for one finite series (vobject has no cap; this guards the gateway). */
const MAX_INSTANCES = 100_000;

export function md5Hex(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex');
}

function parse(body: Uint8Array): IcalComponent {
  try {
    const jcal = ICAL.parse(new TextDecoder().decode(body));
    const root = new ICAL.Component(Array.isArray(jcal[0]) ? jcal[0] : jcal);
    if (root.name === 'vcalendar') return root;
  } catch {
    // fall through
  }
  throw new BackendError('forbidden', 'calendar data is not one VCALENDAR');
}

export function deriveCalendarColumns(body: Uint8Array, zone: string): CalendarDerived {
  const vcal = parse(body);
  const comp = vcal.getAllSubcomponents().find((c) => c.name !== 'vtimezone');
  if (!comp) throw new BackendError('forbidden', 'Calendar objects must have a VJOURNAL, VEVENT or VTODO component');
  const uidValue = comp.getFirstPropertyValue('uid');
  const out: CalendarDerived = {
    etag: md5Hex(body),
    size: body.byteLength,
    componenttype: comp.name.toUpperCase(),
    firstoccurence: null,
    lastoccurence: null,
    uid: uidValue == null ? '' : String(uidValue),
  };
  if (comp.name !== 'vevent') return out;
  const zones = new ZoneResolver(vcal, zone);
  const dtstart = comp.getFirstProperty('dtstart');
  if (!dtstart) throw new BackendError('forbidden', 'VEVENT without DTSTART');
  const start = dtstart.getFirstValue() as IcalTime;
  const first = zones.toMs(start, tzidOf(dtstart));
  let last: number;
  if (!comp.hasProperty('rrule')) {
    last = singleEnd(comp, start, first, zones);
  } else {
    last = recurringEnd(vcal, comp, zones, maxDateSeconds(zone) * 1000);
  }
  out.firstoccurence = Math.max(0, Math.floor(first / 1000));
  out.lastoccurence = Math.max(0, Math.floor(last / 1000));
  return out;
}

function tzidOf(p: InstanceType<typeof ICAL.Property>): string | undefined {
  const v = p.getParameter('tzid');
  return typeof v === 'string' ? v : undefined;
}

/** DTSTART + a DURATION: days and weeks on the wall clock of the start's zone, the rest as elapsed time. */
function plusDuration(
  start: IcalTime,
  startMs: number,
  tzid: string | undefined,
  d: IcalDuration,
  zones: ZoneResolver,
) {
  const sign = d.isNegative ? -1 : 1;
  const days = sign * (d.weeks * 7 + d.days);
  const rest = sign * (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
  if (days === 0) return startMs + rest;
  const moved = start.clone();
  moved.adjust(days, 0, 0, 0);
  return zones.toMs(moved, tzid) + rest;
}

/** lastoccurence of a non-recurring event. */
function singleEnd(comp: IcalComponent, start: IcalTime, first: number, zones: ZoneResolver): number {
  const dtend = comp.getFirstProperty('dtend');
  if (dtend) return zones.toMs(dtend.getFirstValue() as IcalTime, tzidOf(dtend));
  const duration = comp.getFirstPropertyValue('duration') as IcalDuration | null;
  if (duration) return plusDuration(start, first, tzidOf(comp.getFirstProperty('dtstart') as never), duration, zones);
  if (start.isDate) return wallToEpochMs(wallMs(start) + 86_400_000, zones.defaultZone);
  return first;
}

interface Instance {
  start: number;
  end: number;
}

/** End of one event instance as vobject's EventIterator reports it (floating and DATE values in UTC). */
function instanceEnd(comp: IcalComponent, start: IcalTime, startMs: number, zones: ZoneResolver): number {
  const dtend = comp.getFirstProperty('dtend');
  if (dtend) return zones.toMs(dtend.getFirstValue() as IcalTime, tzidOf(dtend), 'UTC');
  const duration = comp.getFirstPropertyValue('duration') as IcalDuration | null;
  const tzid = tzidOf(comp.getFirstProperty('dtstart') as never);
  if (duration) return plusDuration(start, startMs, tzid, duration, zones);
  return startMs + (start.isDate ? 86_400_000 : 0);
}

/**
 * lastoccurence of a recurring event: vobject's EventIterator walks instances in start order (overridden
 * ones at their own start) and SabreDAV keeps the end of the last instance it reached before MAX_DATE.
 */
function recurringEnd(vcal: IcalComponent, master: IcalComponent, zones: ZoneResolver, maxMs: number): number {
  const rrule = master.getFirstPropertyValue('rrule') as InstanceType<typeof ICAL.Recur> | null;
  if (rrule && !rrule.count && !rrule.until) return maxMs;
  const uid = master.getFirstPropertyValue('uid');
  const event = new ICAL.Event(master);
  const overrides = vcal
    .getAllSubcomponents('vevent')
    .filter((c) => c !== master && c.hasProperty('recurrence-id') && c.getFirstPropertyValue('uid') === uid);
  for (const o of overrides) event.relateException(o);
  const dtstart = master.getFirstProperty('dtstart') as InstanceType<typeof ICAL.Property>;
  const masterStart = dtstart.getFirstValue() as IcalTime;
  const masterStartMs = zones.toMs(masterStart, tzidOf(dtstart), 'UTC');
  const duration = instanceEnd(master, masterStart, masterStartMs, zones) - masterStartMs;
  const instances: Instance[] = [];
  const seen = new Set<string>();
  const it = event.iterator();
  for (let n = 0, next = it.next(); next && n < MAX_INSTANCES; n++, next = it.next()) {
    seen.add(next.toString());
    const exc = exceptionsOf(event)[next.toString()];
    if (exc) instances.push(overrideInstance(exc.component, zones));
    else {
      const s = zones.toMs(next, tzidOf(dtstart), 'UTC');
      instances.push({ start: s, end: s + duration });
      if (s >= maxMs) break;
    }
  }
  // Overrides whose RECURRENCE-ID the rule does not produce are still instances to vobject.
  for (const [rid, exc] of Object.entries(exceptionsOf(event))) {
    if (!seen.has(rid)) instances.push(overrideInstance(exc.component, zones));
  }
  instances.sort((a, b) => a.start - b.start);
  if (instances.length === 0) return masterStartMs + duration;
  let end = instances[0].end;
  for (const i of instances) {
    if (end >= maxMs) break;
    end = i.end;
  }
  return end;
}

function overrideInstance(comp: IcalComponent, zones: ZoneResolver): Instance {
  const p = comp.getFirstProperty('dtstart') as InstanceType<typeof ICAL.Property>;
  const t = p.getFirstValue() as IcalTime;
  const start = zones.toMs(t, tzidOf(p), 'UTC');
  return { start, end: instanceEnd(comp, t, start, zones) };
}

/** ical.js keeps related exceptions by RECURRENCE-ID string (typed as an array in its declarations). */
function exceptionsOf(event: InstanceType<typeof ICAL.Event>): Record<string, InstanceType<typeof ICAL.Event>> {
  return event.exceptions as unknown as Record<string, InstanceType<typeof ICAL.Event>>;
}
