// What the CardDAV module (RFC 6352) plugs into the WebDAV core; wired in src/app.ts.
import type { CollectionInfo, StoredObject } from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import type { ObjectResource } from '../dav/resource.ts';
import { carddavProperties } from './props.ts';
import { carddavReports } from './reports.ts';
import { representationForGet, representObject } from './representation.ts';
import { checkVcardContentType, noUidConflict, validateVcard } from './validate.ts';

export const carddavModule = {
  properties: carddavProperties,
  reports: carddavReports,
  /** PUT/COPY/MOVE into an address book (RFC 6352 §6.3.2.1). */
  validate: (ctx: DavContext, text: string, collection: CollectionInfo) => validateVcard(text, collection, ctx.limits),
  uidConflict: noUidConflict,
  checkContentType: checkVcardContentType,
  /** GET of an address object: the version and group flavour from Accept and the client profile. */
  represent: async (ctx: DavContext, res: ObjectResource, object: StoredObject) => {
    const want = representationForGet(ctx);
    // Nothing asked for (no Accept version, no profile): every card is served as stored (represent()).
    if (want.version === undefined && want.flavour === undefined) return undefined;
    const r = await representObject(res, object, want);
    return r.unchanged ? undefined : { body: r.text, contentType: r.contentType };
  },
};
