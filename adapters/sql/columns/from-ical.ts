// iCalendar (RFC 5545) → the rows of a column-mapped event: the entity's column values, attendee and
// exception-date child rows, and the unmapped properties/components (X-props, VALARM, ORGANIZER, …) kept
// as an iCalendar fragment. Whatever the schema cannot hold faithfully is refused (Refusal), never dropped.
import ICAL from 'ical.js';
import { formatNaive, type Naive, naiveToUtc, utcToNaive } from './local-time.ts';
import type { ColumnsMapping, FieldCodec } from './mapping.ts';
import { encodeRecurrence } from './recurrence.ts';
import { Refusal } from './refusal.ts';

type Row = Record<string, unknown>;

export interface WritePlan {
  uid: string;
  /** Entity columns (without key, scope, version, modified, soft-delete). */
  values: Row;
  /** Attendee rows without the parent column. */
  attendees: Row[];
  /** Exception dates as stored literals. */
  exdates: string[];
  /** Unmapped properties and sub-components as a `BEGIN:VEVENT…END:VEVENT` fragment, or null. */
  extras: string | null;
}

/** Properties the codecs own; everything else goes to the extras. DTSTAMP/LAST-MODIFIED are regenerated. */
const OWNED = new Set([
  'uid',
  'dtstart',
  'dtend',
  'duration',
  'rrule',
  'exdate',
  'attendee',
  'dtstamp',
  'last-modified',
]);

export function planWrite(m: ColumnsMapping, text: string): WritePlan {
  let cal: ICAL.Component;
  try {
    cal = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    throw new Refusal(`not valid iCalendar: ${(e as Error).message}`);
  }
  const zones = new Map<string, ICAL.Timezone>();
  for (const vt of cal.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vt);
    zones.set(tz.tzid, tz);
  }
  const others = cal.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const events = others.filter((c) => c.name === 'vevent');
  if (events.length !== others.length) throw new Refusal('this calendar stores events (VEVENT) only');
  if (events.length !== 1) {
    throw new Refusal('this schema cannot store modified instances of a recurring event (RECURRENCE-ID overrides)');
  }
  const ev = events[0];
  if (ev.hasProperty('recurrence-id')) throw new Refusal('this schema cannot store a lone RECURRENCE-ID instance');
  for (const p of ['rdate', 'exrule']) if (ev.hasProperty(p)) throw new Refusal(`${p.toUpperCase()} cannot be stored`);
  if (ev.getAllProperties('rrule').length > 1) throw new Refusal('more than one RRULE cannot be stored');
  const uid = String(ev.getFirstPropertyValue('uid') ?? '');
  if (!uid) throw new Refusal('VEVENT without UID');

  const startProp = ev.getFirstProperty('dtstart');
  if (!startProp) throw new Refusal('VEVENT without DTSTART');
  const start = toNaive(m, startProp, zones);
  let end: { naive: Naive; allDay: boolean };
  const endProp = ev.getFirstProperty('dtend');
  const dur = ev.getFirstPropertyValue('duration') as ICAL.Duration | null;
  if (endProp) end = toNaive(m, endProp, zones);
  else {
    const t = ICAL.Time.fromData({ ...icalFields(start.naive), isDate: start.allDay });
    if (dur) t.addDuration(dur);
    else if (start.allDay) t.day += 1;
    t.adjust(0, 0, 0, 0);
    end = { naive: { y: t.year, mo: t.month, d: t.day, h: t.hour, mi: t.minute, s: t.second }, allDay: start.allDay };
  }
  if (end.allDay !== start.allDay) throw new Refusal('DTSTART and DTEND must both be dates or both date-times');
  if (start.allDay && !m.allDay) throw new Refusal('this schema cannot store all-day events');

  const values: Row = {
    [m.uid.column]: uid,
    [m.start.column]: formatNaive(start.naive),
    [m.end.column]: formatNaive(end.naive),
  };
  if (m.allDay) values[m.allDay.column] = start.allDay ? 1 : 0;
  if (m.time.zoneColumn) values[m.time.zoneColumn] = m.time.zone;
  for (const [prop, c] of Object.entries(m.fields))
    values[c.column] = encodeField(prop, c, ev.getFirstProperty(prop.toLowerCase()));
  const rrule = ev.getFirstProperty('rrule');
  Object.assign(
    values,
    encodeRecurrence(m, rrule?.getFirstValue()?.toString(), {
      start: start.naive,
      allDay: start.allDay,
      zone: m.time.zone,
    }),
  );

  const exdates: string[] = [];
  for (const p of ev.getAllProperties('exdate')) {
    if (!m.exdates) throw new Refusal('EXDATE cannot be stored by this schema');
    for (const v of p.getValues() as ICAL.Time[]) exdates.push(formatNaive(timeToNaive(m, v, p, zones)));
  }
  const attendees = ev.getAllProperties('attendee').map((p) => attendeeRow(m, p));

  const extra = new ICAL.Component('vevent');
  const mapped = new Set([...OWNED, ...Object.keys(m.fields).map((k) => k.toLowerCase())]);
  for (const p of ev.getAllProperties())
    if (!mapped.has(p.name)) extra.addProperty(ICAL.Property.fromString(p.toICALString()));
  for (const c of ev.getAllSubcomponents()) extra.addSubcomponent(new ICAL.Component(ICAL.parse(c.toString())));
  const extras = extra.getAllProperties().length || extra.getAllSubcomponents().length ? extra.toString() : null;
  return { uid, values, attendees, exdates, extras };
}

