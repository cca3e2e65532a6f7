// iCalendar payload transforms profiles share. Each returns its input unchanged when nothing applies.
import ICAL from 'ical.js';
import { blocks, editLines, propName, splitLine, unfold } from '../content-lines.ts';
import { getParam, setParam } from './params.ts';

/** Properties of the outermost component (nesting depth 1). */
function topLevel(lines: string[]): string[] {
  let depth = 0;
  const out: string[] = [];
  for (const l of lines) {
    const n = propName(l);
    if (n === 'BEGIN') depth++;
    else if (n === 'END') depth--;
    else if (depth === 1) out.push(l);
  }
  return out;
}

export const isCalendarText = (body: string): boolean => /^\uFEFF?\s*BEGIN:VCALENDAR/i.test(body);

/**
 * quirks Q31: Apple (OS X 10.7/10.10) and BusyCal write `X-CALENDARSERVER-ACCESS` on the VCALENDAR
 * (10.7 even as an integer, 1 = public). The canonical form is CLASS on each component: copy it
 * there when a component has no CLASS, keeping the Apple property for the round trip.
 */
export function calendarAccessToClass(text: string): string {
  if (!isCalendarText(text)) return text;
  return editLines(text, (lines) => {
    const access = topLevel(lines).find((l) => propName(l) === 'X-CALENDARSERVER-ACCESS');
    if (!access) return undefined;
    const raw = splitLine(access).value.trim().toUpperCase();
    const cls = /^\d+$/.test(raw) ? (raw === '1' ? 'PUBLIC' : 'PRIVATE') : raw === 'RESTRICTED' ? 'CONFIDENTIAL' : raw;
    if (!['PUBLIC', 'PRIVATE', 'CONFIDENTIAL'].includes(cls)) return undefined;
    const out = [...lines];
    for (const name of ['VEVENT', 'VTODO', 'VJOURNAL']) {
      // Insert from the last block backwards so earlier indexes stay valid.
      for (const [b, e] of blocks(out, name).reverse()) {
        const inner = out.slice(b + 1, e);
        if (!inner.some((l) => propName(l) === 'CLASS')) out.splice(b + 1, 0, `CLASS:${cls}`);
      }
    }
    return out;
  });
}

/**
 * quirks Q32: the placeholder alarm some servers inject for Apple (ACTION:NONE, trigger
 * 19760401T005545Z, X-APPLE-DEFAULT-ALARM) must never reach the backend.
 */
export function stripApplePlaceholderAlarms(text: string): string {
  if (!isCalendarText(text)) return text;
  return editLines(text, (lines) => {
    const drop = blocks(lines, 'VALARM').filter(([b, e]) =>
      lines.slice(b, e).some((l) => /^TRIGGER[^:]*:19760401T005545Z\s*$/i.test(l)),
    );
    if (drop.length === 0) return undefined;
    return lines.filter((_, i) => !drop.some(([b, e]) => i >= b && i <= e));
  });
}

/** Properties a client changes to record alarm state only (quirks Q32), and serialisation noise. */
const ALARM_STATE = /^(X-MOZ-.*|ACKNOWLEDGED|DTSTAMP|LAST-MODIFIED|PRODID)$/i;

type Jcal = [string, unknown[], Jcal[]];

function canonical(jcal: Jcal): unknown {
  const [name, props, comps] = jcal;
  const kept = (props as [string, Record<string, unknown>, ...unknown[]][])
    .filter(([n]) => !ALARM_STATE.test(n))
    .map(([n, params, ...rest]) => JSON.stringify([n, Object.entries(params).sort(), ...rest]))
    .sort();
  // VTIMEZONE text is regenerated freely by clients; the TZIDs the components use are compared.
  const sub = comps
    .filter((c) => c[0] !== 'vtimezone')
    .map((c) => JSON.stringify(canonical(c)))
    .sort();
  return [name, kept, sub];
}

/**
 * True when two iCalendar objects differ only in alarm state (X-MOZ-LASTACK, X-MOZ-SNOOZE-TIME*,
 * ACKNOWLEDGED) and serialisation details: what Thunderbird and eM Client upload to dismiss a
 * reminder (quirks Q32).
 */
