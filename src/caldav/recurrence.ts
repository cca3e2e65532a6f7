// RFC 5545 §3.8.5 recurrence sets and RFC 4791 §7.4/§9.9 ("MUST consider every recurrence instance").
// A calendar object's components are grouped by UID into recurrence sets: a master (no RECURRENCE-ID)
// and its overrides (RECURRENCE-ID, RFC 5545 §3.8.4.4), including RANGE=THISANDFUTURE overrides that
// shift and restyle every later instance. Instances of the master come from ical.js (RRULE, RDATE,
// EXDATE); an instance whose RECURRENCE-ID an override names is replaced by that override. Every walk
// is bounded by the caller's horizon and by MAX_INSTANCE_ITERATIONS (RFC 4791 §11).
import { ICAL, type IcalComponent, type IcalTime, type IcalTimezone, isFloating, toEpochMs } from './ical.ts';
import { type RecurExpansion, recurExpansion } from './rule-expansion.ts';
import { stepExpansion } from './step-rule.ts';

/** Most instances examined for one master before giving up (callers then treat the walk as cut). */
export const MAX_INSTANCE_ITERATIONS = 50_000;

export interface TimeEnv {
  /** Zone for floating times and DATE values (calendar-timezone or CALDAV:timezone); UTC if absent. */
  floatingZone?: IcalTimezone;
  /** Set to true by the walk when a floating time or DATE value was read (the index then widens). */
  sawFloating?: boolean;
}

export function timeOf(comp: IcalComponent, prop: string): IcalTime | undefined {
  const v = comp.getFirstPropertyValue(prop);
  return v instanceof ICAL.Time ? v : undefined;
}

/** Epoch ms of a time, noting in `env` when it was floating. */
export function ms(t: IcalTime, env: TimeEnv): number {
  if (isFloating(t)) env.sawFloating = true;
  return toEpochMs(t, env.floatingZone);
}

export function msOf(comp: IcalComponent, prop: string, env: TimeEnv): number | undefined {
  const t = timeOf(comp, prop);
  return t ? ms(t, env) : undefined;
}

/** A master component: defines a recurrence set and is not itself an override. */
export function isRecurringMaster(comp: IcalComponent): boolean {
  return !comp.hasProperty('recurrence-id') && (comp.hasProperty('rrule') || comp.hasProperty('rdate'));
}

/** One instance of a recurrence set (or the single instance of a non-recurring component). */
export interface Instance {
  /** The component whose properties describe the instance: master, override or THISANDFUTURE override. */
  comp: IcalComponent;
  /** Start of the instance (epoch ms); undefined for components without DTSTART (e.g. VTODO with DUE only). */
  startMs?: number;
  /** The start as an ical.js time in the component's zone (for nominal durations); undefined as above. */
  start?: IcalTime;
  /** exact ms by which the instance's times lie after `comp`'s own DTSTART (0 for comp's own instance). */
  shiftMs: number;
  /** RECURRENCE-ID of the instance (the original start) when it belongs to a recurring set. */
  recurrenceId?: IcalTime;
  ridMs?: number;
  /** End of an RDATE given as a PERIOD (RFC 5545 §3.8.5.2: that instance's own duration). */
  periodEndMs?: number;
}

/** A recurrence set: components of one type sharing a UID. */
export interface RecurrenceSet {
  master?: IcalComponent;
  overrides: IcalComponent[];
}

/** Groups the components of `name` (e.g. 'vevent') in a VCALENDAR into recurrence sets by UID. */
export function recurrenceSets(root: IcalComponent, name: string): RecurrenceSet[] {
  const byUid = new Map<string, RecurrenceSet>();
  for (const c of root.getAllSubcomponents(name)) {
    const uid = String(c.getFirstPropertyValue('uid') ?? '');
    let set = byUid.get(uid);
    if (!set) {
      set = { overrides: [] };
      byUid.set(uid, set);
    }
    if (c.hasProperty('recurrence-id')) set.overrides.push(c);
    else if (!set.master) set.master = c;
    else set.overrides.push(c);
  }
  return [...byUid.values()];
}

