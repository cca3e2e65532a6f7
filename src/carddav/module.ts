// What the CardDAV module (RFC 6352) plugs into the WebDAV core; wired in src/app.ts.
import type { CollectionInfo } from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import { carddavProperties } from './props.ts';
import { carddavReports } from './reports.ts';
import { checkVcardContentType, noUidConflict, validateVcard } from './validate.ts';

export const carddavModule = {
  properties: carddavProperties,
  reports: carddavReports,
  /** PUT/COPY/MOVE into an address book (RFC 6352 §6.3.2.1). */
  validate: (ctx: DavContext, text: string, collection: CollectionInfo) => validateVcard(text, collection, ctx.limits),
  uidConflict: noUidConflict,
  checkContentType: checkVcardContentType,
};
