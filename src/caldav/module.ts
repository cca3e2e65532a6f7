// What the CalDAV module plugs into the WebDAV core (wired in src/app.ts).
import type { CollectionPatch, StoredObject } from '../backend/types.ts';
import type { DavContext, ObjectValidator, Represented } from '../dav/context.ts';
import type { PropertyDef } from '../dav/props/registry.ts';
import type { ReportHandler } from '../dav/reports/registry.ts';
import type { ObjectResource } from '../dav/resource.ts';
import type { XmlElement } from '../dav/xml/tree.ts';
import { finishCalendarBody } from './annotations.ts';
import { stripStandardTimezones } from './calendar-data.ts';
import { parseMkcalendarBody } from './mkcalendar.ts';
import { caldavProperties, omitsStandardTimezones } from './props.ts';
import { caldavReports } from './reports.ts';
import { schedulingProperties } from './scheduling.ts';
import { calendarObjectValidator, checkCalendarContentType, noUidConflict } from './validate.ts';

export interface ProtocolModule {
  properties: PropertyDef[];
  reports: ReportHandler<unknown>[];
  validate?: ObjectValidator;
  parseMkcalendar?: (ctx: DavContext, body: XmlElement | undefined) => CollectionPatch;
  uidConflict?: (href: string) => Error;
  checkContentType?: (contentType: string | undefined) => void;
  /** GET representation (CoreHooks.represent). */
  represent?: (ctx: DavContext, res: ObjectResource, object: StoredObject) => Promise<Represented | undefined>;
  /** Last step of a GET body (CoreHooks.finish). */
  finish?: (body: Uint8Array) => Uint8Array | undefined;
}

/** RFC 7809 §3.1 for GET: `CalDAV-Timezones: F` leaves out the VTIMEZONEs of standard zones. */
async function representCalendarObject(
  ctx: DavContext,
  _res: ObjectResource,
  object: StoredObject,
): Promise<Represented | undefined> {
  if (!omitsStandardTimezones(ctx)) return undefined;
  const text = new TextDecoder('utf-8').decode(object.body);
  const stripped = stripStandardTimezones(text);
  return stripped === text ? undefined : { body: stripped, contentType: object.contentType };
}

export const caldavModule: ProtocolModule = {
  properties: [...caldavProperties, ...schedulingProperties],
  reports: caldavReports,
  validate: calendarObjectValidator,
  parseMkcalendar: parseMkcalendarBody,
  uidConflict: noUidConflict,
  checkContentType: checkCalendarContentType,
  represent: representCalendarObject,
  finish: finishCalendarBody,
};