/** The recurrence set a component belongs to, from its parent VCALENDAR. */
export function setOf(comp: IcalComponent): RecurrenceSet {
  const parent = comp.parent;
  const found = parent
    ? recurrenceSets(parent, comp.name).find((s) => s.master === comp || s.overrides.includes(comp))
    : undefined;
  if (found) return found;
  return comp.hasProperty('recurrence-id') ? { overrides: [comp] } : { master: comp, overrides: [] };
}

function isRangeOverride(c: IcalComponent): boolean {
  const p = c.getFirstProperty('recurrence-id');
  return String(p?.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE';
}

function ownInstance(c: IcalComponent, env: TimeEnv): Instance {
  const start = timeOf(c, 'dtstart');
  const rid = timeOf(c, 'recurrence-id');
  return {
    comp: c,
    start,
    startMs: start ? ms(start, env) : undefined,
    shiftMs: 0,
    recurrenceId: rid,
    ridMs: rid ? ms(rid, env) : undefined,
  };
}

/** Ends of RDATE periods by their start instant. */
function rdatePeriods(master: IcalComponent, env: TimeEnv): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of master.getAllProperties('rdate')) {
    for (const v of p.getValues()) {
      if (v instanceof ICAL.Period) out.set(ms(v.start, env), ms(v.getEnd(), env));
    }
  }
  return out;
}

export interface WalkResult {
  /** `visit` returned true. */
  stopped: boolean;
  /**
   * Undefined when every instance was visited; otherwise every instance starting before this instant
   * was (the horizon, or less when the iteration bound cut the walk short).
   */
  cutAt?: number;
  /** True when the iteration bound (not the horizon) ended the walk. */
  bounded?: boolean;
}

/**
 * Calls `visit` for every instance of a recurrence set whose start is at or before `untilMs` (all
 * overrides are visited whatever their time; master instances stop once past `untilMs`). `visit`
 * returning true stops the walk early. Returns whether the walk ended without hitting the bound.
 */
export function walkInstances(
  set: RecurrenceSet,
  env: TimeEnv,
  untilMs: number,
  visit: (inst: Instance) => boolean | undefined,
  maxIterations = MAX_INSTANCE_ITERATIONS,
): WalkResult {
  const overriddenRids = new Set<number>();
  const ranges: { ridMs: number; startMs: number; comp: IcalComponent }[] = [];
  for (const o of set.overrides) {
    const inst = ownInstance(o, env);
    if (inst.ridMs !== undefined) {
      overriddenRids.add(inst.ridMs);
      if (isRangeOverride(o) && inst.startMs !== undefined) {
        ranges.push({ ridMs: inst.ridMs, startMs: inst.startMs, comp: o });
      }
    }
    if (visit(inst)) return { stopped: true };
  }
  const master = set.master;
  if (!master) return { stopped: false };
  const dtstart = timeOf(master, 'dtstart');
  if (!dtstart || !isRecurringMaster(master)) return { stopped: !!visit(ownInstance(master, env)) };
  ranges.sort((a, b) => a.ridMs - b.ridMs);
  // A THISANDFUTURE override may move later instances earlier: walk that much further.
  const earliestShift = Math.min(0, ...ranges.map((r) => r.startMs - r.ridMs));
  const base = ms(dtstart, env);
  const periods = master.hasProperty('rdate') ? rdatePeriods(master, env) : undefined;
  let expansion: RecurExpansion;
  try {
    expansion = stepExpansion(master, dtstart) ?? recurExpansion(master, dtstart);
  } catch {
    return { stopped: !!visit(ownInstance(master, env)) };
  }
  let lastStartMs = base;
  const emit = (next: IcalTime, occMs: number): boolean => {
    lastStartMs = occMs;
    if (overriddenRids.has(occMs)) return false;
    let range: (typeof ranges)[number] | undefined;
    for (const r of ranges) if (r.ridMs <= occMs) range = r;
    let inst: Instance;
    if (range) {
      const startMs = occMs + (range.startMs - range.ridMs);
      inst = {
        comp: range.comp,
        startMs,
        start: shiftedTime(next, range.startMs - range.ridMs),
        shiftMs: startMs - range.startMs,
        recurrenceId: next,
        ridMs: occMs,
      };
    } else {
      inst = {
        comp: master,
        start: next,
        startMs: occMs,
        shiftMs: occMs - base,
        recurrenceId: next,
        ridMs: occMs,
        periodEndMs: periods?.get(occMs),
      };
    }
    return !!visit(inst);
  };
  // RFC 5545 §3.8.5: DTSTART is the first instance of the set (and counts toward COUNT, §3.3.10);
  // ical.js leaves it out when it does not match the rule, or when only RDATEs follow.
  const guard = dayGuard(master, dtstart);
  const count = singleCount(master);
  let pendingStart = !excluded(master, base, env);
  let ruleOccurrences = 0;
  for (let i = 0; i < maxIterations; i++) {
    let next: IcalTime | undefined;
    try {
      next = expansion.next() ?? undefined;
    } catch {
      return { stopped: false, cutAt: lastStartMs + earliestShift, bounded: true };
    }
    if (next && guard && !guard(next)) continue;
    const occMs = next ? ms(next, env) : Number.POSITIVE_INFINITY;
    if (pendingStart) {
      pendingStart = false;
      if (occMs !== base) {
        if (base + earliestShift > untilMs) return { stopped: false, cutAt: untilMs };
        if (emit(dtstart, base)) return { stopped: true };
        ruleOccurrences++;
      }
    }
    if (!next) return { stopped: false };
    if (count !== undefined && ruleOccurrences >= count) return { stopped: false };
    ruleOccurrences++;
    if (occMs + earliestShift > untilMs) return { stopped: false, cutAt: untilMs };
    if (emit(next, occMs)) return { stopped: true };
  }
  return { stopped: false, cutAt: lastStartMs + earliestShift, bounded: true };
}

