// RFC 4791 §5.2.6–§5.2.9 and §5.3.2.1: the limits a calendar collection advertises (min-date-time,
// max-date-time, max-instances, max-attendees-per-instance) and their enforcement on PUT/COPY/MOVE.
import { DavError } from '../dav/dav-error.ts';
import { caldav } from '../dav/xml/names.ts';
import { ICAL, type IcalComponent, parseUtcDateTime, toEpochMs } from './ical.ts';
import { isRecurringMaster } from './recurrence.ts';
import { recurExpansion } from './rule-expansion.ts';

/** Earliest explicit DATE/DATE-TIME accepted (the value RFC 4791 §5.2.6 uses as its example). */
export const MIN_DATE_TIME = '19000101T000000Z';
/** Latest explicit DATE/DATE-TIME accepted. */
export const MAX_DATE_TIME = '21001231T235959Z';
/**
 * Most instances a recurrence set may generate. Only finite sets (COUNT, UNTIL, RDATE) are counted:
 * instances of an open-ended rule beyond max-date-time may be ignored (§5.2.7), and reports walk
 * recurrences lazily with their own bound (recurrence.ts).
 */
export const MAX_INSTANCES = 20_000;
/** Most ATTENDEE properties on one instance (one component). */
export const MAX_ATTENDEES_PER_INSTANCE = 1_000;

const MIN_MS = parseUtcDateTime(MIN_DATE_TIME) as number;
const MAX_MS = parseUtcDateTime(MAX_DATE_TIME) as number;

function checkDates(comp: IcalComponent): void {
  for (const p of comp.getAllProperties()) {
    if (p.type !== 'date' && p.type !== 'date-time') continue;
    for (const v of p.getValues()) {
      if (!(v instanceof ICAL.Time)) continue;
      const ms = toEpochMs(v);
      if (ms < MIN_MS)
        throw new DavError(403, caldav('min-date-time'), `${p.name.toUpperCase()} is before ${MIN_DATE_TIME}`);
      if (ms > MAX_MS)
        throw new DavError(403, caldav('max-date-time'), `${p.name.toUpperCase()} is after ${MAX_DATE_TIME}`);
    }
  }
  for (const c of comp.getAllSubcomponents()) checkDates(c);
}

const DAY_MS = 86_400_000;
/** Periods of the sub-daily frequencies; every other frequency yields at most one start time slot per day. */
const UNIT_MS: Record<string, number> = { SECONDLY: 1000, MINUTELY: 60_000, HOURLY: 3_600_000 };

/**
 * An upper bound of the instances of an UNTIL-bounded rule without expanding it: instances start at
 * distinct times between DTSTART and UNTIL, at most one per time slot of the rule's finest granularity
 * (a day, or the sub-daily FREQ), times the BYHOUR/BYMINUTE/BYSECOND values that pick several slots in
 * it. Two days of slack cover floating times and DST days of 25 hours. Undefined without UNTIL.
 */
function untilBound(
  rule: InstanceType<typeof ICAL.Recur>,
  dtstart: InstanceType<typeof ICAL.Time>,
): number | undefined {
  if (!(rule.until instanceof ICAL.Time)) return undefined;
  const span = Math.max(0, toEpochMs(rule.until) - toEpochMs(dtstart)) + 2 * DAY_MS;
  if (!Number.isFinite(span)) return undefined;
  const unit = UNIT_MS[rule.freq] ?? DAY_MS;
  const parts = (rule.parts ?? {}) as Record<string, unknown[] | undefined>;
  const many = (k: string) => Math.max(1, parts[k]?.length ?? 0);
  let perUnit = many('BYSECOND');
  if (unit >= 3_600_000) perUnit *= many('BYMINUTE');
  if (unit >= DAY_MS) perUnit *= many('BYHOUR');
  return (Math.floor(span / unit) + 1) * perUnit;
}

function countInstances(master: IcalComponent): number {
  const rules = master.getAllProperties('rrule').map((p) => p.getFirstValue());
  if (rules.some((r) => r instanceof ICAL.Recur && r.count === null && r.until === null)) return 0;
  const dtstart = master.getFirstPropertyValue('dtstart');
  if (!(dtstart instanceof ICAL.Time)) return 0;
  // COUNT or UNTIL bounds the set without expanding it: RDATEs add at most their number, EXDATEs remove at
  // most theirs. A bound within the limit settles it (PUT-time cost: no walk over a long daily rule).
  const rdates = () => master.getAllProperties('rdate').reduce((n, p) => n + p.getValues().length, 0);
  const bounds = rules.map((r) => (r instanceof ICAL.Recur ? (r.count ?? untilBound(r, dtstart)) : undefined));
  if (bounds.every((b) => b !== undefined)) {
    const upper = bounds.reduce((n: number, b) => n + (b ?? 0), 0) + rdates() + 1;
    if (upper <= MAX_INSTANCES) return upper;
  }
  const counts = rules.map((r) => (r instanceof ICAL.Recur ? r.count : null));
  if (counts.length && counts.every((c) => c !== null)) {
    const values = (name: string) => master.getAllProperties(name).reduce((n, p) => n + p.getValues().length, 0);
    const upper = counts.reduce((n: number, c) => n + (c ?? 0), 0) + values('rdate') + 1;
    const lower = Math.max(...counts.map((c) => c ?? 0)) - values('exdate');
    if (upper <= MAX_INSTANCES) return upper;
    if (lower > MAX_INSTANCES) return lower;
  }
  let n = 0;
  try {
    const expansion = recurExpansion(master, dtstart);
    while (n <= MAX_INSTANCES && expansion.next()) n++;
  } catch {
    // ical.js rejects some rules it cannot expand; those are not counted.
  }
  return n;
}

/**
 * Enforces the advertised limits on a parsed calendar object (VTIMEZONE definitions are exempt from
 * the date limits: their onsets legitimately start in 1601 or 1970). Throws DavError(403).
 */
export function checkObjectLimits(root: IcalComponent): void {
  for (const comp of root.getAllSubcomponents()) {
    if (comp.name === 'vtimezone') continue;
    checkDates(comp);
    if (comp.getAllProperties('attendee').length > MAX_ATTENDEES_PER_INSTANCE) {
      throw new DavError(
        403,
        caldav('max-attendees-per-instance'),
        `more than ${MAX_ATTENDEES_PER_INSTANCE} attendees`,
      );
    }
    if (isRecurringMaster(comp) && countInstances(comp) > MAX_INSTANCES) {
      throw new DavError(403, caldav('max-instances'), `recurrence generates more than ${MAX_INSTANCES} instances`);
    }
  }
}
