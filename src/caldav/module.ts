// What the CalDAV module plugs into the WebDAV core (wired in src/app.ts).
import type { CollectionPatch } from '../backend/types.ts';
import type { DavContext, ObjectValidator } from '../dav/context.ts';
import type { PropertyDef } from '../dav/props/registry.ts';
import type { ReportHandler } from '../dav/reports/registry.ts';
import type { XmlElement } from '../dav/xml/tree.ts';
import { parseMkcalendarBody } from './mkcalendar.ts';
import { caldavProperties } from './props.ts';
import { caldavReports } from './reports.ts';
import { calendarObjectValidator, checkCalendarContentType, noUidConflict } from './validate.ts';

export interface ProtocolModule {
  properties: PropertyDef[];
  reports: ReportHandler<unknown>[];
  validate?: ObjectValidator;
  parseMkcalendar?: (ctx: DavContext, body: XmlElement | undefined) => CollectionPatch;
  uidConflict?: (href: string) => Error;
  checkContentType?: (contentType: string | undefined) => void;
}

export const caldavModule: ProtocolModule = {
  properties: caldavProperties,
  reports: caldavReports,
  validate: calendarObjectValidator,
  parseMkcalendar: parseMkcalendarBody,
  uidConflict: noUidConflict,
  checkContentType: checkCalendarContentType,
};