/** EXDATE instants of a master (DATE values match the DTSTART date). */
function excluded(master: IcalComponent, at: number, env: TimeEnv): boolean {
  for (const p of master.getAllProperties('exdate')) {
    for (const v of p.getValues()) if (v instanceof ICAL.Time && ms(v, env) === at) return true;
  }
  return false;
}

/** COUNT of the master's only RRULE when it has no RDATE (then DTSTART counts toward it). */
function singleCount(master: IcalComponent): number | undefined {
  if (master.hasProperty('rdate')) return undefined;
  const rules = master.getAllProperties('rrule');
  if (rules.length !== 1) return undefined;
  const r = rules[0].getFirstValue();
  return r instanceof ICAL.Recur && typeof r.count === 'number' ? r.count : undefined;
}

/**
 * RFC 5545 §3.3.10: a YEARLY or MONTHLY rule without BYxxx day parts recurs on DTSTART's day, and
 * dates that do not exist (29 February, 31 April) are skipped. ical.js moves them to the next day;
 * this filter drops those.
 */
function dayGuard(master: IcalComponent, dtstart: IcalTime): ((t: IcalTime) => boolean) | undefined {
  const rules = master.getAllProperties('rrule');
  if (rules.length !== 1 || master.hasProperty('rdate')) return undefined;
  const r = rules[0].getFirstValue();
  if (!(r instanceof ICAL.Recur)) return undefined;
  const parts = r.parts as Record<string, unknown>;
  const dayParts = ['BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYSETPOS'].some((k) => parts[k] !== undefined);
  if (dayParts) return undefined;
  if (r.freq === 'YEARLY' && parts.BYMONTH === undefined) {
    return (t) => t.day === dtstart.day && t.month === dtstart.month;
  }
  if (r.freq === 'YEARLY' || r.freq === 'MONTHLY') return (t) => t.day === dtstart.day;
  return undefined;
}

function shiftedTime(t: IcalTime, deltaMs: number): IcalTime {
  if (deltaMs === 0) return t;
  const c = t.clone();
  c.addDuration(ICAL.Duration.fromSeconds(Math.round(deltaMs / 1000)));
  return c;
}

/** Adds a duration to an instance start: weeks and days nominally (wall clock), the rest exactly. */
export function addDuration(
  start: IcalTime,
  startMs: number,
  d: InstanceType<typeof ICAL.Duration>,
  env: TimeEnv,
): number {
  const sign = d.isNegative ? -1 : 1;
  const days = sign * (d.weeks * 7 + d.days);
  const exact = sign * (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
  if (days === 0) return startMs + exact;
  const t = start.clone();
  t.adjust(days, 0, 0, 0);
  return ms(t, env) + exact;
}
