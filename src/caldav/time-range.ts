// RFC 4791 §9.9: when a component (VEVENT, VTODO, VJOURNAL, VFREEBUSY, VALARM) or a date property
// overlaps a CALDAV:time-range. Every table row reduces to one "match span" per instance: a start and
// an end plus whether each comparison is inclusive, so that
//   range.start < end   (range.start <= end when inclEnd)   and
//   range.end   > start (range.end  >= start when inclStart)
// is exactly the row's condition. The same spans feed the write-time index (time-index.ts), so the
// index and the evaluation cannot disagree.
import type { TimeRange } from './filter.ts';
import { ICAL, type IcalComponent, type IcalProperty } from './ical.ts';
import {
  addDuration,
  type Instance,
  ms,
  msOf,
  type RecurrenceSet,
  setOf,
  type TimeEnv,
  timeOf,
  walkInstances,
} from './recurrence.ts';

const DAY = ICAL.Duration.fromData({ days: 1 });

export interface Bounds {
  start: number;
  end: number;
}

/** One instance's extent for §9.9 comparisons; `busy` is its FBTYPE when it is busy time (§7.10). */
export interface MatchSpan {
  start: number;
  end: number;
  inclStart: boolean;
  inclEnd: boolean;
  busy?: string;
  /** Busy time that does not take part in time-range matching (FREEBUSY inside a bounded VFREEBUSY). */
  busyOnly?: boolean;
}

export function bounds(r: { start?: number; end?: number }): Bounds {
  return { start: r.start ?? Number.NEGATIVE_INFINITY, end: r.end ?? Number.POSITIVE_INFINITY };
}

export function spanOverlaps(s: MatchSpan, r: Bounds): boolean {
  return (
    !s.busyOnly &&
    (s.inclEnd ? r.start <= s.end : r.start < s.end) &&
    (s.inclStart ? r.end >= s.start : r.end > s.start)
  );
}

function durationOf(comp: IcalComponent): InstanceType<typeof ICAL.Duration> | undefined {
  const d = comp.getFirstPropertyValue('duration');
  return d instanceof ICAL.Duration ? d : undefined;
}

function durationMs(comp: IcalComponent): number | undefined {
  return durationOf(comp)?.toSeconds() === undefined ? undefined : (durationOf(comp)?.toSeconds() ?? 0) * 1000;
}

/** §7.10 table: TRANSPARENT or CANCELLED events are free; TENTATIVE is BUSY-TENTATIVE; else BUSY. */
export function eventBusyType(ev: IcalComponent): string | undefined {
  if (String(ev.getFirstPropertyValue('transp') ?? 'OPAQUE').toUpperCase() === 'TRANSPARENT') return undefined;
  const status = String(ev.getFirstPropertyValue('status') ?? 'CONFIRMED').toUpperCase();
  if (status === 'CANCELLED') return undefined;
  return status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY';
}

/**
 * End of a VEVENT instance (RFC 5545 §3.8.5: DTEND gives every instance the same exact duration,
 * DURATION the same nominal one; a DATE start without either lasts one day), or undefined when the
 * instance has no extent (DTSTART date-time alone).
 */
export function eventEnd(inst: Instance, env: TimeEnv): number | undefined {
  const c = inst.comp;
  const s = inst.startMs;
  const start = inst.start;
  if (s === undefined || !start) return undefined;
  if (inst.periodEndMs !== undefined) return inst.periodEndMs;
  const dtstart = timeOf(c, 'dtstart');
  const dtend = timeOf(c, 'dtend');
  if (dtstart && dtend) {
    if (dtstart.isDate) {
      const days = Math.round(
        (Date.UTC(dtend.year, dtend.month - 1, dtend.day) - Date.UTC(dtstart.year, dtstart.month - 1, dtstart.day)) /
          86_400_000,
      );
      return addDuration(start, s, ICAL.Duration.fromData({ days: Math.abs(days), isNegative: days < 0 }), env);
    }
    return s + (ms(dtend, env) - ms(dtstart, env));
  }
  const d = durationOf(c);
  if (d) return addDuration(start, s, d, env);
  if (start.isDate) return addDuration(start, s, DAY, env);
  return undefined;
}

