// RFC 4791 properties: §5.2.1–§5.2.9 on calendar collections, §7.5.1 supported-collation-set,
// §9.6 calendar-data on calendar object resources (REPORT, and PROPFIND for clients that ask),
// §6.2.1 calendar-home-set and RFC 6638 §2.4.1 calendar-user-address-set on principals; Apple's
// calendar-color and calendar-order (http://apple.com/ns/ical/, quirks.md Q06).
import type { DavContext } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import type { PropertyDef } from '../dav/props/registry.ts';
import type { Resource } from '../dav/resource.ts';
import { asStoredText } from '../dav/xml/byte-text.ts';
import { appleIcal, caldav, dav } from '../dav/xml/names.ts';
import { el, textOf, type XmlElement, type XmlNode } from '../dav/xml/tree.ts';
import { ANNOTATION_PREFIX, hasAnnotations, stripAnnotations } from './annotations.ts';
import { renderCalendarData } from './calendar-data.ts';
import { CALENDAR_DATA_TYPES, parseCalendarDataRequest } from './calendar-data-request.ts';
import { normaliseTimezoneText, timeEnvFor, timezoneFromId } from './calendar-timezone.ts';
import { SUPPORTED_COLLATIONS } from './collation.ts';
import { MAX_ATTENDEES_PER_INSTANCE, MAX_DATE_TIME, MAX_INSTANCES, MIN_DATE_TIME } from './object-limits.ts';
import { hintsFor } from './render-hints.ts';
import { tzidOfCalendarTimezone } from './timezones.ts';
import { effectiveComponents } from './validate.ts';

export const isCalendar = (r: Resource): boolean => r.type === 'collection' && r.info.kind === 'calendar';
export const isCalendarObject = (r: Resource): boolean => r.type === 'object' && r.collection.kind === 'calendar';
const isPrincipal = (r: Resource): boolean => r.type === 'principal';

/** A protected calendar-collection property with a constant-ish value. */
function limit(local: string, value: (ctx: DavContext) => string): PropertyDef {
  return { name: caldav(local), protected: true, allprop: false, appliesTo: isCalendar, get: (ctx) => [value(ctx)] };
}

function info(res: Resource) {
  return res.type === 'collection' ? res.info : undefined;
}

/** Per request: the header is read once, not once per object of a REPORT (Headers.get is not cheap). */
const omitsByHeaders = new WeakMap<Headers, boolean>();

/** RFC 7809 §3.1: the client asked for standard VTIMEZONEs to be left out (`CalDAV-Timezones: F`). */
export function omitsStandardTimezones(ctx: DavContext): boolean {
  const headers = ctx.requestHeaders;
  let omits = omitsByHeaders.get(headers);
  if (omits === undefined) {
    omits = (headers.get('caldav-timezones') ?? '').trim().toUpperCase() === 'F';
    omitsByHeaders.set(headers, omits);
  }
  return omits;
}

/** Stateless without `stream`: one decoder for every object. */
const utf8 = new TextDecoder('utf-8');

/** The stored object as the client gets it: quirk payloadOut hooks (as GET), then §9.6 selection. */
function calendarData(ctx: DavContext, res: Resource, requested: XmlElement): XmlNode[] | undefined {
  if (res.type !== 'object' || !res.object) return undefined;
  const req = parseCalendarDataRequest(requested);
  const stored = utf8.decode(res.object.body);
  // What the gateway keeps for one client only is not served (annotations.ts). The decoded text has
  // the marker exactly when the bytes do (UTF-8 keeps ASCII bytes as they are, even around invalid ones).
  const annotated = stored.includes(ANNOTATION_PREFIX);
  let text = stored;
  let rewritten = false;
  for (const q of ctx.quirks) {
    if (!q.payloadOut) continue;
    text = q.payloadOut(res.object.contentType, text);
    rewritten = true;
  }
  if (annotated) text = stripAnnotations(text);
  const hints = hintsFor(res.object);
  return [
    renderCalendarData(text, req, timeEnvFor(res.collection, hints.timezone), {
      spans: hints.spans,
      spansRange: hints.spansRange,
      omitStandardTimezones: omitsStandardTimezones(ctx),
      // The parse from filter evaluation fits only when no quirk rewrote the text since.
      root: annotated || rewritten ? undefined : hints.root,
    }),
  ];
}

/**
 * calendarData's common case as bytes: the whole object as stored (no §9.6 selection, expand or
 * limit, no RFC 7809 stripping, no annotations, no payloadOut quirk), so the stored bytes are the
 * value (no decode here, no re-encode when the multistatus is written).
 */
function calendarDataBytes(ctx: DavContext, res: Resource, requested: XmlElement): Uint8Array | undefined {
  if (res.type !== 'object' || !res.object) return undefined;
  for (const q of ctx.quirks) if (q.payloadOut) return undefined;
  const req = parseCalendarDataRequest(requested);
  if (req.comp || req.expand || req.limitRecurrenceSet || req.limitFreebusySet) return undefined;
  if (omitsStandardTimezones(ctx) || hasAnnotations(res.object.body)) return undefined;
  return asStoredText(res.object.body);
}

function colorPatch(value: XmlElement | null) {
  if (!value) return { color: null };
  const color = textOf(value).trim();
  // Apple writes #RRGGBBAA, others #RRGGBB (quirks Q06); keep what the client sent.
  if (!/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(color)) throw new DavError(409, undefined, `not a colour: ${color}`);
  return { color };
}

