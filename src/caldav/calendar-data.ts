// RFC 4791 §7.6 / §9.6: partial retrieval of calendar data — comp/prop selection with novalue,
// expand (§9.6.5, expand.ts), limit-recurrence-set (§9.6.6) and limit-freebusy-set (§9.6.7) — and
// RFC 7809 §3.1 (CalDAV-Timezones: F leaves out VTIMEZONEs of standard zones). The stored text is
// returned byte for byte when nothing is to be cut.
import type { TimeSpan } from '../backend/types.ts';
import type { CalendarDataRequest, CompSelection } from './calendar-data-request.ts';
import { expandComponent, expandText } from './expand.ts';
import { ICAL, type IcalComponent, parseVcalendar, toEpochMs } from './ical.ts';
import { msOf, type TimeEnv } from './recurrence.ts';
import { componentOverlaps } from './time-range.ts';
import { isIanaZone } from './timezones.ts';

type JcalProp = [string, Record<string, unknown>, string, ...unknown[]];
type JcalComp = [string, JcalProp[], JcalComp[]];

function select(comp: JcalComp, sel: CompSelection): JcalComp {
  const [name, props, comps] = comp;
  let outProps = props;
  const wanted = sel.props;
  if (wanted !== 'all') {
    outProps = props.flatMap((p): JcalProp[] => {
      const w = wanted.find((x) => x.name === p[0].toUpperCase());
      if (!w) return [];
      // §9.6.4 novalue: "the iCalendar property name and any iCalendar parameters and a trailing ':'".
      return [w.novalue ? [p[0], p[1], p[2], ''] : p];
    });
  }
  const subs = sel.comps;
  const outComps =
    subs === 'all'
      ? comps
      : comps.flatMap((c) => {
          const s = subs.find((x) => x.name === c[0].toUpperCase());
          return s ? [select(c, s)] : [];
        });
  return [name, outProps, outComps];
}

function durationOf(master: IcalComponent | undefined, env: TimeEnv): number {
  if (!master) return 0;
  const start = msOf(master, 'dtstart', env);
  const end = msOf(master, master.name === 'vtodo' ? 'due' : 'dtend', env);
  if (start !== undefined && end !== undefined) return Math.max(0, end - start);
  const d = master.getFirstPropertyValue('duration');
  return d instanceof ICAL.Duration ? d.toSeconds() * 1000 : 0;
}

/** §9.6.6: keep masters and the overridden components whose current or original time overlaps. */
function limitRecurrenceSet(root: IcalComponent, range: { start: number; end: number }, env: TimeEnv): void {
  const comps = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  for (const c of comps) {
    const ridProp = c.getFirstProperty('recurrence-id');
    if (!ridProp) continue;
    if (String(ridProp.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE') continue;
    if (componentOverlaps(c, range, env)) continue;
    const rid = ridProp.getFirstValue();
    if (rid instanceof ICAL.Time) {
      const uid = c.getFirstPropertyValue('uid');
      const master = comps.find(
        (m) => m.name === c.name && !m.hasProperty('recurrence-id') && m.getFirstPropertyValue('uid') === uid,
      );
      const start = toEpochMs(rid, env.floatingZone);
      const dur = durationOf(master, env);
      const overlaps =
        dur > 0 ? range.start < start + dur && range.end > start : range.start <= start && range.end > start;
      if (overlaps) continue;
    }
    root.removeSubcomponent(c);
  }
}

/** §9.6.7: keep only FREEBUSY periods that overlap the range (drop properties left empty). */
function limitFreebusySet(root: IcalComponent, range: { start: number; end: number }, env: TimeEnv): void {
  for (const fb of root.getAllSubcomponents('vfreebusy')) {
    for (const p of fb.getAllProperties('freebusy')) {
      const keep = p.getValues().filter((v) => {
        if (!(v instanceof ICAL.Period)) return true;
        return (
          range.start < toEpochMs(v.getEnd(), env.floatingZone) && range.end > toEpochMs(v.start, env.floatingZone)
        );
      });
      if (keep.length === 0) fb.removeProperty(p);
      else p.setValues(keep);
    }
  }
}

/** RFC 7809 §3.1: drops VTIMEZONE blocks of standard (IANA) zones from iCalendar text. */
export function stripStandardTimezones(text: string): string {
  if (!/^BEGIN:VTIMEZONE\r?$/im.test(text)) return text;
  return text.replace(/^BEGIN:VTIMEZONE\r?\n[\s\S]*?^END:VTIMEZONE\r?\n/gim, (block) => {
    const m = /^TZID:(.*?)\r?$/im.exec(block.replace(/\r?\n[ \t]/g, ''));
    return m && isIanaZone(m[1].trim()) ? '' : block;
  });
}

export interface RenderOptions {
  /** Instance spans of this object from the time index, valid for `spansRange` (fast expand). */
  spans?: TimeSpan[];
  spansRange?: { start?: number; end?: number };
  /** RFC 7809 CalDAV-Timezones: F. */
  omitStandardTimezones?: boolean;
  /** The text already parsed (unmodified), to expand without parsing again. */
  root?: IcalComponent;
}

/** The calendar data to return for a stored object under a calendar-data request. */
export function renderCalendarData(
  text: string,
  req: CalendarDataRequest,
  env: TimeEnv = {},
  opts: RenderOptions = {},
): string {
  const strip = (t: string) => (opts.omitStandardTimezones ? stripStandardTimezones(t) : t);
  if (!req.comp && !req.limitRecurrenceSet && !req.limitFreebusySet && !req.expand) return strip(text);
  if (req.expand && !req.comp && !req.limitRecurrenceSet && !req.limitFreebusySet) {
    const sameRange =
      opts.spans !== undefined &&
      opts.spansRange?.start === req.expand.start &&
      opts.spansRange?.end === req.expand.end;
    return expandText(text, req.expand, env, sameRange ? opts.spans : undefined, opts.root);
  }
  let root = parseVcalendar(text);
  if (!root) return text;
  if (req.expand) root = expandComponent(root, req.expand, env);
  if (req.limitRecurrenceSet) limitRecurrenceSet(root, req.limitRecurrenceSet, env);
  if (req.limitFreebusySet) limitFreebusySet(root, req.limitFreebusySet, env);
  let jcal = root.toJSON() as JcalComp;
  if (req.comp) jcal = select(jcal, req.comp);
  const out = ICAL.stringify(jcal as unknown as unknown[]);
  return strip(out.endsWith('\r\n') ? out : `${out}\r\n`);
}
