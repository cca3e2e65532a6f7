// A cheaper iterator for the commonest rules (RFC 5545 §3.3.10): FREQ=DAILY or FREQ=WEEKLY without any
// BYxxx part recur every INTERVAL days (weeks) at DTSTART's wall-clock time, until COUNT or UNTIL.
// ical.js's general RecurIterator finds the same instants through its BYxxx machinery (week numbers,
// contracting rules, a clone and a compare per step); this one adds days. It stands in for the rule
// inside ical.js's RecurExpansion, which still merges RDATEs and applies EXDATEs, so the expansion's
// sequence is the same (step-rule.test.ts checks it against ical.js).
import { ICAL, type IcalComponent, type IcalTime } from './ical.ts';
import type { RecurExpansion } from './rule-expansion.ts';

type Recur = InstanceType<typeof ICAL.Recur>;

/** Days between instances of a rule this iterator handles, or undefined for any other rule. */
function stepDays(rule: unknown, dtstart: IcalTime): number | undefined {
  if (!(rule instanceof ICAL.Recur)) return undefined;
  const days = rule.freq === 'DAILY' ? 1 : rule.freq === 'WEEKLY' ? 7 : 0;
  if (!days) return undefined;
  for (const _ in rule.parts ?? {}) return undefined;
  const interval = rule.interval;
  if (!Number.isSafeInteger(interval) || interval < 1 || interval > 10_000) return undefined;
  // ical.js ignores COUNT=0 (falsy); left to it, as are times it would normalise.
  if (rule.count !== null && rule.count !== undefined && !(rule.count >= 1)) return undefined;
  if (dtstart.second > 59 || dtstart.year < 1000 || dtstart.year > 9999) return undefined;
  return days * interval;
}

const day = new Date(0);

/** The iterator interface RecurExpansion uses: `last` (the pending instance), `completed`, `next()`. */
class StepIterator {
  last: IcalTime;
  completed = false;
  #occurrences = 0;
  readonly #rule: Recur;
  readonly #step: number;

  constructor(rule: Recur, dtstart: IcalTime, step: number) {
    this.#rule = rule;
    this.#step = step;
    this.last = dtstart.clone();
  }

  /** As RecurIterator#next: DTSTART first, then a step at a time; null once past COUNT or UNTIL. */
  next(): IcalTime | null {
    const { count, until } = this.#rule;
    if ((count && this.#occurrences >= count) || (until && this.last.compare(until) > 0)) this.completed = true;
    if (this.completed) return null;
    if (this.#occurrences > 0) {
      const t = this.last;
      day.setTime(0);
      day.setUTCFullYear(t.year, t.month - 1, t.day + this.#step);
      t.year = day.getUTCFullYear();
      t.month = day.getUTCMonth() + 1;
      t.day = day.getUTCDate();
      if (until && t.compare(until) > 0) {
        this.completed = true;
        return null;
      }
    }
    this.#occurrences++;
    return this.last;
  }
}

/**
 * A RecurExpansion of `master` whose one RRULE is stepped by StepIterator, or undefined when the
 * master has another kind of rule, several rules or RDATEs (then rule-expansion.ts expands it).
 */
export function stepExpansion(master: IcalComponent, dtstart: IcalTime): RecurExpansion | undefined {
  if (master.hasProperty('rdate')) return undefined;
  const rules = master.getAllProperties('rrule');
  if (rules.length !== 1) return undefined;
  const rule = rules[0].getFirstValue();
  const step = stepDays(rule, dtstart);
  if (step === undefined) return undefined;
  const stand = { iterator: (start: IcalTime) => new StepIterator(rule as Recur, start, step) };
  const property = { getValues: () => [stand], getFirstValue: () => stand };
  const view = new Proxy(master, {
    get(target, key, receiver) {
      if (key === 'getAllProperties') {
        return (name?: string) => (name === 'rrule' ? [property] : target.getAllProperties(name));
      }
      const v = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return new ICAL.RecurExpansion({ component: view, dtstart });
}