export function onlyAlarmStateDiffers(existing: string, incoming: string): boolean {
  if (!isCalendarText(existing) || !isCalendarText(incoming)) return false;
  try {
    const a = canonical(ICAL.parse(existing) as Jcal);
    const b = canonical(ICAL.parse(incoming) as Jcal);
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

const mailto = (v: string): string => v.trim().toLowerCase();

function componentKey(lines: string[], [b, e]: [number, number]): string {
  const rid = lines.slice(b + 1, e).find((l) => propName(l) === 'RECURRENCE-ID');
  return rid ? splitLine(rid).value.trim() : '';
}

/**
 * quirks Q34: Outlook CalDav Synchronizer sends every attendee back as NEEDS-ACTION. A NEEDS-ACTION
 * (or missing PARTSTAT) for an attendee whose stored answer is something else keeps the stored one.
 */
export function restoreAttendeeStatus(text: string, existing: string | undefined): string {
  if (!existing || !isCalendarText(text) || !isCalendarText(existing)) return text;
  const old = unfold(existing);
  const stored = new Map<string, string>();
  for (const name of ['VEVENT', 'VTODO']) {
    for (const range of blocks(old, name)) {
      const key = componentKey(old, range);
      for (const l of old.slice(range[0] + 1, range[1])) {
        if (propName(l) !== 'ATTENDEE') continue;
        const { params, value } = splitLine(l);
        const ps = getParam(params, 'PARTSTAT')?.toUpperCase();
        if (ps && ps !== 'NEEDS-ACTION') stored.set(`${key}\0${mailto(value)}`, ps);
      }
    }
  }
  if (stored.size === 0) return text;
  return editLines(text, (lines) => {
    const out = [...lines];
    for (const name of ['VEVENT', 'VTODO']) {
      for (const range of blocks(out, name)) {
        const key = componentKey(out, range);
        for (let i = range[0] + 1; i < range[1]; i++) {
          if (propName(out[i]) !== 'ATTENDEE') continue;
          const { name: n, params, value } = splitLine(out[i]);
          const ps = getParam(params, 'PARTSTAT')?.toUpperCase() ?? 'NEEDS-ACTION';
          const keep = stored.get(`${key}\0${mailto(value)}`);
          if (ps === 'NEEDS-ACTION' && keep) out[i] = `${n}${setParam(params, 'PARTSTAT', keep)}:${value}`;
        }
      }
    }
    return out;
  });
}

/**
 * quirks Q27: VTIMEZONE rules starting before 1900 (eM Client writes year 0001) make DDay.iCal in
 * CalDav Synchronizer extremely slow; serve them starting 1970-01-01 (same time of day).
 */
export function clampTimezoneStart(text: string): string {
  if (!isCalendarText(text)) return text;
  return editLines(text, (lines) => {
    const out = [...lines];
    let changed = false;
    for (const [b, e] of blocks(out, 'VTIMEZONE')) {
      for (let i = b + 1; i < e; i++) {
        const m = /^(DTSTART[^:]*:)(\d{4})\d{4}(T\d{6})$/i.exec(out[i].trim());
        if (m && Number(m[2]) < 1900) {
          out[i] = `${m[1]}19700101${m[3]}`;
          changed = true;
        }
      }
    }
    return changed ? out : undefined;
  });
}

/** quirks Q33: DAVx5/Android cannot cope with CUTYPE=GROUP attendees; serve them as INDIVIDUAL. */
export function groupAttendeesAsIndividuals(text: string): string {
  if (!isCalendarText(text) || !/CUTYPE=GROUP/i.test(text)) return text;
  return editLines(text, (lines) =>
    lines.map((l) => {
      if (propName(l) !== 'ATTENDEE') return l;
      const { name, params, value } = splitLine(l);
      return getParam(params, 'CUTYPE')?.toUpperCase() === 'GROUP'
        ? `${name}${setParam(params, 'CUTYPE', 'INDIVIDUAL')}:${value}`
        : l;
    }),
  );
}

/**
 * The inverse of groupAttendeesAsIndividuals on the way back in: an attendee stored as CUTYPE=GROUP
 * that returns as INDIVIDUAL (or without CUTYPE) stays a group, so DAVx5's edits do not lose it.
 */
export function restoreGroupAttendees(text: string, existing: string | undefined): string {
  if (!existing || !/CUTYPE=GROUP/i.test(existing) || !isCalendarText(text)) return text;
  const groups = new Set(
    unfold(existing)
      .filter((l) => propName(l) === 'ATTENDEE' && getParam(splitLine(l).params, 'CUTYPE')?.toUpperCase() === 'GROUP')
      .map((l) => mailto(splitLine(l).value)),
  );
  return editLines(text, (lines) =>
    lines.map((l) => {
      if (propName(l) !== 'ATTENDEE') return l;
      const { name, params, value } = splitLine(l);
      const cutype = getParam(params, 'CUTYPE')?.toUpperCase() ?? 'INDIVIDUAL';
      return cutype === 'INDIVIDUAL' && groups.has(mailto(value))
        ? `${name}${setParam(params, 'CUTYPE', 'GROUP')}:${value}`
        : l;
    }),
  );
}
