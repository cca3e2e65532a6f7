// RFC 4791 §9.7.1–§9.7.5: evaluates a parsed CALDAV:filter against a calendar object. A comp-filter
// matches when some component of that name in scope matches all nested tests; a prop-filter when
// some property instance matches its test and all param-filters.
import { collationContains } from './collation.ts';
import type { CompFilter, ParamFilter, PropFilter, TextMatch } from './filter.ts';
import { ICAL, type IcalComponent, type IcalProperty } from './ical.ts';
import type { TimeEnv } from './recurrence.ts';
import { componentOverlaps, effectiveDateMs, instantInRange } from './time-range.ts';

function textMatches(m: TextMatch, values: string[]): boolean {
  const hit = values.some((v) => collationContains(m.collation, v, m.value));
  return m.negate ? !hit : hit;
}

/** Text forms of a property's values: decoded text for TEXT, the iCalendar form otherwise. */
function valueTexts(p: IcalProperty): string[] {
  let values: unknown[];
  try {
    values = p.getValues();
  } catch {
    return [];
  }
  return values.map((v) => {
    if (typeof v === 'string') return v;
    if (v instanceof ICAL.Time || v instanceof ICAL.Period) return v.toICALString();
    return String(v);
  });
}

function paramMatches(f: ParamFilter, p: IcalProperty): boolean {
  const raw = p.getParameter(f.name.toLowerCase());
  const values = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
  if (f.test?.kind === 'is-not-defined') return values.length === 0;
  if (values.length === 0) return false;
  return f.test ? textMatches(f.test, values) : true;
}

function propertyMatches(f: PropFilter, comp: IcalComponent, p: IcalProperty | undefined, env: TimeEnv): boolean {
  const test = f.test;
  if (test?.kind === 'time-range') {
    const ms = effectiveDateMs(comp, f.name, p, env);
    if (ms === undefined || !instantInRange(ms, test)) return false;
  } else if (test?.kind === 'text-match') {
    if (!p || !textMatches(test, valueTexts(p))) return false;
  }
  if (!p) return f.params.length === 0;
  return f.params.every((pf) => paramMatches(pf, p));
}

function propFilterMatches(f: PropFilter, comp: IcalComponent, env: TimeEnv): boolean {
  const props = comp.getAllProperties(f.name.toLowerCase());
  if (f.test?.kind === 'is-not-defined') return props.length === 0;
  // §9.9 note: a time-range on DTEND/DUE also applies to the effective value derived from DURATION.
  if (props.length === 0) return f.test?.kind === 'time-range' && propertyMatches(f, comp, undefined, env);
  return props.some((p) => propertyMatches(f, comp, p, env));
}

function componentMatches(f: CompFilter, comp: IcalComponent, env: TimeEnv): boolean {
  if (f.test?.kind === 'time-range' && !componentOverlaps(comp, f.test, env)) return false;
  if (!f.props.every((pf) => propFilterMatches(pf, comp, env))) return false;
  return f.comps.every((cf) => compFilterMatches(cf, comp.getAllSubcomponents(cf.name.toLowerCase()), env));
}

function compFilterMatches(f: CompFilter, candidates: IcalComponent[], env: TimeEnv): boolean {
  if (f.test?.kind === 'is-not-defined') return candidates.length === 0;
  return candidates.some((c) => componentMatches(f, c, env));
}

/** Whether a calendar object (its VCALENDAR) matches the filter; no filter matches everything. */
export function matchesFilter(filter: CompFilter | undefined, root: IcalComponent, env: TimeEnv = {}): boolean {
  if (!filter) return true;
  return compFilterMatches(filter, [root], env);
}
