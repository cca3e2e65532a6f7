// iCalendar (RFC 5545) → the rows of a column-mapped event or task: the entity's column values, attendee and
// exception-date child rows, and the unmapped properties/components (X-props, VALARM, ORGANIZER, …) kept
// as an iCalendar fragment. Whatever the schema cannot hold faithfully is refused (Refusal), never dropped.
import ICAL from 'ical.js';
import { planDates, timeToNaive } from './from-ical-dates.ts';
import { formatNaive } from './local-time.ts';
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
  /** Contacts: e-mail and phone rows without the parent column. */
  emails?: Row[];
  phones?: Row[];
  /** Unmapped properties and sub-components as a `BEGIN:VEVENT…END:VEVENT` (or VTODO) fragment, or null. */
  extras: string | null;
}

/** Properties the codecs own; everything else goes to the extras. DTSTAMP/LAST-MODIFIED are regenerated. */
const OWNED = new Set([
  'uid',
  'dtstart',
  'dtend',
  'due',
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
  const kind = m.component;
  const what = kind === 'VTODO' ? 'tasks (VTODO)' : 'events (VEVENT)';
  const others = cal.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const objects = others.filter((c) => c.name === kind.toLowerCase());
  if (objects.length !== others.length) throw new Refusal(`this calendar stores ${what} only`);
  if (objects.length !== 1) {
    throw new Refusal(`this schema cannot store modified instances of a recurring ${kind} (RECURRENCE-ID overrides)`);
  }
  const ev = objects[0];
  if (ev.hasProperty('recurrence-id')) throw new Refusal('this schema cannot store a lone RECURRENCE-ID instance');
  for (const p of ['rdate', 'exrule']) if (ev.hasProperty(p)) throw new Refusal(`${p.toUpperCase()} cannot be stored`);
  if (ev.getAllProperties('rrule').length > 1) throw new Refusal('more than one RRULE cannot be stored');
  const uid = String(ev.getFirstPropertyValue('uid') ?? '');
  if (!uid) throw new Refusal(`${kind} without UID`);

  const dates = planDates(m, ev, zones);
  const values: Row = { [m.uid.column]: uid, ...dates.values };
  if (m.time.zoneColumn) values[m.time.zoneColumn] = m.time.zone;
  for (const [prop, c] of Object.entries(m.fields))
    values[c.column] = encodeField(m, prop, c, ev.getFirstProperty(prop.toLowerCase()), zones);
  const rrule = ev.getFirstProperty('rrule')?.getFirstValue()?.toString();
  const anchor = dates.start && { start: dates.start.naive, allDay: dates.start.allDay, zone: m.time.zone };
  Object.assign(values, encodeRecurrence(m, rrule, anchor));

  const exdates: string[] = [];
  for (const p of ev.getAllProperties('exdate')) {
    if (!m.exdates) throw new Refusal('EXDATE cannot be stored by this schema');
    for (const v of p.getValues() as ICAL.Time[]) exdates.push(formatNaive(timeToNaive(m, v, p, zones)));
  }
  const attendees = ev.getAllProperties('attendee').map((p) => attendeeRow(m, p));

  const extra = new ICAL.Component(kind.toLowerCase());
  const mapped = new Set([...OWNED, ...Object.keys(m.fields).map((k) => k.toLowerCase())]);
  for (const p of ev.getAllProperties())
    if (!mapped.has(p.name)) extra.addProperty(ICAL.Property.fromString(p.toICALString()));
  for (const c of ev.getAllSubcomponents()) extra.addSubcomponent(new ICAL.Component(ICAL.parse(c.toString())));
  const extras = extra.getAllProperties().length || extra.getAllSubcomponents().length ? extra.toString() : null;
  return { uid, values, attendees, exdates, extras };
}

function encodeField(
  m: ColumnsMapping,
  prop: string,
  c: FieldCodec,
  p: ICAL.Property | null,
  zones: Map<string, ICAL.Timezone>,
): unknown {
  if (!p) return c.type === 'datetime' ? null : (c.absent ?? null);
  if (c.type === 'datetime') return formatNaive(timeToNaive(m, p.getFirstValue() as ICAL.Time, p, zones));
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
