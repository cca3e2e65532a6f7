// RFC 4791 §9.9: when a component (VEVENT, VTODO, VJOURNAL, VFREEBUSY, VALARM) or a date property
// overlaps a CALDAV:time-range. The per-component tables are transcribed as written; every
// recurrence instance is considered (recurrence.ts).
import type { TimeRange } from './filter.ts';
import { ICAL, type IcalComponent, type IcalProperty, toEpochMs } from './ical.ts';
import { msOf, someInstance, type TimeEnv, timeOf } from './recurrence.ts';

const DAY_MS = 86_400_000;

interface Bounds {
  start: number;
  end: number;
}

function bounds(r: TimeRange): Bounds {
  return { start: r.start ?? Number.NEGATIVE_INFINITY, end: r.end ?? Number.POSITIVE_INFINITY };
}

function durationMs(comp: IcalComponent): number | undefined {
  const d = comp.getFirstPropertyValue('duration');
  return d instanceof ICAL.Duration ? d.toSeconds() * 1000 : undefined;
}

/** Effective start and end of a VEVENT (end undefined: a zero-length event at DTSTART). */
export function eventSpan(comp: IcalComponent, env: TimeEnv): { start: number; end?: number } | undefined {
  const dtstart = timeOf(comp, 'dtstart');
  if (!dtstart) return undefined;
  const start = toEpochMs(dtstart, env.floatingZone);
  const dtend = msOf(comp, 'dtend', env);
  if (dtend !== undefined) return { start, end: dtend > start ? dtend : undefined };
  const dur = durationMs(comp);
  if (dur !== undefined) return { start, end: dur > 0 ? start + dur : undefined };
  return { start, end: dtstart.isDate ? start + DAY_MS : undefined };
}

function eventOverlaps(comp: IcalComponent, r: Bounds, env: TimeEnv): boolean {
  const span = eventSpan(comp, env);
  if (!span) return false;
  return someInstance(comp, env, r.end, (shift) => {
    const s = span.start + shift;
    if (span.end === undefined) return r.start <= s && r.end > s;
    return r.start < span.end + shift && r.end > s;
  });
}

function todoOverlaps(comp: IcalComponent, r: Bounds, env: TimeEnv): boolean {
  const dtstart = msOf(comp, 'dtstart', env);
  const due = msOf(comp, 'due', env);
  const dur = durationMs(comp);
  const completed = msOf(comp, 'completed', env);
  const created = msOf(comp, 'created', env);
  if (dtstart !== undefined) {
    return someInstance(comp, env, r.end, (shift) => {
      const s = dtstart + shift;
      if (dur !== undefined && due === undefined) return r.start <= s + dur && (r.end > s || r.end >= s + dur);
      if (due !== undefined) return (r.start < due + shift || r.start <= s) && (r.end > s || r.end >= due + shift);
      return r.start <= s && r.end > s;
    });
  }
  if (due !== undefined) return r.start < due && r.end >= due;
  if (completed !== undefined && created !== undefined) {
    return (r.start <= created || r.start <= completed) && (r.end >= created || r.end >= completed);
  }
  if (completed !== undefined) return r.start <= completed && r.end >= completed;
  if (created !== undefined) return r.end > created;
  return true;
}

function journalOverlaps(comp: IcalComponent, r: Bounds, env: TimeEnv): boolean {
  const dtstart = timeOf(comp, 'dtstart');
  if (!dtstart) return false;
  const start = toEpochMs(dtstart, env.floatingZone);
  return someInstance(comp, env, r.end, (shift) => {
    const s = start + shift;
    return dtstart.isDate ? r.start < s + DAY_MS && r.end > s : r.start <= s && r.end > s;
  });
}

function freebusyOverlaps(comp: IcalComponent, r: Bounds, env: TimeEnv): boolean {
  const start = msOf(comp, 'dtstart', env);
  const end = msOf(comp, 'dtend', env);
  if (start !== undefined && end !== undefined) return r.start <= end && r.end > start;
  for (const p of comp.getAllProperties('freebusy')) {
    for (const v of p.getValues()) {
      if (!(v instanceof ICAL.Period)) continue;
      const ps = toEpochMs(v.start, env.floatingZone);
      const pe = toEpochMs(v.getEnd(), env.floatingZone);
      if (r.start < pe && r.end > ps) return true;
    }
  }
  return false;
}