function eventSpan(inst: Instance, env: TimeEnv): MatchSpan[] {
  const s = inst.startMs;
  if (s === undefined) return [];
  const e = eventEnd(inst, env);
  if (e !== undefined && e > s)
    return [{ start: s, end: e, inclStart: false, inclEnd: false, busy: eventBusyType(inst.comp) }];
  // Zero duration, or a date-time DTSTART alone: (start <= DTSTART AND end > DTSTART).
  return [{ start: s, end: s, inclStart: false, inclEnd: true }];
}

function todoSpan(inst: Instance, env: TimeEnv): MatchSpan[] {
  const c = inst.comp;
  const s = inst.startMs;
  const dueMs = msOf(c, 'due', env);
  const due = dueMs === undefined ? undefined : dueMs + inst.shiftMs;
  const dur = durationOf(c);
  if (s !== undefined) {
    if (dur && due === undefined && inst.start) {
      const e = addDuration(inst.start, s, dur, env);
      // (start <= DTSTART+DURATION) AND ((end > DTSTART) OR (end >= DTSTART+DURATION))
      if (e > s) return [{ start: s, end: e, inclStart: false, inclEnd: true }];
      return [{ start: Math.min(s, e), end: s, inclStart: true, inclEnd: true }];
    }
    if (due !== undefined) {
      // ((start < DUE) OR (start <= DTSTART)) AND ((end > DTSTART) OR (end >= DUE))
      if (s < due) return [{ start: s, end: due, inclStart: false, inclEnd: false }];
      return [{ start: due, end: s, inclStart: true, inclEnd: true }];
    }
    // (start <= DTSTART) AND (end > DTSTART)
    return [{ start: s, end: s, inclStart: false, inclEnd: true }];
  }
  // (start < DUE) AND (end >= DUE)
  if (due !== undefined) return [{ start: due, end: due, inclStart: true, inclEnd: false }];
  const completed = msOf(c, 'completed', env);
  const created = msOf(c, 'created', env);
  if (completed !== undefined && created !== undefined) {
    // ((start <= CREATED) OR (start <= COMPLETED)) AND ((end >= CREATED) OR (end >= COMPLETED))
    return [
      {
        start: Math.min(completed, created),
        end: Math.max(completed, created),
        inclStart: true,
        inclEnd: true,
      },
    ];
  }
  if (completed !== undefined) return [{ start: completed, end: completed, inclStart: true, inclEnd: true }];
  // (end > CREATED)
  if (created !== undefined)
    return [{ start: created, end: Number.POSITIVE_INFINITY, inclStart: false, inclEnd: false }];
  return [{ start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY, inclStart: false, inclEnd: false }];
}

function journalSpan(inst: Instance, env: TimeEnv): MatchSpan[] {
  const s = inst.startMs;
  if (s === undefined || !inst.start) return [];
  // DATE: (start < DTSTART+P1D AND end > DTSTART); date-time: (start <= DTSTART AND end > DTSTART)
  if (inst.start.isDate)
    return [{ start: s, end: addDuration(inst.start, s, DAY, env), inclStart: false, inclEnd: false }];
  return [{ start: s, end: s, inclStart: false, inclEnd: true }];
}

/**
 * VFREEBUSY: (start <= DTEND) AND (end > DTSTART) when both are present, else the FREEBUSY periods
 * (start < period end AND end > period start). Busy periods always come along for free-busy-query;
 * when DTSTART/DTEND decide the match they are marked `busyOnly`.
 */
function freebusySpans(comp: IcalComponent, env: TimeEnv): MatchSpan[] {
  const start = msOf(comp, 'dtstart', env);
  const end = msOf(comp, 'dtend', env);
  const bounded = start !== undefined && end !== undefined;
  const out: MatchSpan[] = bounded ? [{ start, end, inclStart: false, inclEnd: true }] : [];
  for (const p of comp.getAllProperties('freebusy')) {
    const type = String(p.getParameter('fbtype') ?? 'BUSY').toUpperCase();
    const busy = type === 'FREE' ? undefined : type;
    if (bounded && !busy) continue;
    for (const v of p.getValues()) {
      if (!(v instanceof ICAL.Period)) continue;
      const span: MatchSpan = { start: ms(v.start, env), end: ms(v.getEnd(), env), inclStart: false, inclEnd: false };
      if (busy) span.busy = busy;
      if (bounded) span.busyOnly = true;
      out.push(span);
    }
  }
  return out;
}

