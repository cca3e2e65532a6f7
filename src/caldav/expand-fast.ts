// RFC 4791 §9.6.5 CALDAV:expand from instance spans (the fast path of expand.ts): the stored content
// lines are scanned once, each component's kept lines are assembled once, and every instance is that
// text plus its own DTSTART/DTEND/RECURRENCE-ID in UTC. No ical.js, no per-instance line work.
// DATE-valued (all-day) components keep their DATE lines as the general path does, for a single
// non-recurring component only (a recurring all-day set needs the zone to name its instances' days).
import type { TimeSpan } from '../backend/types.ts';
import { formatUtcDateTime } from './ical.ts';

interface Part {
  /** BEGIN line and the kept top-level property lines, CRLF-joined. */
  head: string;
  /** Nested components and the END line. */
  tail: string;
  /** Whether an instance also gets a DTEND (the component had DTEND, or a nominal DURATION). */
  hadDtend: boolean;
  /** DATE-valued DTSTART: the instance is written with the component's own DTSTART/DTEND lines. */
  dateLines?: string;
  recurring: boolean;
}

const REPLACED = new Set(['DTSTART', 'DTEND', 'RRULE', 'RDATE', 'EXDATE', 'EXRULE', 'RECURRENCE-ID']);
const RECURRENCE = new Set(['RRULE', 'RDATE', 'EXDATE', 'EXRULE', 'RECURRENCE-ID']);
/** A date-time without Z (floating) anywhere in a value: the general path would convert it. */
const FLOATING_DATE_TIME = /\d{8}T\d{6}(?!\d|Z)/;

/** The upper-cased property name of a content line (up to the first ';' or ':'). */
function propName(line: string): string {
  let i = 0;
  let lower = false;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 58 || c === 59) break; // ':' ';'
    if (c >= 97 && c <= 122) lower = true;
  }
  const name = line.slice(0, i);
  return lower ? name.toUpperCase() : name;
}

/** The parameters of a content line (from its first ';' up to the value), upper-cased, or ''. */
function paramsOf(line: string): string {
  let semi = 0;
  for (; semi < line.length; semi++) {
    const c = line.charCodeAt(semi);
    if (c === 58) return ''; // ':' before any ';': no parameters
    if (c === 59) break;
  }
  if (semi === line.length) return '';
  const colon = line.indexOf(':', semi);
  return line.slice(semi, colon < 0 ? undefined : colon).toUpperCase();
}

const hasTzid = (line: string): boolean => paramsOf(line).includes(';TZID=');
const lineValue = (line: string): string => line.slice(line.indexOf(':') + 1);

/** A DATE value (VALUE=DATE, or eight digits): all-day. */
function isDateLine(line: string): boolean {
  return /;VALUE=DATE(;|$)/.test(paramsOf(line)) || /^\d{8}$/.test(lineValue(line));
}

/**
 * Logical content lines of `text` without VTIMEZONE blocks, each with its folded continuation lines
 * attached, passed to `each` (depth 0 = inside VCALENDAR). Returns false when `each` does.
 */
function scan(text: string, each: (line: string, name: string) => boolean): boolean {
  const n = text.length;
  let pos = 0;
  let skipping = false;
  while (pos < n) {
    let end = text.indexOf('\r\n', pos);
    if (end < 0) end = n;
    // Folded continuation lines (RFC 5545 §3.1) belong to this line.
    while (end < n) {
      const c = text.charCodeAt(end + 2);
      if (c !== 32 && c !== 9) break;
      const next = text.indexOf('\r\n', end + 2);
      end = next < 0 ? n : next;
    }
    const line = text.slice(pos, end);
    pos = end + 2;
    if (line === '') continue;
    const name = propName(line);
    if (skipping) {
      if (name === 'END' && line.slice(4).toUpperCase() === 'VTIMEZONE') skipping = false;
      continue;
    }
    if (name === 'BEGIN' && line.slice(6).toUpperCase() === 'VTIMEZONE') {
      // Usually written in capitals: jump to its end instead of reading it line by line.
      const e = text.indexOf('\r\nEND:VTIMEZONE\r\n', pos - 2);
      if (e >= 0) pos = e + 17;
      else skipping = true;
      continue;
    }
    if (!each(line, name)) return false;
  }
  return true;
}

interface Template {
  calHead: string;
  parts: Part[];
}