/** Trigger instants of an alarm for one instance of its parent, given the parent's start/end. */
function alarmTriggers(
  alarm: IcalComponent,
  parentStart: number | undefined,
  parentEnd: number | undefined,
  env: TimeEnv,
): number[] {
  const prop = alarm.getFirstProperty('trigger');
  const v = prop?.getFirstValue();
  let first: number | undefined;
  if (v instanceof ICAL.Time) first = toEpochMs(v, env.floatingZone);
  else if (v instanceof ICAL.Duration) {
    const related = String(prop?.getParameter('related') ?? 'START').toUpperCase();
    const anchor = related === 'END' ? parentEnd : parentStart;
    if (anchor !== undefined) first = anchor + v.toSeconds() * 1000;
  }
  if (first === undefined) return [];
  const out = [first];
  const repeat = Number(alarm.getFirstPropertyValue('repeat') ?? 0);
  const every = durationMs(alarm);
  if (repeat > 0 && every !== undefined && every > 0) {
    for (let k = 1; k <= Math.min(repeat, 1000); k++) out.push(first + k * every);
  }
  return out;
}

function alarmOverlaps(alarm: IcalComponent, r: Bounds, env: TimeEnv): boolean {
  const parent = alarm.parent;
  if (!parent) return false;
  let start: number | undefined;
  let end: number | undefined;
  if (parent.name === 'vevent') {
    const span = eventSpan(parent, env);
    start = span?.start;
    end = span?.end ?? span?.start;
  } else {
    // VTODO: END is DUE (or DTSTART+DURATION); START falls back to DUE when DTSTART is absent.
    const dtstart = msOf(parent, 'dtstart', env);
    const dur = durationMs(parent);
    end = msOf(parent, 'due', env) ?? (dtstart !== undefined && dur !== undefined ? dtstart + dur : undefined);
    start = dtstart ?? end;
  }
  const hits = (shift: number) =>
    alarmTriggers(
      alarm,
      start === undefined ? undefined : start + shift,
      end === undefined ? undefined : end + shift,
      env,
    ).some((t) => r.start <= t && r.end > t);
  // Triggers may precede their instance, so walk parent instances a little past the range end.
  const lead = Math.max(0, ...alarmTriggers(alarm, 0, 0, env).map((t) => -t));
  return someInstance(parent, env, r.end + lead, hits);
}

/** RFC 4791 §9.9: whether a component overlaps the range (false for components §9.9 does not cover). */
export function componentOverlaps(comp: IcalComponent, range: TimeRange, env: TimeEnv): boolean {
  const r = bounds(range);
  switch (comp.name) {
    case 'vevent':
      return eventOverlaps(comp, r, env);
    case 'vtodo':
      return todoOverlaps(comp, r, env);
    case 'vjournal':
      return journalOverlaps(comp, r, env);
    case 'vfreebusy':
      return freebusyOverlaps(comp, r, env);
    case 'valarm':
      return alarmOverlaps(comp, r, env);
    default:
      return false;
  }
}

/** The value a date property is tested with: its own, or the effective DTEND/DUE (§9.9 note). */
export function effectiveDateMs(
  comp: IcalComponent,
  name: string,
  prop: IcalProperty | undefined,
  env: TimeEnv,
): number | undefined {
  const v = prop?.getFirstValue();
  if (v instanceof ICAL.Time) return toEpochMs(v, env.floatingZone);
  if (prop) return undefined;
  if ((name === 'DTEND' && comp.name === 'vevent') || (name === 'DUE' && comp.name === 'vtodo')) {
    const start = msOf(comp, 'dtstart', env);
    const dur = durationMs(comp);
    if (start !== undefined && dur !== undefined) return start + dur;
  }
  return undefined;
}

/** RFC 4791 §9.9: a date property overlaps when start <= value < end. */
export function instantInRange(ms: number, range: TimeRange): boolean {
  const r = bounds(range);
  return r.start <= ms && r.end > ms;
}