function orderPatch(value: XmlElement | null) {
  if (!value) return { order: null };
  const order = Number(textOf(value).trim());
  if (!Number.isInteger(order)) throw new DavError(409, undefined, 'calendar-order must be an integer');
  return { order };
}

export const caldavProperties: PropertyDef[] = [
  {
    name: caldav('calendar-description'),
    protected: false,
    allprop: false,
    appliesTo: isCalendar,
    get: (_ctx, res) => (info(res)?.description !== undefined ? [info(res)?.description as string] : undefined),
    toPatch: (_ctx, _res, value) => ({ description: value ? textOf(value) : null }),
  },
  {
    name: caldav('calendar-timezone'),
    protected: false,
    allprop: false,
    appliesTo: isCalendar,
    get: (_ctx, res) => (info(res)?.timezone ? [info(res)?.timezone as string] : undefined),
    toPatch: (_ctx, _res, value) => ({ timezone: value ? normaliseTimezoneText(textOf(value)) : null }),
  },
  {
    // RFC 7809 §5.2: the calendar time zone by its identifier. Setting it replaces calendar-timezone
    // with the IANA definition; an unknown identifier is 403 valid-timezone.
    name: caldav('calendar-timezone-id'),
    protected: false,
    allprop: false,
    appliesTo: isCalendar,
    get: (_ctx, res) => {
      const id = tzidOfCalendarTimezone(info(res)?.timezone);
      return id ? [id] : undefined;
    },
    toPatch: (_ctx, _res, value) => ({ timezone: value ? timezoneFromId(textOf(value)) : null }),
  },
  {
    // RFC 7809 §5.1: where clients may fetch time zone data (TZDIST, RFC 7808). The gateway runs no
    // TZDIST service of its own; it answers with an empty set and synthesises VTIMEZONEs itself.
    name: caldav('timezone-service-set'),
    protected: true,
    allprop: false,
    appliesTo: (r) => r.type === 'home' && r.home === 'calendars',
    get: () => [],
  },
  {
    // Protected (§5.2.3): set only at creation, see mkcalendar.ts.
    name: caldav('supported-calendar-component-set'),
    protected: true,
    allprop: false,
    appliesTo: isCalendar,
    get: (_ctx, res) => {
      const i = info(res);
      return i ? effectiveComponents(i).map((c) => el(caldav('comp'), [], { '{}name': c })) : undefined;
    },
  },
  {
    name: caldav('supported-calendar-data'),
    protected: true,
    allprop: false,
    appliesTo: isCalendar,
    get: () =>
      CALENDAR_DATA_TYPES.map((t) =>
        el(caldav('calendar-data'), [], { '{}content-type': t.contentType, '{}version': t.version }),
      ),
  },
  {
    name: caldav('supported-collation-set'),
    protected: true,
    allprop: false,
    appliesTo: (r) => isCalendar(r) || isCalendarObject(r),
    get: () => SUPPORTED_COLLATIONS.map((c) => el(caldav('supported-collation'), [c])),
  },
  limit('max-resource-size', (ctx) => String(ctx.limits.maxResourceSize)),
  limit('min-date-time', () => MIN_DATE_TIME),
  limit('max-date-time', () => MAX_DATE_TIME),
  limit('max-instances', () => String(MAX_INSTANCES)),
  limit('max-attendees-per-instance', () => String(MAX_ATTENDEES_PER_INSTANCE)),
  {
    name: appleIcal('calendar-color'),
    protected: false,
    allprop: false,
    appliesTo: isCalendar,
    get: (_ctx, res) => (info(res)?.color ? [info(res)?.color as string] : undefined),
    toPatch: (_ctx, _res, value) => colorPatch(value),
  },
  {
    name: appleIcal('calendar-order'),
    protected: false,
    allprop: false,
    appliesTo: isCalendar,
    get: (_ctx, res) => (info(res)?.order !== undefined ? [String(info(res)?.order)] : undefined),
    toPatch: (_ctx, _res, value) => orderPatch(value),
  },
  {
    // §9.6 note: not a WebDAV property, but clients ask for it in PROPFIND too; never in allprop.
    name: caldav('calendar-data'),
    protected: true,
    allprop: false,
    needsBody: true,
    appliesTo: isCalendarObject,
    get: calendarData,
    getBytes: calendarDataBytes,
  },
  {
    name: caldav('calendar-home-set'),
    protected: true,
    allprop: false,
    appliesTo: isPrincipal,
    // Exactly one href: iOS picks one of several by an unknown rule (quirks Q06).
    get: (ctx, res) =>
      res.type === 'principal' ? [el(dav('href'), [ctx.hrefs.home('calendars', res.user)])] : undefined,
  },
  {
    name: caldav('calendar-user-address-set'),
    protected: true,
    allprop: false,
    appliesTo: isPrincipal,
    // The user's mailto: addresses, the first marked preferred (Apple picks the preferred or the
    // alphabetically first, Thunderbird the first mailto:; quirks Q06).
    get: async (ctx, res) => {
      if (res.type !== 'principal') return undefined;
      const addrs = await ctx.users.addresses(res.user);
      return addrs.map((a, i) => el(dav('href'), [a], i === 0 ? { '{}preferred': '1' } : {}));
    },
  },
];
