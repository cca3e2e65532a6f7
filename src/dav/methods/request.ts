// The request as method handlers see it, plus shared header parsing (RFC 4918 §10, RFC 7232).
import { BackendError } from '../../backend/port.ts';
import type { WritePreconditions } from '../../backend/types.ts';
import type { Depth } from '../context.ts';
import { BackendUnavailableError, DavError } from '../dav-error.ts';
import type { DavPath } from '../path.ts';
import type { Resource } from '../resource.ts';
import { type ClarkName, dav } from '../xml/names.ts';
import { parseXml } from '../xml/parse.ts';
import type { XmlElement } from '../xml/tree.ts';

export interface MethodRequest {
  method: string;
  url: URL;
  path: DavPath;
  headers: Headers;
  body: Uint8Array;
}

export function parseDepth(value: string | null): Depth | undefined {
  if (value === null) return undefined;
  const v = value.trim().toLowerCase();
  if (v === '0' || v === '1' || v === 'infinity') return v;
  throw new DavError(400, undefined, `invalid Depth header "${value}"`);
}

export function bodyText(req: MethodRequest): string {
  return new TextDecoder('utf-8').decode(req.body);
}

/** Parses an XML body; returns undefined when the body is empty. */
export function xmlBody(req: MethodRequest): XmlElement | undefined {
  const text = bodyText(req);
  if (text.trim() === '') return undefined;
  return parseXml(text);
}

function unquote(tag: string): string {
  const t = tag.trim().replace(/^W\//, '');
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/**
 * If-Match / If-None-Match (RFC 7232 §3.1-3.2) as write preconditions, checked against `current`.
 * `clientTag` is the tag of the representation this client was served (representation.ts); a
 * client's tag matches when it is that one or the stored one (clients that synced before their
 * profile converted). The backend always gets the stored tag.
 */
export function writePreconditions(
  headers: Headers,
  currentEtag: string | undefined,
  clientTag: string | undefined = currentEtag,
): WritePreconditions {
  const pre: WritePreconditions = {};
  const isCurrent = (tags: string[]) =>
    currentEtag !== undefined && (tags.includes(currentEtag) || (clientTag !== undefined && tags.includes(clientTag)));
  const ifMatch = headers.get('if-match');
  if (ifMatch !== null) {
    if (ifMatch.trim() === '*') {
      if (currentEtag === undefined) throw new DavError(412, undefined, 'If-Match: * on a missing resource');
      pre.ifMatch = currentEtag;
    } else {
      const tags = ifMatch.split(',').map(unquote);
      if (!isCurrent(tags)) throw new DavError(412, undefined, 'If-Match failed');
      pre.ifMatch = currentEtag;
    }
  }
  checkScheduleTag(headers);
  const ifNone = headers.get('if-none-match');
  if (ifNone !== null) {
    if (ifNone.trim() === '*') pre.ifNoneMatchAny = true;
    else if (isCurrent(ifNone.split(',').map(unquote))) {
      throw new DavError(412, undefined, 'If-None-Match failed');
    }
  }
  return pre;
}

/**
 * RFC 6638 §8.3 If-Schedule-Tag-Match (and iCal4OL's truncated `If-Schedule`, quirks Q17). The
 * gateway does no scheduling and issues no Schedule-Tag (no resource has one, so DAVx5 keeps using
 * If-Match): an empty value — what Apple sends for an object without a tag — matches, as in Cyrus;
 * any tag cannot match and fails with 412 as §8.3 requires.
 */
function checkScheduleTag(headers: Headers): void {
  const value = headers.get('if-schedule-tag-match') ?? headers.get('if-schedule');
  if (value === null || value.trim() === '') return;
  throw new DavError(412, undefined, 'If-Schedule-Tag-Match: this server issues no schedule tags');
}

/** The DAV answer for an adapter error. */
export function davErrorFromBackend(e: BackendError): DavError {
  switch (e.code) {
    case 'not-found':
      return new DavError(404, undefined, e.message);
    case 'precondition-failed':
      return new DavError(412, undefined, e.message);
    case 'exists':
      return new DavError(405, undefined, e.message);
    case 'conflict':
      return new DavError(409, undefined, e.message);
    case 'forbidden':
      return new DavError(403, (e.condition as ClarkName | undefined) ?? dav('need-privileges'), e.message);
    case 'unavailable':
      return new BackendUnavailableError(e.message);
  }
}

/** Maps adapter errors to DAV answers; anything else is rethrown. */
export function mapBackendError(e: unknown): never {
  if (e instanceof BackendError) throw davErrorFromBackend(e);
  throw e;
}

export function assertWritable(res: Resource): void {
  const ro =
    (res.type === 'collection' && (res.info.readonly || res.backend.readonly)) ||
    (res.type === 'object' && (res.collection.readonly || res.backend.readonly));
  if (ro) throw new DavError(403, dav('need-privileges'), 'read-only');
}
