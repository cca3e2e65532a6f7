// RFC 5545 §3.3.10 BYWEEKNO. ical.js 2.2 expands FREQ=YEARLY;BYWEEKNO=… wrongly (weekly dates after
// DTSTART, whatever the week numbers). This module does not replace its engine: the rule is rewritten
// into a superset ical.js expands correctly — FREQ=DAILY with the same weekdays, months, month days,
// year days and times — and that iterator's dates are kept when they lie in one of the listed weeks:
//
//   "Week number one of the calendar year is the first week that contains at least four (4) days in
//    that calendar year. [...] Valid values are 1 to 53 or -53 to -1." (§3.3.10, BYWEEKNO), with weeks
//   starting on WKST ("WKST is significant when [...] a BYWEEKNO rule part is specified").
//
// A week with at least four days of the year always holds 4 January, whatever WKST, so week 1 starts
// on the last WKST day on or before 4 January. A date is in week n of its week-year, or in week
// n − weeks − 1 counted from the end. The YEARLY period (INTERVAL, BYSETPOS) is the calendar year, as
// in libical and dateutil. INTERVAL, COUNT, UNTIL and BYSETPOS are applied here, after the filter.
import { ICAL, type IcalTime } from './ical.ts';

type Recur = InstanceType<typeof ICAL.Recur>;

/** What RecurExpansion uses of a RecurIterator. */
export interface RuleIterator {
  last: IcalTime;
  completed: boolean;
  next(): IcalTime | null;
}

/** The rule, when it is one ical.js cannot expand: FREQ=YEARLY with BYWEEKNO. */
export function needsWeekNoExpansion(rule: unknown): rule is Recur {
  return rule instanceof ICAL.Recur && rule.freq === 'YEARLY' && Array.isArray(rule.parts.BYWEEKNO);
}

const DAY_MS = 86_400_000;
/** Stop looking after this many calendar years without an instance (e.g. BYMONTH=1;BYWEEKNO=30). */
const MAX_EMPTY_YEARS = 60;

function dayNumber(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** First day (day number) of week 1 of year `y` for weeks starting on `wkst` (0 = Sunday … 6). */
function week1Start(y: number, wkst: number): number {
  const jan4 = dayNumber(y, 1, 4);
  const dow = (jan4 + 4) % 7; // day 0 (1970-01-01) was a Thursday
  return jan4 - ((dow - wkst + 7) % 7);
}

/** Week number of a date in its week-year, both from the start (1…53) and from the end (−1…−53). */
export function weekNumbers(y: number, m: number, d: number, wkst: number): [number, number] {
  const day = dayNumber(y, m, d);
  let wy = y;
  if (day < week1Start(y, wkst)) wy = y - 1;
  else if (day >= week1Start(y + 1, wkst)) wy = y + 1;
  const start = week1Start(wy, wkst);
  const weeks = (week1Start(wy + 1, wkst) - start) / 7;
  const n = Math.floor((day - start) / 7) + 1;
  return [n, n - weeks - 1];
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The FREQ=DAILY superset of a YEARLY BYWEEKNO rule (no COUNT, UNTIL, INTERVAL, BYSETPOS). */
function dailySuperset(rule: Recur, dtstart: IcalTime): Recur {
  const parts: Record<string, unknown> = {};
  const given = rule.parts as Record<string, unknown[] | undefined>;
  for (const k of ['BYMONTH', 'BYMONTHDAY', 'BYYEARDAY', 'BYHOUR', 'BYMINUTE', 'BYSECOND']) {
    const v = given[k];
    if (Array.isArray(v)) parts[k.toLowerCase()] = v.slice();
  }
  const byday = rule.parts.BYDAY;
  if (byday) {
    // "The numeric value in a BYDAY rule part MUST NOT be specified when used in conjunction with the
    // FREQ=YEARLY rule and BYWEEKNO rule part": any ordinal is dropped.
    parts.byday = [...new Set(byday.map((s) => s.replace(/^[+-]?\d+/, '')))];
  } else if (!parts.bymonthday && !parts.byyearday) {
    // Information not in the rule comes from DTSTART (§3.3.10): the weekday of each listed week.
    parts.byday = [WEEKDAYS[dtstart.dayOfWeek() - 1]];
  }
  return new ICAL.Recur({ freq: 'DAILY', interval: 1, wkst: rule.wkst, ...parts });
}

/** Iterator over a YEARLY BYWEEKNO rule's instances, in the shape RecurExpansion expects. */
export function weekNoIterator(rule: Recur, dtstart: IcalTime): RuleIterator {
  const inner = dailySuperset(rule, dtstart).iterator(dtstart);
  const weeks = new Set((rule.parts.BYWEEKNO as (string | number)[]).map(Number));
  const setpos = (rule.parts.BYSETPOS as (string | number)[] | undefined)?.map(Number);
  const wkst = (rule.wkst ?? ICAL.Time.MONDAY) - 1;
  const interval = rule.interval || 1;
  const count = typeof rule.count === 'number' ? rule.count : undefined;
  const until = rule.until ?? undefined;
  let emitted = 0;
  let lastYearWithInstance = dtstart.year;
  let pending: IcalTime[] = [];
  /** A filtered date read ahead while collecting a year for BYSETPOS (null: none left). */
  let ahead: IcalTime | null | undefined;

  /** Dates of the rule in order, before BYSETPOS, COUNT and UNTIL. */
  const candidate = (): IcalTime | null => {
    if (ahead !== undefined) {
      const a = ahead;
      ahead = undefined;
      return a;
    }
    for (;;) {
      const t = inner.next();
      if (!t) return null;
      if (t.year - lastYearWithInstance > MAX_EMPTY_YEARS) return null;
      if ((t.year - dtstart.year) % interval !== 0) continue;
      const [n, fromEnd] = weekNumbers(t.year, t.month, t.day, wkst);
      if (weeks.has(n) || weeks.has(fromEnd)) {
        lastYearWithInstance = t.year;
        return t.clone();
      }
    }
  };
  /** BYSETPOS: the listed positions within each calendar year's dates (§3.3.10). */
  const positioned = (): IcalTime | null => {
    while (pending.length === 0) {
      const first = candidate();
      if (!first) return null;
      const year = [first];
      for (;;) {
        const t = candidate();
        if (t && t.year === first.year) year.push(t);
        else {
          ahead = t;
          break;
        }
      }
      const picked = new Set<number>();
      for (const p of setpos ?? []) {
        const i = p > 0 ? p - 1 : year.length + p;
        if (i >= 0 && i < year.length) picked.add(i);
      }
      pending = [...picked].sort((a, b) => a - b).map((i) => year[i]);
    }
    return pending.shift() ?? null;
  };

  const it: RuleIterator = {
    last: dtstart.clone(),
    completed: false,
    next() {
      if (it.completed) return null;
      const t = setpos ? positioned() : candidate();
      if (!t || (count !== undefined && emitted >= count) || (until && t.compare(until) > 0)) {
        it.completed = true;
        return null;
      }
      emitted++;
      it.last = t;
      return t;
    },
  };
  return it;
}
