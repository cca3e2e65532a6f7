// Write-time index of a calendar object (issue: "index what you need at write time"): the RFC 4791
// §9.9 match span of every instance, computed once on PUT from the same code that evaluates filters
// (time-range.ts), so a backend can answer time-range queries and free-busy without parsing stored
// objects. Floating times and DATE values depend on the zone a query reads them in (calendar-timezone
// or CALDAV:timezone): their spans are computed in UTC, widened by the largest UTC offsets and marked
// inexact, so the core re-checks those objects. Unbounded rules are indexed up to a horizon.
import type { TimeIndex, TimeSpan } from '../backend/types.ts';
import type { IcalComponent } from './ical.ts';
import { recurrenceSets, type TimeEnv, walkInstances } from './recurrence.ts';
import { instanceSpans } from './time-range.ts';

/** Instances indexed per recurrence set at most (the rest is evaluated from the body when asked). */
export const INDEX_MAX_INSTANCES = 1500;
/** Unbounded rules are indexed up to this far past the write (ms). */
export const INDEX_HORIZON_MS = 5 * 366 * 86_400_000;
/** Floating times may lie this far either side of their UTC reading (UTC−12 … UTC+14). */
export const FLOATING_SLACK_MS = 14 * 3_600_000;

const INDEXED = new Set(['vevent', 'vtodo', 'vjournal', 'vfreebusy']);

/**
 * The TimeIndex of a parsed calendar object whose top components are `componentType`, or undefined.
 * With `readIn`, floating times and DATE values are read in its zone (UTC when it has none) and the
 * spans are exact for that zone; without it they are widened to fit any zone.
 */
export function computeTimeIndex(
  root: IcalComponent,
  componentType: string,
  now = Date.now(),
  readIn?: TimeEnv,
): TimeIndex | undefined {
  const name = componentType.toLowerCase();
  if (!INDEXED.has(name)) return undefined;
  const env: TimeEnv = { floatingZone: readIn?.floatingZone };
  const spans: TimeSpan[] = [];
  let completeUntil: number | undefined;
  const horizon = now + INDEX_HORIZON_MS;
  const ordinal = new Map(
    root
      .getAllSubcomponents()
      .filter((c) => c.name !== 'vtimezone')
      .map((c, i) => [c, i]),
  );
  for (const set of recurrenceSets(root, name)) {
    const r = walkInstances(
      set,
      env,
      horizon,
      (inst) => {
        for (const s of instanceSpans(inst, env)) {
          const span: TimeSpan = { start: s.start, end: s.end };
          if (s.inclStart) span.inclStart = true;
          if (s.inclEnd) span.inclEnd = true;
          if (inst.ridMs !== undefined) span.rid = inst.ridMs;
          const k = ordinal.get(inst.comp);
          if (k !== undefined) span.comp = k;
          if (s.busy) span.busy = s.busy;
          if (s.busyOnly) span.busyOnly = true;
          spans.push(span);
        }
        return false;
      },
      INDEX_MAX_INSTANCES,
    );
    if (r.cutAt !== undefined) completeUntil = Math.min(completeUntil ?? Number.POSITIVE_INFINITY, r.cutAt);
  }
  if (env.sawFloating && !readIn) {
    for (const s of spans) {
      s.start -= FLOATING_SLACK_MS;
      s.end += FLOATING_SLACK_MS;
    }
  }
  const index: TimeIndex = { spans, exact: !env.sawFloating || readIn !== undefined };
  if (completeUntil !== undefined) index.completeUntil = completeUntil;
  return index;
}

/** Whether a span matches a time range [start, end) (absent bounds are unbounded); see TimeSpan. */
export function spanMatches(s: TimeSpan, start: number | undefined, end: number | undefined): boolean {
  if (s.busyOnly) return false;
  const beforeEnd = end === undefined || (s.inclStart ? s.start <= end : s.start < end);
  const afterStart = start === undefined || (s.inclEnd ? s.end >= start : s.end > start);
  return beforeEnd && afterStart;
}
