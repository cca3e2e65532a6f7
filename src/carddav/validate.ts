// RFC 6352 §6.3.2.1: what PUT (and COPY/MOVE into an address book) must check before a vCard
// reaches a backend — supported-address-data, valid-address-data, max-resource-size, and the
// no-uid-conflict error the core raises when the backend reports a UID clash.
import type { CollectionInfo } from '../backend/types.ts';
import type { Limits } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { el } from '../dav/xml/tree.ts';
import { isVlist, parseLines, VLIST_CONTENT_TYPE } from './convert.ts';
import { parseVcard, VcardParseError } from './vcard.ts';

export interface ValidVcard {
  uid: string;
  /** The text to store: the request body without a leading BOM. */
  text: string;
  /** vCard version; '1.0' for a SOGo contact list (BEGIN:VLIST, quirks Q24). */
  version: '3.0' | '4.0' | '1.0';
  /** Set for contact lists, stored as text/x-vlist. */
  contentType?: string;
  /** True when `text` differs from the body sent (RFC 4791 §5.3.4 / quirks Q19: omit the PUT ETag). */
  modified: boolean;
}

/**
 * Media types accepted for an address object body. text/x-vcard and text/directory are older
 * spellings clients still send (quirks Q14); a missing or generic type is sniffed from the body.
 */
const ACCEPTED_TYPES = new Set([
  'text/vcard',
  'text/x-vlist',
  'text/x-vcard',
  'text/directory',
  'text/plain',
  'application/octet-stream',
]);

/** 403 with `{carddav}supported-address-data` unless the Content-Type names a vCard (or nothing). */
export function checkVcardContentType(contentType: string | undefined): void {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === '' || ACCEPTED_TYPES.has(media)) return;
  throw new DavError(403, carddav('supported-address-data'), `unsupported media type for an address object: ${media}`);
}

function invalid(collection: CollectionInfo, why: string): DavError {
  return new DavError(403, carddav('valid-address-data'), `${why} (address book ${collection.ref.id})`);
}

/**
 * Validates a vCard for storage in `collection`: exactly one vCard, VERSION 3.0 or 4.0, a UID,
 * at most `limits.maxResourceSize` bytes. Throws DavError(403) with the RFC 6352 precondition.
 */
export function validateVcard(
  text: string,
  collection: CollectionInfo,
  limits: Pick<Limits, 'maxResourceSize'>,
): ValidVcard {
  if (Buffer.byteLength(text, 'utf8') > limits.maxResourceSize) {
    throw new DavError(403, carddav('max-resource-size'), `vCard larger than ${limits.maxResourceSize} bytes`);
  }
  const stored = text.replace(/^\uFEFF/, '');
  if (isVlist(stored)) return validateVlist(stored, text, collection);
  let card: ReturnType<typeof parseVcard>;
  try {
    card = parseVcard(stored);
  } catch (e) {
    if (e instanceof VcardParseError) throw invalid(collection, e.message);
    throw e;
  }
  if (!card.version) throw invalid(collection, 'VERSION is required');
  if (card.version !== '3.0' && card.version !== '4.0') {
    throw new DavError(
      403,
      carddav('supported-address-data'),
      `vCard version ${card.version} is not supported (3.0, 4.0)`,
    );
  }
  // RFC 6352 §5.1 requires a UID in every address object (vCard 3.0 itself makes it optional).
  // quirks.md names no client that omits it in vCards, but Q28/Q29 recommend adding a missing UID
  // once on write; that repair belongs in the ingest pipeline (a quirk payloadIn or a repair step
  // before this validator), so here a missing UID is still a hard valid-address-data error.
  const uid = card.uid?.trim();
  if (!uid) throw invalid(collection, 'UID is required (RFC 6352 §5.1)');
  return { uid, text: stored, version: card.version, modified: stored !== text };
}

/**
 * A SOGo contact list (BEGIN:VLIST … END:VLIST, quirks Q24): stored as sent, as text/x-vlist, and
 * converted into a vCard group for clients that ask for one (convert.ts).
 */
function validateVlist(stored: string, sent: string, collection: CollectionInfo): ValidVcard {
  let uid: string | undefined;
  try {
    const lines = parseLines(stored);
    if (
      lines[0]?.name !== 'BEGIN' ||
      lines.at(-1)?.name !== 'END' ||
      lines.at(-1)?.value.trim().toUpperCase() !== 'VLIST'
    )
      throw new Error('expected BEGIN:VLIST … END:VLIST');
    if (lines.filter((l) => l.name === 'BEGIN').length !== 1) throw new Error('one list per resource');
    uid = lines.find((l) => l.name === 'UID')?.value.trim();
  } catch (e) {
    throw invalid(collection, `invalid contact list: ${(e as Error).message}`);
  }
  if (!uid) throw invalid(collection, 'UID is required (RFC 6352 §5.1)');
  return { uid, text: stored, version: '1.0', contentType: VLIST_CONTENT_TYPE, modified: stored !== sent };
}

/** RFC 6352 §6.3.2.1 `CARDDAV:no-uid-conflict`: 403 naming the resource that already holds the UID. */
export function noUidConflict(href: string): DavError {
  return new DavError(403, carddav('no-uid-conflict'), 'another address object in this collection has the same UID', {
    children: [el(dav('href'), [href])],
  });
}