const icalFields = (n: Naive) => ({ year: n.y, month: n.mo, day: n.d, hour: n.h, minute: n.mi, second: n.s });

function toNaive(m: ColumnsMapping, p: ICAL.Property, zones: Map<string, ICAL.Timezone>) {
  const v = p.getFirstValue() as ICAL.Time;
  return { naive: timeToNaive(m, v, p, zones), allDay: v.isDate };
}

/** A DATE/DATE-TIME value as wall-clock time in the schema's zone. */
function timeToNaive(m: ColumnsMapping, v: ICAL.Time, p: ICAL.Property, zones: Map<string, ICAL.Timezone>): Naive {
  const fields: Naive = { y: v.year, mo: v.month, d: v.day, h: v.hour, mi: v.minute, s: v.second };
  if (v.isDate) return { ...fields, h: 0, mi: 0, s: 0 };
  const zone = m.time.zone;
  const tzid = p.getParameter('tzid') as string | undefined;
  let utc: number;
  if (v.zone?.tzid === 'UTC' && !tzid) utc = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second);
  else if (!tzid || tzid === zone)
    return fields; // floating, or already the schema's zone: keep the wall clock
  else if (isIana(tzid)) utc = naiveToUtc(tzid, fields).utcMs;
  else {
    const tz = zones.get(tzid);
    if (!tz) throw new Refusal(`TZID=${tzid} is neither an IANA zone nor defined by a VTIMEZONE`);
    const t = ICAL.Time.fromData(icalFields(fields), tz);
    utc = t.toUnixTime() * 1000;
  }
  const local = utcToNaive(zone, utc);
  if (naiveToUtc(zone, local).utcMs !== utc) {
    throw new Refusal(
      `${p.name.toUpperCase()} ${new Date(utc).toISOString()} falls in the repeated hour of ${zone}, which this schema stores as naive local time and cannot tell apart`,
    );
  }
  return local;
}

function isIana(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function encodeField(prop: string, c: FieldCodec, p: ICAL.Property | null): unknown {
  if (!p) return null;
  const raw = p.getFirstValue();
  const text = raw === null || raw === undefined ? '' : String(raw);
  switch (c.type) {
    case 'text':
      return text;
    case 'integer': {
      const n = Number(text);
      if (!Number.isInteger(n)) throw new Refusal(`${prop}:${text} is not an integer`);
      return n;
    }
    case 'boolean':
      return /^(true|1|yes)$/i.test(text) ? 1 : 0;
    case 'enum': {
      const key = Object.keys(c.map).find((k) => k.toUpperCase() === text.toUpperCase());
      if (key === undefined) {
        throw new Refusal(`${prop}:${text} cannot be stored: the schema knows ${Object.keys(c.map).join(', ')}`);
      }
      return c.map[key];
    }
  }
}

function attendeeRow(m: ColumnsMapping, p: ICAL.Property): Row {
  const a = m.attendees;
  if (!a) throw new Refusal('ATTENDEE cannot be stored by this schema');
  const row: Row = { [a.email]: String(p.getFirstValue()).replace(/^mailto:/i, '') };
  if (a.name) row[a.name] = (p.getParameter('cn') as string | undefined) ?? null;
  for (const [param, c, dflt] of [
    ['partstat', a.partstat, 'NEEDS-ACTION'],
    ['role', a.role, 'REQ-PARTICIPANT'],
  ] as const) {
    if (!c) continue;
    const v = String(p.getParameter(param) ?? dflt).toUpperCase();
    if (!(v in c.map)) throw new Refusal(`ATTENDEE ${param.toUpperCase()}=${v} cannot be stored by this schema`);
    row[c.column] = c.map[v];
  }
  return row;
}
