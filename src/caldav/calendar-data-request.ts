// RFC 4791 §9.6: the CALDAV:calendar-data element of a REPORT (or PROPFIND) request — media type,
// comp/prop selection (§9.6.1–§9.6.4), expand (§9.6.5), limit-recurrence-set (§9.6.6) and
// limit-freebusy-set (§9.6.7) — parsed into a typed request.
import { DavError } from '../dav/dav-error.ts';
import { caldav } from '../dav/xml/names.ts';
import { child, elements, type XmlElement } from '../dav/xml/tree.ts';
import { parseUtcDateTime } from './ical.ts';

export interface PropSelection {
  name: string;
  /** §9.6.4 novalue="yes": name and parameters only. */
  novalue: boolean;
}

export interface CompSelection {
  name: string;
  props: 'all' | PropSelection[];
  comps: 'all' | CompSelection[];
}

export interface UtcRange {
  start: number;
  end: number;
}

export interface CalendarDataRequest {
  /** Selection rooted at VCALENDAR; undefined returns the object whole. */
  comp?: CompSelection;
  expand?: UtcRange;
  limitRecurrenceSet?: UtcRange;
  limitFreebusySet?: UtcRange;
}

/** Media types calendar-data can be returned as (also advertised in supported-calendar-data). */
export const CALENDAR_DATA_TYPES = [{ contentType: 'text/calendar', version: '2.0' }];

function parseRange(e: XmlElement): UtcRange {
  const start = parseUtcDateTime(e.attrs['{}start'] ?? '');
  const end = parseUtcDateTime(e.attrs['{}end'] ?? '');
  if (start === undefined || end === undefined || end <= start) {
    throw new DavError(400, undefined, `${e.name} needs UTC start and end with end after start`);
  }
  return { start, end };
}

function parseComp(e: XmlElement): CompSelection {
  const name = e.attrs['{}name']?.trim().toUpperCase();
  if (!name) throw new DavError(400, undefined, 'calendar-data comp without a name');
  const kids = elements(e);
  let props: CompSelection['props'] = 'all';
  if (!kids.some((k) => k.name === caldav('allprop'))) {
    const named = kids.filter((k) => k.name === caldav('prop'));
    if (named.length) {
      props = named.map((p) => ({
        name: (p.attrs['{}name'] ?? '').trim().toUpperCase(),
        novalue: (p.attrs['{}novalue'] ?? 'no').trim().toLowerCase() === 'yes',
      }));
    }
  }
  let comps: CompSelection['comps'];
  const subs = kids.filter((k) => k.name === caldav('comp'));
  if (kids.some((k) => k.name === caldav('allcomp'))) comps = 'all';
  else if (subs.length) comps = subs.map(parseComp);
  // An empty <C:comp name="VTIMEZONE"/> returns the component whole (§7.8.1 example); a comp that
  // names properties but no components returns none.
  else comps = props === 'all' ? 'all' : [];
  return { name, props, comps };
}

/**
 * Parses a requested calendar-data element. Throws 403 supported-calendar-data for a media type
 * other than text/calendar 2.0 (§7.8, §7.9 preconditions).
 */
const parsed = new WeakMap<XmlElement, CalendarDataRequest>();

export function parseCalendarDataRequest(e: XmlElement): CalendarDataRequest {
  let req = parsed.get(e);
  if (!req) {
    req = parseUncached(e);
    parsed.set(e, req);
  }
  return req;
}

function parseUncached(e: XmlElement): CalendarDataRequest {
  const contentType = (e.attrs['{}content-type'] ?? 'text/calendar').split(';')[0].trim().toLowerCase();
  const version = (e.attrs['{}version'] ?? '2.0').trim();
  if (!CALENDAR_DATA_TYPES.some((t) => t.contentType === contentType && t.version === version)) {
    throw new DavError(
      403,
      caldav('supported-calendar-data'),
      `calendar-data as ${contentType} ${version} is not supported`,
    );
  }
  const req: CalendarDataRequest = {};
  const comp = child(e, caldav('comp'));
  if (comp) {
    const sel = parseComp(comp);
    // Only a selection rooted at VCALENDAR is meaningful; anything else returns the whole object.
    if (sel.name === 'VCALENDAR') req.comp = sel;
  }
  const expand = child(e, caldav('expand'));
  const limit = child(e, caldav('limit-recurrence-set'));
  const fb = child(e, caldav('limit-freebusy-set'));
  if (expand) req.expand = parseRange(expand);
  if (limit) req.limitRecurrenceSet = parseRange(limit);
  if (fb) req.limitFreebusySet = parseRange(fb);
  return req;
}
