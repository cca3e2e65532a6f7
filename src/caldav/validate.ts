// RFC 4791 §5.3.2.1: preconditions PUT (and COPY/MOVE into a calendar) must meet before a calendar
// object reaches a backend — supported-calendar-data, valid-calendar-data,
// valid-calendar-object-resource (§4.1), supported-calendar-component, max-resource-size, the
// date/instance/attendee limits, and no-uid-conflict (which includes changing the UID of an
// existing resource).
import type { CollectionInfo, TimeIndex } from '../backend/types.ts';
import type { DavContext, ValidatedObject } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import { caldav, dav } from '../dav/xml/names.ts';
import { el } from '../dav/xml/tree.ts';
import { decodeAllValues, type IcalComponent, parseVcalendar } from './ical.ts';
import { checkObjectLimits } from './object-limits.ts';
import { repairCalendarObject, repairText } from './repair.ts';
import { computeTimeIndex } from './time-index.ts';
import { tzidOfCalendarTimezone } from './timezones.ts';

export interface ValidCalendarObject {
  uid: string;
  /** VEVENT, VTODO, VJOURNAL, VFREEBUSY, … (VTIMEZONE for a time-zone-only object). */
  componentType: string;
  /** The text to store: the body as sent (without BOM), or the re-serialised repaired object. */
  text: string;
  /** What repair.ts changed; empty when `text` is the body as sent. */
  repairs: string[];
  /** Instance spans for backend time-range narrowing (time-index.ts). */
  timeIndex?: TimeIndex;
}

export interface ValidateOptions {
  /** Largest accepted object in bytes (ctx.limits.maxResourceSize). */
  maxResourceSize?: number;
  /** Href of the resource being replaced, reported in no-uid-conflict when the UID changes. */
  href?: string;
}

/** Component types a calendar accepts: its supported-calendar-component-set, or these when unset. */
export const DEFAULT_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY'];

export function effectiveComponents(collection: CollectionInfo): string[] {
  return collection.components?.length ? collection.components.map((c) => c.toUpperCase()) : DEFAULT_COMPONENTS;
}

/** 403 `{caldav}supported-calendar-data` unless the media type is iCalendar (or absent). */
export function checkCalendarContentType(contentType: string | undefined): void {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === '' || media === 'text/calendar' || media === 'application/octet-stream' || media === 'text/plain')
    return;
  throw new DavError(403, caldav('supported-calendar-data'), `unsupported media type for a calendar object: ${media}`);
}

/** RFC 4791 §5.3.2.1 `CALDAV:no-uid-conflict`: 403 naming the resource that already holds the UID. */
export function noUidConflict(href: string): DavError {
  return new DavError(403, caldav('no-uid-conflict'), 'the UID is already used by another calendar object resource', {
    children: [el(dav('href'), [href])],
  });
}

function invalidObject(why: string): DavError {
  return new DavError(403, caldav('valid-calendar-object-resource'), why);
}

/** §4.1: one component type (besides VTIMEZONE), one UID, one master, distinct RECURRENCE-IDs. */
function checkObjectShape(root: IcalComponent, collection: CollectionInfo): { uid: string; componentType: string } {
  const all = root.getAllSubcomponents();
  const comps = all.filter((c) => c.name !== 'vtimezone');
  if (comps.length === 0) {
    if (all.length > 0 && effectiveComponents(collection).includes('VTIMEZONE')) {
      return { uid: String(all[0].getFirstPropertyValue('tzid') ?? ''), componentType: 'VTIMEZONE' };
    }
    throw invalidObject('the object holds no calendar component');
  }
  const types = new Set(comps.map((c) => c.name.toUpperCase()));
  if (types.size > 1) throw invalidObject(`more than one component type: ${[...types].join(', ')}`);
  const componentType = [...types][0];
  const uids = new Set(comps.map((c) => String(c.getFirstPropertyValue('uid') ?? '')));
  if (uids.size > 1) throw invalidObject('components with different UIDs belong in separate resources');
  // Serialised RECURRENCE-IDs only when two could clash: a property's text is never '', so with at most
  // one override the only possible duplicate is a second master.
  const overrides = comps.filter((c) => c.hasProperty('recurrence-id')).length;
  const rids = comps.map((c) =>
    overrides > 1
      ? (c.getFirstProperty('recurrence-id')?.toICALString() ?? '')
      : c.hasProperty('recurrence-id')
        ? 'x'
        : '',
  );
  if (new Set(rids).size !== rids.length) throw invalidObject('duplicate master or RECURRENCE-ID');
  if (!effectiveComponents(collection).includes(componentType)) {
    throw new DavError(
      403,
      caldav('supported-calendar-component'),
      `${componentType} is not accepted by this calendar`,
    );
  }
  return { uid: [...uids][0], componentType };
}

