// RFC 4791 §9.6.5 CALDAV:expand: the recurrence set becomes one component per instance overlapping
// the range (§9.9 rules), each with a RECURRENCE-ID, overrides applied (their own properties and
// times; RANGE=THISANDFUTURE restyles and shifts later instances), date-times in UTC and no VTIMEZONE.
// DATE values (all-day instances) stay DATEs. Non-recurring components are returned when they overlap.
//
// Two paths give the same answer: the general one walks instances with ical.js; the fast one uses the
// instance spans the backend returned from the write-time index (time-index.ts) and rewrites content
// lines, so a one-month expand of a large calendar does not re-run RRULE iteration for every object.
import type { TimeSpan } from '../backend/types.ts';
import { formatUtcDateTime, ICAL, type IcalComponent, type IcalTime, parseVcalendar } from './ical.ts';
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

// --- Fast path over content lines ------------------------------------------------------------------

interface Block {
  name: string;
  /** Top-level property lines (folded continuation lines kept attached). */
  props: string[];
  /** Nested components, verbatim. */
  nested: string[];
}

/** Logical content lines: each entry is one property with its folded continuation lines attached. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\r\n')) {
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && out.length) out[out.length - 1] += `\r\n${line}`;
    else if (line !== '') out.push(line);
  }
  return out;
}

/** The property name of a content line, upper-cased (up to the first ';' or ':'). */
function propName(line: string): string {
  let i = 0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 58 || c === 59) break; // ':' ';'
  }
  return line.slice(0, i).toUpperCase();
}

/** Whether a content line carries a TZID parameter (before its value). */
function hasTzid(line: string): boolean {
  const semi = line.indexOf(';');
  if (semi < 0) return false;
  const colon = line.indexOf(':');
  if (colon >= 0 && colon < semi) return false;
  return line
    .slice(semi, colon < 0 ? undefined : colon)
    .toUpperCase()
    .includes(';TZID=');
}

/** Drops VTIMEZONE blocks from iCalendar text (expanded output carries none, §9.6.5). */
function withoutTimezones(text: string): string {
  let out = text;
  for (;;) {
    const b = out.indexOf('BEGIN:VTIMEZONE');
    if (b < 0) return out;
    const e = out.indexOf('END:VTIMEZONE', b);
    if (e < 0) return out;
    const next = out.indexOf('\n', e);
    out = out.slice(0, b) + (next < 0 ? '' : out.slice(next + 1));
  }
}

function parseBlocks(text: string): { calProps: string[]; blocks: Block[] } | undefined {
  const lines = logicalLines(withoutTimezones(text));
  if (lines[0]?.toUpperCase() !== 'BEGIN:VCALENDAR') return undefined;
  const calProps: string[] = [];
  const blocks: Block[] = [];
  let depth = 0;
  let cur: Block | undefined;
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    const name = propName(line);
    if (name === 'BEGIN') {
      depth++;
      if (depth === 1) {
        cur = { name: line.slice(6).toUpperCase(), props: [], nested: [] };
        blocks.push(cur);
      } else cur?.nested.push(line);
      continue;
    }
    if (name === 'END') {
      if (depth === 0) break;
      if (depth > 1) cur?.nested.push(line);
      depth--;
      if (depth === 0) cur = undefined;
      continue;
    }
    if (depth === 0) calProps.push(line);
    else if (depth === 1) cur?.props.push(line);
    else cur?.nested.push(line);
  }
  return { calProps, blocks };
}

const REPLACED = new Set(['DTSTART', 'DTEND', 'RRULE', 'RDATE', 'EXDATE', 'EXRULE', 'RECURRENCE-ID']);

/**
 * Expands with the index spans of the instances overlapping `range` (exact, non-floating VEVENT
 * objects). Returns undefined when the object needs the general path (another component type, a
 * zoned or floating date-time the spans do not cover, a span without its component).
 */
export function expandWithSpans(text: string, spans: TimeSpan[]): string | undefined {
  const parsed = parseBlocks(text);
  if (!parsed) return undefined;
  const { calProps, blocks } = parsed;
  // What each component contributes to every one of its instances, worked out once per component.
  const parts: { head: string; tail: string; hadDtend: boolean }[] = [];
  for (const b of blocks) {
    if (b.name !== 'VEVENT') return undefined;
    for (const l of b.nested) if (hasTzid(l)) return undefined;
    const kept: string[] = ['BEGIN:VEVENT'];
    let nominal = false;
    let dtend = false;
    for (const l of b.props) {
      const n = propName(l);
      if (REPLACED.has(n)) {
        if (n === 'DTEND') dtend = true;
        continue;
      }
      if (hasTzid(l)) return undefined;
      // A DURATION in days or weeks is nominal in the event's zone: in UTC it becomes an explicit end.
      if (n === 'DURATION' && /[DW]/.test(l.slice(l.indexOf(':') + 1))) nominal = true;
      else kept.push(l);
    }
    parts.push({ head: kept.join('\r\n'), tail: [...b.nested, 'END:VEVENT'].join('\r\n'), hadDtend: nominal || dtend });
  }
  let out = ['BEGIN:VCALENDAR', ...calProps].join('\r\n');
  const sorted = spans.length > 1 ? [...spans].sort((a, b) => a.start - b.start) : spans;
  for (const s of sorted) {
    const b = s.comp === undefined ? undefined : parts[s.comp];
    if (!b || !Number.isFinite(s.start) || !Number.isFinite(s.end)) return undefined;
    out += `\r\n${b.head}\r\nDTSTART:${formatUtcDateTime(s.start)}`;
    if (b.hadDtend) out += `\r\nDTEND:${formatUtcDateTime(s.end)}`;
    if (s.rid !== undefined) out += `\r\nRECURRENCE-ID:${formatUtcDateTime(s.rid)}`;
    out += `\r\n${b.tail}`;
  }
  return `${out}\r\nEND:VCALENDAR\r\n`;
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
