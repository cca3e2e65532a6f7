// The ical.js RecurExpansion of a master component (RFC 5545 §3.8.5: RRULE, RDATE, EXDATE), with the
// two inputs ical.js 2.2 mishandles adjusted before it sees them: RDATE periods (sorted with
// Time.compare and returned as periods) are reduced to their starts, and FREQ=YEARLY rules with
// BYWEEKNO (expanded weekly after DTSTART) are expanded by `byweekno.ts` instead.
import { needsWeekNoExpansion, weekNoIterator } from './byweekno.ts';
import { ICAL, type IcalComponent, type IcalTime } from './ical.ts';

export type RecurExpansion = InstanceType<typeof ICAL.RecurExpansion>;

/** Throws when ical.js rejects the component's rules. */
export function recurExpansion(master: IcalComponent, dtstart: IcalTime): RecurExpansion {
  return new ICAL.RecurExpansion({ component: expansionView(master), dtstart });
}

/** The members of a property RecurExpansion reads (a rule stand-in only needs `iterator`). */
type PropertyView = { getValues(): unknown[]; getFirstValue(): unknown };

/** A view of the master whose RDATE and RRULE properties are replaced where needed (no copy). */
function expansionView(master: IcalComponent): IcalComponent {
  const rdates = master.getAllProperties('rdate');
  const rrules = master.getAllProperties('rrule');
  const periods = rdates.some((p) => p.getValues().some((v) => v instanceof ICAL.Period));
  const weekNo = rrules.some((p) => needsWeekNoExpansion(p.getFirstValue()));
  if (!periods && !weekNo) return master;
  const replaced: Record<string, PropertyView[]> = {};
  if (periods) {
    replaced.rdate = rdates.map((p) => {
      const values = () => p.getValues().map((v) => (v instanceof ICAL.Period ? v.start : v));
      return { getValues: values, getFirstValue: () => values()[0] };
    });
  }
  if (weekNo) {
    replaced.rrule = rrules.map((p) => {
      const rule = p.getFirstValue();
      if (!needsWeekNoExpansion(rule)) return p;
      const view = { iterator: (start: IcalTime) => weekNoIterator(rule, start) };
      return { getValues: () => [view], getFirstValue: () => view };
    });
  }
  return new Proxy(master, {
    get(target, key, receiver) {
      if (key === 'getAllProperties') {
        return (name?: string) => (name && replaced[name]) || target.getAllProperties(name);
      }
      const v = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
