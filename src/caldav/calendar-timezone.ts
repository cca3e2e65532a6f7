// RFC 4791 §5.2.2 calendar-timezone and §9.8 CALDAV:timezone: the VTIMEZONE used to resolve floating
// times and DATE values to UTC (§7.3). Validation follows the §5.2.10 PROPPATCH precondition.
import type { CollectionInfo } from '../backend/types.ts';
import { DavError } from '../dav/dav-error.ts';
import { caldav } from '../dav/xml/names.ts';
import { type IcalTimezone, timezoneFromVcalendar } from './ical.ts';
import type { TimeEnv } from './recurrence.ts';
import { resolveTzid, vcalendarForZone } from './timezones.ts';

/**
 * RFC 7809 §5.2/§5.3: a time zone identifier (calendar-timezone-id, CALDAV:timezone-id) as the
 * VCALENDAR text calendar-timezone holds. Windows and other resolvable names are accepted and mapped
 * to IANA; anything else is 403 CALDAV:valid-timezone.
 */
export function timezoneFromId(id: string): string {
  const iana = resolveTzid(id.trim());
  const text = iana ? vcalendarForZone(iana) : undefined;
  if (!text) throw new DavError(403, caldav('valid-timezone'), `unknown time zone identifier ${id.trim()}`);
  return text;
}

/**
 * Normalises a calendar-timezone / CALDAV:timezone value: an iCalendar object with exactly one
 * VTIMEZONE. A bare VTIMEZONE is wrapped in a VCALENDAR (lenient ingest). Throws 403
 * valid-calendar-data otherwise.
 */
export function normaliseTimezoneText(text: string): string {
  let t = text.trim();
  if (/^BEGIN:VTIMEZONE/i.test(t))
    t = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davgate//EN\r\n${t}\r\nEND:VCALENDAR`;
  if (!timezoneFromVcalendar(t)) {
    throw new DavError(403, caldav('valid-calendar-data'), 'expected an iCalendar object with exactly one VTIMEZONE');
  }
  return `${t.replace(/\r?\n/g, '\r\n')}\r\n`;
}

const cache = new Map<string, IcalTimezone | undefined>();

function zoneOf(text: string): IcalTimezone | undefined {
  if (!cache.has(text)) {
    if (cache.size > 256) cache.clear();
    cache.set(text, timezoneFromVcalendar(text));
  }
  return cache.get(text);
}

/**
 * The time environment for evaluating objects of a collection: the request's CALDAV:timezone wins
 * over the collection's calendar-timezone (§9.8); without either, floating times are read as UTC.
 */
export function timeEnvFor(collection: CollectionInfo, requestTimezone?: string): TimeEnv {
  const text = requestTimezone ?? collection.timezone;
  return text ? { floatingZone: zoneOf(text) } : {};
}
