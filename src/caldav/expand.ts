// RFC 4791 §9.6.5 CALDAV:expand: the recurrence set becomes one component per instance overlapping
// the range (§9.9 rules), each with a RECURRENCE-ID, overrides applied (their own properties and
// times; RANGE=THISANDFUTURE restyles and shifts later instances), date-times in UTC and no VTIMEZONE.
// DATE values (all-day instances) stay DATEs. Non-recurring components are returned when they overlap.
//
// Two paths give the same answer: the general one walks instances with ical.js; the fast one uses the
// instance spans the backend returned from the write-time index (time-index.ts) and rewrites content
// lines (expand-fast.ts), so a one-month expand of a large calendar does not re-run RRULE iteration
// for every object.
import type { TimeSpan } from '../backend/types.ts';
import { expandWithSpans } from './expand-fast.ts';
import { ICAL, type IcalComponent, type IcalTime, parseVcalendar } from './ical.ts';
import { type Instance, ms, recurrenceSets, type TimeEnv, timeOf, walkInstances } from './recurrence.ts';
import { bounds, eventEnd, instanceSpans, spanOverlaps } from './time-range.ts';

export interface ExpandRange {
  start: number;
  end: number;
}

const RECURRENCE_PROPS = ['rrule', 'rdate', 'exdate', 'exrule', 'recurrence-id'];

function utcTime(msValue: number): IcalTime {
  return ICAL.Time.fromJSDate(new Date(msValue), true);
}

function dateOnly(t: IcalTime): IcalTime {
  return ICAL.Time.fromData({ year: t.year, month: t.month, day: t.day, isDate: true });
}

function setTime(c: IcalComponent, name: string, value: IcalTime): void {
  c.removeAllProperties(name);
  c.addPropertyWithValue(name, value);
}

/** Date-time properties still carrying a zone or floating become UTC (§9.6.5). */
function datesToUtc(c: IcalComponent, env: TimeEnv): void {
  for (const p of c.getAllProperties()) {
    if (p.type !== 'date-time') continue;
    const values = p.getValues();
    if (!values.every((v) => v instanceof ICAL.Time)) continue;
    const times = values as IcalTime[];
    if (times.every((t) => t.zone === ICAL.Timezone.utcTimezone && !p.getParameter('tzid'))) continue;
    const utc = times.map((t) => utcTime(ms(t, env)));
    p.removeParameter('tzid');
    p.setValues(utc);
  }
  for (const sub of c.getAllSubcomponents()) datesToUtc(sub, env);
}

/** One expanded component for an instance. */
function instanceComponent(inst: Instance, env: TimeEnv): IcalComponent {
  const src = inst.comp;
  const c = new ICAL.Component(structuredClone(src.toJSON()) as unknown[]);
  for (const p of RECURRENCE_PROPS) c.removeAllProperties(p);
  const start = inst.start;
  if (start && inst.startMs !== undefined) {
    const dtstart = timeOf(src, 'dtstart');
    if (start.isDate) {
      setTime(c, 'dtstart', dateOnly(start));
      const dtend = timeOf(src, 'dtend');
      if (dtend && dtstart) {
        const days = Math.round(
          (Date.UTC(dtend.year, dtend.month - 1, dtend.day) - Date.UTC(dtstart.year, dtstart.month - 1, dtstart.day)) /
            86_400_000,
        );
        const end = dateOnly(start);
        end.adjust(days, 0, 0, 0);
        setTime(c, 'dtend', end);
      }
    } else {
      setTime(c, 'dtstart', utcTime(inst.startMs));
      const dur = src.getFirstPropertyValue('duration');
      if (dur instanceof ICAL.Duration && (dur.days !== 0 || dur.weeks !== 0) && src.name === 'vevent') {
        // Days and weeks are nominal in the instance's zone: in UTC they become an explicit end.
        const end = eventEnd(inst, env);
        if (end !== undefined) {
          c.removeAllProperties('duration');
          setTime(c, 'dtend', utcTime(end));
        }
      }
      if (src.hasProperty('dtend')) {
        const end = src.name === 'vevent' ? eventEnd(inst, env) : undefined;
        const dtend = timeOf(src, 'dtend');
        const endMs = end ?? (dtend ? ms(dtend, env) + inst.shiftMs : undefined);
        if (endMs !== undefined) setTime(c, 'dtend', utcTime(endMs));
      }
    }
  }
  const due = timeOf(src, 'due');
  if (due && !due.isDate) setTime(c, 'due', utcTime(ms(due, env) + inst.shiftMs));
  if (inst.recurrenceId && inst.ridMs !== undefined) {
    setTime(c, 'recurrence-id', inst.recurrenceId.isDate ? dateOnly(inst.recurrenceId) : utcTime(inst.ridMs));
  }
  datesToUtc(c, env);
  return c;
}

/** The general path: walks every recurrence set with ical.js. */
export function expandComponent(root: IcalComponent, range: ExpandRange, env: TimeEnv): IcalComponent {
  const out = new ICAL.Component('vcalendar');
  for (const p of root.getAllProperties()) out.addProperty(ICAL.Property.fromString(p.toICALString()));
  const r = bounds(range);
  for (const name of ['vevent', 'vtodo', 'vjournal']) {
    for (const set of recurrenceSets(root, name)) {
      const found: { start: number; comp: IcalComponent }[] = [];
      walkInstances(set, env, r.end, (inst) => {
        if (instanceSpans(inst, env).some((s) => spanOverlaps(s, r))) {
          found.push({ start: inst.startMs ?? 0, comp: instanceComponent(inst, env) });
        }
        return false;
      });
      found.sort((a, b) => a.start - b.start);
      for (const f of found) out.addSubcomponent(f.comp);
    }
  }
  for (const fb of root.getAllSubcomponents('vfreebusy')) {
    if (instanceSpans({ comp: fb, shiftMs: 0 }, env).some((s) => spanOverlaps(s, r))) {
      const c = new ICAL.Component(structuredClone(fb.toJSON()) as unknown[]);
      datesToUtc(c, env);
      out.addSubcomponent(c);
    }
  }
  return out;
}

/** §9.6.5 for stored text: the fast path when spans are given and suffice, else the general one. */
export function expandText(
  text: string,
  range: ExpandRange,
  env: TimeEnv,
  spans?: TimeSpan[],
  parsed?: IcalComponent,
): string {
  if (spans) {
    const fast = expandWithSpans(text, spans);
    if (fast !== undefined) return fast;
  }
  const root = parsed ?? parseVcalendar(text);
  if (!root) return text;
  const out = expandComponent(root, range, env).toString();
  return out.endsWith('\r\n') ? out : `${out}\r\n`;
}