/**
 * Validates (and leniently repairs, repair.ts) iCalendar text for storage in `collection`.
 * `existingUid` is the UID of the resource being replaced, if any: a different UID is refused with
 * no-uid-conflict (§5.3.2.1). Throws DavError(403) with the RFC 4791 precondition.
 */
export function validateCalendarObject(
  text: string,
  collection: CollectionInfo,
  existingUid?: string,
  opts: ValidateOptions = {},
): ValidCalendarObject {
  if (opts.maxResourceSize !== undefined && Buffer.byteLength(text, 'utf8') > opts.maxResourceSize) {
    throw new DavError(403, caldav('max-resource-size'), `calendar object larger than ${opts.maxResourceSize} bytes`);
  }
  const fixed = repairText(text);
  const body = fixed.text;
  const root = parseVcalendar(body);
  if (!root) throw new DavError(403, caldav('valid-calendar-data'), 'not a single iCalendar object');
  try {
    decodeAllValues(root);
  } catch (e) {
    throw new DavError(403, caldav('valid-calendar-data'), `invalid iCalendar value: ${(e as Error).message}`);
  }
  const version = root.getFirstPropertyValue('version');
  if (version !== null && String(version).trim() !== '2.0') {
    throw new DavError(
      403,
      caldav('supported-calendar-data'),
      `iCalendar version ${String(version)} is not supported (2.0)`,
    );
  }
  const calendarZone = tzidOfCalendarTimezone(collection.timezone);
  const treeRepairs = repairCalendarObject(root, new Date(), calendarZone ? [calendarZone] : []);
  const { uid, componentType } = checkObjectShape(root, collection);
  checkObjectLimits(root);
  if (existingUid !== undefined && existingUid !== uid) {
    throw noUidConflict(opts.href ?? '');
  }
  let stored = body;
  let indexed = root;
  if (treeRepairs.length) {
    stored = root.toString();
    if (!stored.endsWith('\r\n')) stored += '\r\n';
    // Re-read what is stored so the index sees exactly its time zones.
    indexed = parseVcalendar(stored) ?? root;
  }
  return {
    uid,
    componentType,
    text: stored,
    repairs: [...fixed.changes, ...treeRepairs],
    timeIndex: computeTimeIndex(indexed, componentType),
  };
}

/** UID of a stored calendar object, or undefined when it has none or cannot be parsed. */
export function uidOfStored(body: Uint8Array): string | undefined {
  const root = parseVcalendar(new TextDecoder().decode(body));
  const comp = root?.getAllSubcomponents().find((c) => c.name !== 'vtimezone');
  const uid = comp?.getFirstPropertyValue('uid');
  return typeof uid === 'string' ? uid : undefined;
}

/**
 * The core's ObjectValidator for calendar collections. `existing` (optional, additive) lets the core
 * pass the resource being replaced so a UID change is refused with no-uid-conflict.
 */
export function calendarObjectValidator(
  ctx: DavContext,
  text: string,
  collection: CollectionInfo,
  existing?: { href: string; body: Uint8Array },
): ValidatedObject {
  const existingUid = existing ? uidOfStored(existing.body) : undefined;
  const v = validateCalendarObject(text, collection, existingUid, {
    maxResourceSize: ctx.limits.maxResourceSize,
    href: existing?.href,
  });
  if (v.repairs.length) ctx.log.debug('calendar object repaired on ingest', { repairs: v.repairs });
  return { text: v.text, uid: v.uid, componentType: v.componentType, timeIndex: v.timeIndex };
}