/** The §9.9 spans of one instance (VFREEBUSY: of the component; VALARM is handled separately). */
export function instanceSpans(inst: Instance, env: TimeEnv): MatchSpan[] {
  switch (inst.comp.name) {
    case 'vevent':
      return eventSpan(inst, env);
    case 'vtodo':
      return todoSpan(inst, env);
    case 'vjournal':
      return journalSpan(inst, env);
    case 'vfreebusy':
      return freebusySpans(inst.comp, env);
    default:
      return [];
  }
}

/**
 * Whether some instance of `comp` itself (not of a sibling override) overlaps, walking instances up
 * to `horizon`. A walk cut by the iteration bound counts as overlapping (RFC 4791 §11: the server may
 * not expand without limit, and must not drop the object).
 */
function someInstanceOf(
  comp: IcalComponent,
  set: RecurrenceSet,
  env: TimeEnv,
  horizon: number,
  test: (inst: Instance) => boolean,
): boolean {
  let hit = false;
  const r = walkInstances(set, env, horizon, (inst) => {
    if (inst.comp !== comp) return false;
    hit = test(inst);
    return hit;
  });
  return hit || r.bounded === true;
}

/** Trigger instants of an alarm for one parent instance with the given start and end. */
function alarmTriggers(
  alarm: IcalComponent,
  start: number | undefined,
  end: number | undefined,
  env: TimeEnv,
): number[] {
  const prop = alarm.getFirstProperty('trigger');
  const v = prop?.getFirstValue();
  let first: number | undefined;
  if (v instanceof ICAL.Time) first = ms(v, env);
  else if (v instanceof ICAL.Duration) {
    const related = String(prop?.getParameter('related') ?? 'START').toUpperCase();
    const anchor = related === 'END' ? end : start;
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

/** Start and end of a parent instance as VALARM triggers see them (RFC 5545 §3.8.6.3). */
function alarmAnchors(inst: Instance, env: TimeEnv): { start?: number; end?: number } {
  const c = inst.comp;
  if (c.name === 'vevent') {
    const start = inst.startMs;
    return { start, end: eventEnd(inst, env) ?? start };
  }
  const s = inst.startMs;
  const due = msOf(c, 'due', env);
  const dur = durationOf(c);
  const end =
    due !== undefined
      ? due + inst.shiftMs
      : s !== undefined && dur && inst.start
        ? addDuration(inst.start, s, dur, env)
        : undefined;
  return { start: s ?? end, end };
}

function alarmOverlaps(alarm: IcalComponent, r: Bounds, env: TimeEnv): boolean {
  const parent = alarm.parent;
  if (!parent) return false;
  // Triggers may precede their instance: walk parent instances that much past the range end.
  const offsets = alarmTriggers(alarm, 0, 0, env);
  const lead = Math.max(0, ...offsets.map((t) => -t));
  const horizon = r.end === Number.POSITIVE_INFINITY ? r.end : r.end + lead;
  return someInstanceOf(parent, setOf(parent), env, horizon, (inst) => {
    const a = alarmAnchors(inst, env);
    // §9.9 VALARM: (start <= trigger-time) AND (end > trigger-time)
    return alarmTriggers(alarm, a.start, a.end, env).some((t) => r.start <= t && r.end > t);
  });
}

/** RFC 4791 §9.9: whether a component overlaps the range (false for components §9.9 does not cover). */
export function componentOverlaps(comp: IcalComponent, range: { start?: number; end?: number }, env: TimeEnv): boolean {
  const r = bounds(range);
  switch (comp.name) {
    case 'vevent':
    case 'vtodo':
    case 'vjournal':
      return someInstanceOf(comp, setOf(comp), env, r.end, (inst) =>
        instanceSpans(inst, env).some((s) => spanOverlaps(s, r)),
      );
    case 'vfreebusy':
      return freebusySpans(comp, env).some((s) => spanOverlaps(s, r));
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
  if (v instanceof ICAL.Time) return ms(v, env);
  if (prop) return undefined;
  if ((name === 'DTEND' && comp.name === 'vevent') || (name === 'DUE' && comp.name === 'vtodo')) {
    const start = msOf(comp, 'dtstart', env);
    const dur = durationMs(comp);
    if (start !== undefined && dur !== undefined) return start + dur;
  }
  return undefined;
}

/** RFC 4791 §9.9: a date property overlaps when start <= value < end. */
export function instantInRange(value: number, range: TimeRange): boolean {
  const r = bounds(range);
  return r.start <= value && r.end > value;
}
