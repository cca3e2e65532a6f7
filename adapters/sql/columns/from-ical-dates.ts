// The date properties of an event or task (RFC 5545 §3.6.1 DTSTART/DTEND/DURATION, §3.6.2 DTSTART/DUE)
// → naive wall-clock columns in the schema's zone. Times the naive columns cannot hold (the repeated hour
// of a DST change) and shapes the schema has no column for are refused, never approximated.
import ICAL from 'ical.js';
import { formatNaive, type Naive, naiveToUtc, utcToNaive } from './local-time.ts';
import type { ColumnsMapping } from './mapping.ts';
import { Refusal } from './refusal.ts';

type Row = Record<string, unknown>;
type Zones = Map<string, ICAL.Timezone>;

export interface Stamp {
  naive: Naive;
  allDay: boolean;
}

export interface PlannedDates {
  /** Start, end/due and all-day columns. */
  values: Row;
  /** DTSTART as stored (the recurrence anchor), if any. */
  start: Stamp | undefined;
}

const icalFields = (n: Naive) => ({ year: n.y, month: n.mo, day: n.d, hour: n.h, minute: n.mi, second: n.s });

export function planDates(m: ColumnsMapping, comp: ICAL.Component, zones: Zones): PlannedDates {
  const kind = m.component;
  const startProp = comp.getFirstProperty('dtstart');
  const start = startProp ? toStamp(m, startProp, zones) : undefined;
  const dur = comp.getFirstPropertyValue('duration') as ICAL.Duration | null;
  const values: Row = {};
  let second: Stamp | undefined;
  if (kind === 'VEVENT') {
    if (!start || !m.start || !m.end) throw new Refusal('VEVENT without DTSTART');
    const endProp = comp.getFirstProperty('dtend');
    second = endProp ? toStamp(m, endProp, zones) : shifted(start, dur);
    if (second.allDay !== start.allDay) throw new Refusal('DTSTART and DTEND must both be dates or both date-times');
    values[m.end.column] = formatNaive(second.naive);
  } else {
    const dueProp = comp.getFirstProperty('due');
    second = dueProp ? toStamp(m, dueProp, zones) : start && dur ? shifted(start, dur) : undefined;
    if (start && !m.start) throw new Refusal('this schema cannot store a task start (DTSTART)');
    if (second && !m.due) throw new Refusal('this schema cannot store a task due date (DUE)');
    if (start && second && second.allDay !== start.allDay)
      throw new Refusal('DTSTART and DUE must both be dates or both date-times');
    if (m.due) values[m.due.column] = second ? formatNaive(second.naive) : null;
  }
  if (m.start) values[m.start.column] = start ? formatNaive(start.naive) : null;
  const allDay = (start ?? second)?.allDay ?? false;
  if (allDay && !m.allDay)
    throw new Refusal(`this schema cannot store all-day ${kind === 'VTODO' ? 'tasks' : 'events'}`);
  if (m.allDay) values[m.allDay.column] = allDay ? 1 : 0;
  return { values, start };
}

/** `start` + DURATION (or the RFC 5545 §3.6.1 default: one day for a DATE, zero for a DATE-TIME). */
function shifted(start: Stamp, dur: ICAL.Duration | null): Stamp {
  const t = ICAL.Time.fromData({ ...icalFields(start.naive), isDate: start.allDay });
  if (dur) t.addDuration(dur);
  else if (start.allDay) t.day += 1;
  t.adjust(0, 0, 0, 0);
  return { naive: { y: t.year, mo: t.month, d: t.day, h: t.hour, mi: t.minute, s: t.second }, allDay: start.allDay };
}

function toStamp(m: ColumnsMapping, p: ICAL.Property, zones: Zones): Stamp {
  const v = p.getFirstValue() as ICAL.Time;
  return { naive: timeToNaive(m, v, p, zones), allDay: v.isDate };
}

/** A DATE/DATE-TIME value as wall-clock time in the schema's zone. */
export function timeToNaive(m: ColumnsMapping, v: ICAL.Time, p: ICAL.Property, zones: Zones): Naive {
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