function templateOf(text: string): Template | undefined {
  const calProps: string[] = ['BEGIN:VCALENDAR'];
  const parts: Part[] = [];
  let depth = -1;
  let kept: string[] = [];
  let nested: string[] = [];
  let dtstart: string | undefined;
  let dtend: string | undefined;
  let duration: number | undefined;
  let recurring = false;
  let closed = false;
  const floating = (lines: string[]) => lines.some((l) => FLOATING_DATE_TIME.test(lineValue(l)));
  scan(text, (line, name) => {
    if (depth === -1) {
      depth = 0;
      return name === 'BEGIN' && line.slice(6).toUpperCase() === 'VCALENDAR';
    }
    if (name === 'BEGIN') {
      depth++;
      if (depth > 1) nested.push(line);
      else if (line.slice(6).toUpperCase() !== 'VEVENT') return false;
      else {
        kept = ['BEGIN:VEVENT'];
        nested = [];
        dtstart = dtend = duration = undefined;
        recurring = false;
      }
      return true;
    }
    if (name === 'END') {
      if (depth === 0) {
        closed = true;
        return false;
      }
      if (depth > 1) nested.push(line);
      else {
        if (!dtstart) return false;
        const isDate = isDateLine(dtstart);
        if (isDate && ((dtend !== undefined && !isDateLine(dtend)) || floating(kept) || floating(nested))) return false;
        // A floating DTSTART is read in a zone; other floating values would need converting too.
        if (!isDate && !hasTzid(dtstart) && !/Z$/i.test(lineValue(dtstart))) return false;
        let hadDtend = dtend !== undefined;
        // A DURATION in days or weeks is nominal in the event's zone: in UTC it becomes an explicit end.
        if (!isDate && duration !== undefined && /[DW]/.test(lineValue(kept[duration]))) {
          kept.splice(duration, 1);
          hadDtend = true;
        }
        nested.push('END:VEVENT');
        const part: Part = { head: kept.join('\r\n'), tail: nested.join('\r\n'), hadDtend, recurring };
        if (isDate) part.dateLines = dtend === undefined ? dtstart : `${dtstart}\r\n${dtend}`;
        parts.push(part);
      }
      depth--;
      return true;
    }
    if (depth === 0) calProps.push(line);
    else if (depth === 1) {
      if (name === 'DTSTART') dtstart = line;
      else if (name === 'DTEND') dtend = line;
      // Replaced lines may carry a TZID: the spans give their instants in UTC.
      if (REPLACED.has(name)) {
        if (RECURRENCE.has(name)) recurring = true;
        return true;
      }
      if (hasTzid(line)) return false;
      if (name === 'DURATION') duration = kept.length;
      kept.push(line);
    } else {
      if (hasTzid(line)) return false;
      nested.push(line);
    }
    return true;
  });
  return closed ? { calHead: calProps.join('\r\n'), parts } : undefined;
}

/** Two-digit strings 00–99. */
const D2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const DAY_MS = 86_400_000;

/** `formatUtcDateTime` for the years 1000–9999 without a Date object (civil-from-days, H. Hinnant). */
export function utcStamp(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const secs = Math.floor((ms - days * DAY_MS) / 1000);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1000 || y > 9999) return formatUtcDateTime(ms);
  const h = Math.floor(secs / 3600);
  const mi = Math.floor((secs % 3600) / 60);
  return `${y}${D2[m]}${D2[d]}T${D2[h]}${D2[mi]}${D2[secs % 60]}Z`;
}

/** Whether spans are in start order already (the index returns them so, long spans aside). */
function ascending(spans: TimeSpan[]): boolean {
  for (let i = 1; i < spans.length; i++) if (spans[i].start < spans[i - 1].start) return false;
  return true;
}

/**
 * §9.6.5 from the instance spans overlapping the range (exact VEVENT objects: from the index, or
 * remembered in the query's zone). Undefined when the object needs the general path: another
 * component type, a zoned or floating date-time the spans do not cover, a span without its
 * component, a recurring all-day set.
 */
export function expandWithSpans(text: string, spans: TimeSpan[]): string | undefined {
  const t = templateOf(text);
  if (!t) return undefined;
  const { calHead, parts } = t;
  let out = calHead;
  const sorted = ascending(spans) ? spans : [...spans].sort((a, b) => a.start - b.start);
  for (const s of sorted) {
    const b = s.comp === undefined ? undefined : parts[s.comp];
    if (!b || !Number.isFinite(s.start) || !Number.isFinite(s.end)) return undefined;
    if (b.dateLines !== undefined) {
      // An all-day instance keeps its DATE values; only the lone, non-recurring component's is known here.
      if (b.recurring || s.rid !== undefined || parts.length !== 1) return undefined;
      out += `\r\n${b.head}\r\n${b.dateLines}\r\n${b.tail}`;
      continue;
    }
    out += `\r\n${b.head}\r\nDTSTART:${utcStamp(s.start)}`;
    if (b.hadDtend) out += `\r\nDTEND:${utcStamp(s.end)}`;
    if (s.rid !== undefined) out += `\r\nRECURRENCE-ID:${utcStamp(s.rid)}`;
    out += `\r\n${b.tail}`;
  }
  return `${out}\r\nEND:VCALENDAR\r\n`;
}
