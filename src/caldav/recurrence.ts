// RFC 4791 §7.4/§9.9: time-range tests "MUST consider every recurrence instance". Walks the instances
// of a component with ical.js, in start order, skipping instances overridden by a sibling component
// with the same UID and RECURRENCE-ID (RFC 5545 §3.8.4.4), and stops past the range end. The walk is
// bounded (RFC 4791 §11): when the bound is hit the component is treated as matching.
import { ICAL, type IcalComponent, type IcalTime, type IcalTimezone, toEpochMs } from './ical.ts';

/** Most instances examined for one component before giving up (and matching). */
export const MAX_INSTANCE_ITERATIONS = 50_000;

export interface TimeEnv {
  /** Zone for floating times and DATE values (calendar-timezone or CALDAV:timezone); UTC if absent. */
  floatingZone?: IcalTimezone;
}

export function timeOf(comp: IcalComponent, prop: string): IcalTime | undefined {
  const v = comp.getFirstPropertyValue(prop);
  return v instanceof ICAL.Time ? v : undefined;
}

export function msOf(comp: IcalComponent, prop: string, env: TimeEnv): number | undefined {
  const t = timeOf(comp, prop);
  return t ? toEpochMs(t, env.floatingZone) : undefined;
}

/** A master component: defines a recurrence set and is not itself an override. */
export function isRecurringMaster(comp: IcalComponent): boolean {
  return !comp.hasProperty('recurrence-id') && (comp.hasProperty('rrule') || comp.hasProperty('rdate'));
}

/** Instants (epoch ms) of instances replaced by overriding siblings of a master. */
function overriddenInstants(master: IcalComponent, env: TimeEnv): Set<number> {
  const out = new Set<number>();
  const parent = master.parent;
  if (!parent) return out;
  const uid = master.getFirstPropertyValue('uid');
  for (const sib of parent.getAllSubcomponents(master.name)) {
    if (sib === master || sib.getFirstPropertyValue('uid') !== uid) continue;
    const rid = msOf(sib, 'recurrence-id', env);
    if (rid !== undefined) out.add(rid);
  }
  return out;
}

/**
 * Calls `test(shiftMs)` for each instance of `comp` — shiftMs is how far the instance starts after
 * DTSTART — until it returns true or instances start after `untilMs`. Non-recurring components have
 * one instance (shift 0). Returns whether some instance passed.
 */
export function someInstance(
  comp: IcalComponent,
  env: TimeEnv,
  untilMs: number | undefined,
  test: (shiftMs: number) => boolean,
): boolean {
  const dtstart = timeOf(comp, 'dtstart');
  if (!dtstart || !isRecurringMaster(comp)) return test(0);
  const base = toEpochMs(dtstart, env.floatingZone);
  const skip = overriddenInstants(comp, env);
  let expansion: InstanceType<typeof ICAL.RecurExpansion>;
  try {
    expansion = new ICAL.RecurExpansion({ component: comp, dtstart });
  } catch {
    return test(0);
  }
  for (let i = 0; i < MAX_INSTANCE_ITERATIONS; i++) {
    let next: IcalTime | undefined;
    try {
      next = expansion.next() ?? undefined;
    } catch {
      return true;
    }
    if (!next) return false;
    const start = toEpochMs(next, env.floatingZone);
    if (untilMs !== undefined && start > untilMs) return false;
    if (skip.has(start)) continue;
    if (test(start - base)) return true;
  }
  return true;
}
