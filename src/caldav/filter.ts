// RFC 4791 §9.7 (CALDAV:filter) and §9.9 (CALDAV:time-range): parses a calendar-query filter into a
// typed tree and validates it (§7.8 preconditions valid-filter and supported-collation).
import type { BackendQuery } from '../backend/port.ts';
import { DavError } from '../dav/dav-error.ts';
import { caldav, NS } from '../dav/xml/names.ts';
import { elements, textOf, type XmlElement } from '../dav/xml/tree.ts';
import { type Collation, parseCollation } from './collation.ts';
import { parseUtcDateTime } from './ical.ts';

export interface IsNotDefined {
  kind: 'is-not-defined';
}
/** Bounds in epoch ms; an absent bound is -infinity/+infinity (§9.9). */
export interface TimeRange {
  kind: 'time-range';
  start?: number;
  end?: number;
}
export interface TextMatch {
  kind: 'text-match';
  value: string;
  collation: Collation;
  negate: boolean;
}
export interface ParamFilter {
  kind: 'param-filter';
  name: string;
  /** undefined: the parameter only has to exist. */
  test?: IsNotDefined | TextMatch;
}
export interface PropFilter {
  kind: 'prop-filter';
  name: string;
  /** undefined: the property only has to exist (and match the param-filters). */
  test?: IsNotDefined | TimeRange | TextMatch;
  params: ParamFilter[];
}
export interface CompFilter {
  kind: 'comp-filter';
  name: string;
  /** undefined: the component only has to exist (and match the nested filters). */
  test?: IsNotDefined | TimeRange;
  props: PropFilter[];
  comps: CompFilter[];
}
export type FilterNode = CompFilter | PropFilter | ParamFilter | TextMatch | TimeRange | IsNotDefined;

/** Components whose overlap with a time range §9.9 defines. */
const TIME_RANGE_COMPONENTS = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VALARM']);
/** Properties whose overlap with a time range §9.9 defines. */
export const TIME_RANGE_PROPERTIES = new Set([
  'COMPLETED',
  'CREATED',
  'DTEND',
  'DTSTAMP',
  'DTSTART',
  'DUE',
  'LAST-MODIFIED',
]);
/** Where known components may appear (RFC 5545 §3.6, RFC 7953); X- components may appear anywhere. */
const ALLOWED_PARENTS: Record<string, string[]> = {
  VEVENT: ['VCALENDAR'],
  VTODO: ['VCALENDAR'],
  VJOURNAL: ['VCALENDAR'],
  VFREEBUSY: ['VCALENDAR'],
  VTIMEZONE: ['VCALENDAR'],
  VAVAILABILITY: ['VCALENDAR'],
  VALARM: ['VEVENT', 'VTODO'],
  STANDARD: ['VTIMEZONE'],
  DAYLIGHT: ['VTIMEZONE'],
  AVAILABLE: ['VAVAILABILITY'],
  VCALENDAR: [],
};

function invalid(message: string): DavError {
  return new DavError(403, caldav('valid-filter'), message);
}

function nameAttr(e: XmlElement, what: string): string {
  const name = e.attrs['{}name']?.trim();
  if (!name) throw invalid(`${what} without a name attribute`);
  return name.toUpperCase();
}

/** Children in the CalDAV namespace; foreign elements are extensions and ignored. */
function caldavChildren(e: XmlElement): XmlElement[] {
  return elements(e).filter((c) => c.name.startsWith(`{${NS.CALDAV}}`));
}

/** Parses `<C:time-range>` (also used by expand, limit-recurrence-set, free-busy-query). */
export function parseTimeRange(e: XmlElement): TimeRange {
  const rawStart = e.attrs['{}start'];
  const rawEnd = e.attrs['{}end'];
  if (rawStart === undefined && rawEnd === undefined) throw invalid('time-range needs a start or an end');
  const start = rawStart === undefined ? undefined : parseUtcDateTime(rawStart);
  const end = rawEnd === undefined ? undefined : parseUtcDateTime(rawEnd);
  if ((rawStart !== undefined && start === undefined) || (rawEnd !== undefined && end === undefined)) {
    throw invalid('time-range bounds must be UTC date-times such as 20060104T000000Z');
  }
  if (start !== undefined && end !== undefined && end <= start) throw invalid('time-range end must be after start');
  return { kind: 'time-range', start, end };
}

