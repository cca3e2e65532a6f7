// The rows of a column-mapped event or task → iCalendar (RFC 5545): entity columns through the field codecs,
// naive datetimes as TZID=<schema zone> with a VTIMEZONE, the recurrence codec's RRULE, attendee and
// exception-date child rows, then the kept extras (X-props, VALARM, …). Deterministic: the same rows always
// render the same bytes, so a content hash of the rendering is a stable ETag.
import ICAL from 'ical.js';
import { icalLocal, icalUtc, type Naive, naiveToUtc, parseStored } from './local-time.ts';
import type { ColumnsMapping } from './mapping.ts';
import { decodeRecurrence } from './recurrence.ts';
import { vtimezoneLines } from './vtimezone.ts';

type Row = Record<string, unknown>;

export interface EntityData {
  row: Row;
  attendees: Row[];
  exdates: unknown[];
  extras: string | null;
}

const PRODID = '-//davgate//columns//EN';

export function renderEvent(m: ColumnsMapping, d: EntityData): string {
  const { row } = d;
  const zone = (m.time.zoneColumn && (row[m.time.zoneColumn] as string)) || m.time.zone;
  const allDay = m.allDay ? truthy(row[m.allDay.column]) : false;
  const read = (c: { column: string } | undefined) => (c ? parseStored(row[c.column]) : undefined);
  const start = read(m.start);
  if (!start && m.component === 'VEVENT') throw new Error(`row ${String(row[m.key.column])}: no start time`);
  const end = read(m.end);
  const due = read(m.due);
  const comp = m.component;
  const lines: string[] = [`BEGIN:${comp}`, prop('UID', String(row[m.uid.column]))];
  const modified = m.modified ? parseStored(row[m.modified.column]) : undefined;
  lines.push(`DTSTAMP:${modified ? icalUtc(naiveToUtc(m.time.zone, modified).utcMs) : '19700101T000000Z'}`);
  if (start) lines.push(dateLine('DTSTART', start, allDay, zone));
  if (end) lines.push(dateLine('DTEND', end, allDay, zone));
  if (due) lines.push(dateLine('DUE', due, allDay, zone));
  const rrule = start ? decodeRecurrence(m, row, { start, allDay, zone }, parseStored) : undefined;
  if (rrule) lines.push(`RRULE:${rrule}`);
  for (const x of d.exdates
    .map(parseStored)
    .filter((x): x is Naive => !!x)
    .sort(cmpNaive)) {
    lines.push(dateLine('EXDATE', x, allDay, zone));
  }
  for (const [name, c] of Object.entries(m.fields)) {
    const v = row[c.column];
    if (v === null || v === undefined) continue;
    if (c.type === 'enum') {
      const key = Object.keys(c.map).find((k) => String(c.map[k]) === String(v));
      if (key !== undefined) lines.push(prop(name, key));
    } else if (c.type === 'boolean') lines.push(prop(name, truthy(v) ? 'TRUE' : 'FALSE'));
    else if (c.type === 'datetime') {
      const n = parseStored(v);
      if (n) lines.push(`${name}:${icalUtc(naiveToUtc(m.time.zone, n).utcMs)}`);
    } else lines.push(prop(name, String(v)));
  }
  for (const a of d.attendees) lines.push(attendeeLine(m, a));
  let body = lines.join('\r\n');
  if (d.extras) {
    const extra = new ICAL.Component(ICAL.parse(d.extras));
    const inner = extra
      .getAllProperties()
      .map((p) => p.toICALString())
      .concat(extra.getAllSubcomponents().map((c) => c.toString()));
    if (inner.length) body += `\r\n${inner.join('\r\n')}`;
  }
  const anchor = start ?? due;
  const tz = allDay || !anchor ? [] : vtimezoneLines(zone, anchor.y);
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, ...tz, body, `END:${comp}`, 'END:VCALENDAR'];
  // Round-trip through ical.js for line folding and a canonical layout.
  return `${new ICAL.Component(ICAL.parse(text.join('\r\n'))).toString()}\r\n`;
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't' || v === 'true' || v === 1n;

function cmpNaive(a: Naive, b: Naive): number {
  return icalLocal(a).localeCompare(icalLocal(b));
}

function dateLine(name: string, n: Naive, allDay: boolean, zone: string): string {
  if (allDay) return `${name};VALUE=DATE:${icalLocal(n).slice(0, 8)}`;
  return `${name};TZID=${zone}:${icalLocal(n)}`;
}

function prop(name: string, value: string): string {
  const p = new ICAL.Property(name.toLowerCase());
  p.setValue(value);
  return p.toICALString();
}

function attendeeLine(m: ColumnsMapping, a: Row): string {
  const map = m.attendees;
  if (!map) return '';
  const p = new ICAL.Property('attendee');
  p.setValue(`mailto:${String(a[map.email])}`);
  if (map.name && a[map.name]) p.setParameter('cn', String(a[map.name]));
  for (const [param, c] of [
    ['role', map.role],
    ['partstat', map.partstat],
  ] as const) {
    if (!c) continue;
    const key = Object.keys(c.map).find((k) => String(c.map[k]) === String(a[c.column]));
    if (key) p.setParameter(param, key);
  }
  return p.toICALString();
}