function parseTextMatch(e: XmlElement): TextMatch {
  const collation = parseCollation(e.attrs['{}collation']);
  const negate = (e.attrs['{}negate-condition'] ?? 'no').trim().toLowerCase() === 'yes';
  return { kind: 'text-match', value: textOf(e), collation, negate };
}

function parseParamFilter(e: XmlElement): ParamFilter {
  const name = nameAttr(e, 'param-filter');
  let test: ParamFilter['test'];
  for (const c of caldavChildren(e)) {
    if (test) throw invalid(`param-filter ${name} has more than one test`);
    if (c.name === caldav('is-not-defined')) test = { kind: 'is-not-defined' };
    else if (c.name === caldav('text-match')) test = parseTextMatch(c);
    else throw invalid(`unexpected ${c.name} in param-filter`);
  }
  return { kind: 'param-filter', name, test };
}

function parsePropFilter(e: XmlElement): PropFilter {
  const name = nameAttr(e, 'prop-filter');
  let test: PropFilter['test'];
  const params: ParamFilter[] = [];
  for (const c of caldavChildren(e)) {
    if (c.name === caldav('param-filter')) {
      params.push(parseParamFilter(c));
      continue;
    }
    if (test) throw invalid(`prop-filter ${name} has more than one test`);
    if (c.name === caldav('is-not-defined')) test = { kind: 'is-not-defined' };
    else if (c.name === caldav('text-match')) test = parseTextMatch(c);
    else if (c.name === caldav('time-range')) {
      if (!TIME_RANGE_PROPERTIES.has(name)) throw invalid(`time-range is not defined on property ${name}`);
      test = parseTimeRange(c);
    } else throw invalid(`unexpected ${c.name} in prop-filter`);
  }
  if (test?.kind === 'is-not-defined' && params.length) throw invalid('is-not-defined excludes param-filters');
  return { kind: 'prop-filter', name, test, params };
}

function parseCompFilter(e: XmlElement, parent: string | undefined): CompFilter {
  const name = nameAttr(e, 'comp-filter');
  const allowed = ALLOWED_PARENTS[name];
  if (parent === undefined ? name !== 'VCALENDAR' : allowed !== undefined && !allowed.includes(parent)) {
    throw invalid(`comp-filter ${name} cannot appear ${parent ? `inside ${parent}` : 'at the top'}`);
  }
  let test: CompFilter['test'];
  const props: PropFilter[] = [];
  const comps: CompFilter[] = [];
  for (const c of caldavChildren(e)) {
    if (c.name === caldav('prop-filter')) props.push(parsePropFilter(c));
    else if (c.name === caldav('comp-filter')) comps.push(parseCompFilter(c, name));
    else if (c.name === caldav('is-not-defined') || c.name === caldav('time-range')) {
      if (test) throw invalid(`comp-filter ${name} has more than one test`);
      if (c.name === caldav('is-not-defined')) test = { kind: 'is-not-defined' };
      else {
        if (!TIME_RANGE_COMPONENTS.has(name)) throw invalid(`time-range is not defined on component ${name}`);
        test = parseTimeRange(c);
      }
    } else throw invalid(`unexpected ${c.name} in comp-filter`);
  }
  if (test?.kind === 'is-not-defined' && (props.length || comps.length)) {
    throw invalid('is-not-defined excludes nested filters');
  }
  return { kind: 'comp-filter', name, test, props, comps };
}

/**
 * Parses `<C:filter>`. A missing or empty filter matches every object (clients such as DAVdroid and
 * KDE send one; quirks.md Q12), so it yields undefined.
 */
export function parseFilter(e: XmlElement | undefined): CompFilter | undefined {
  if (!e) return undefined;
  const comps = caldavChildren(e);
  if (comps.length === 0) return undefined;
  if (comps.length !== 1 || comps[0].name !== caldav('comp-filter')) {
    throw invalid('filter must contain exactly one comp-filter');
  }
  return parseCompFilter(comps[0], undefined);
}

/** The narrowing a backend may apply: the single component the filter requires and its time range. */
export function backendQueryOf(filter: CompFilter | undefined): BackendQuery {
  const q: BackendQuery = { kind: 'calendar' };
  const top = filter?.comps.filter((c) => c.test?.kind !== 'is-not-defined') ?? [];
  if (top.length !== 1) return q;
  q.component = top[0].name;
  const tr = top[0].test;
  if (tr?.kind === 'time-range') {
    q.timeRange = {
      start: tr.start === undefined ? undefined : new Date(tr.start),
      end: tr.end === undefined ? undefined : new Date(tr.end),
    };
  }
  return q;
}
