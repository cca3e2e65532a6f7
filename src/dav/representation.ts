// What one client receives for an object, and the entity tag of exactly that (RFC 9110 §8.8.3: a
// strong tag identifies one representation). The stored bytes, after the protocol module's
// negotiation (CoreHooks.represent), the client's quirk payloadOut hooks and the module's final
// clean-up (CoreHooks.finish), are what GET, calendar-data and address-data serve.
//
// ETags (quirks Q16/Q19, checklist item 6): a request whose profiles convert objects of a kind
// carries a representation key for that kind (DavContext.representationKeys, set by the quirk
// layer); it sees `<stored>-<key>` in ETag headers and getetag, and its If-Match/If-None-Match are
// checked against that tag. Clients without a key see the stored tag, which then names the default
// representation (a function of the stored bytes alone).
import type { CollectionKind, StoredObject } from '../backend/types.ts';
import type { DavContext } from './context.ts';
import type { ObjectResource } from './resource.ts';

const TEXTUAL = /^(text\/calendar|text\/vcard|text\/x-vcard|text\/x-vlist)/i;

/** The tag this request's client sees for a stored tag (unquoted). */
export function clientEtag(ctx: DavContext, kind: CollectionKind, stored: string): string {
  const key = ctx.representationKeys?.[kind];
  return key ? `${stored}-${key}` : stored;
}

/**
 * The tag a GET can compare before building the body: known up front unless a profile without a
 * representation key rewrites bodies (then only the built body tells whether it changed).
 */
export function tagBeforeRepresenting(ctx: DavContext, kind: CollectionKind, stored: string): string | undefined {
  if (hasOwnRepresentation(ctx, kind) || !ctx.quirks.some((q) => q.payloadOut)) return clientEtag(ctx, kind, stored);
  return undefined;
}

/** Whether this request's client converts objects of this kind (has a representation of its own). */
export function hasOwnRepresentation(ctx: DavContext, kind: CollectionKind): boolean {
  return ctx.representationKeys?.[kind] !== undefined;
}

export interface ClientRepresentation {
  body: Uint8Array;
  contentType: string;
  /** Unquoted tag of this representation; undefined when none can be given (see below). */
  etag: string | undefined;
}

/** The object as this request's client receives it on GET, with its entity tag. */
export async function representationOf(
  ctx: DavContext,
  res: ObjectResource,
  obj: StoredObject,
): Promise<ClientRepresentation> {
  const kind = res.collection.kind;
  let body: Uint8Array = obj.body;
  let contentType = obj.contentType;
  // Negotiation (CoreHooks.represent) is a function of the stored bytes and the request; the tag
  // stays the stored one for clients without a key, as getetag in PROPFIND/REPORT says.
  const shown = await ctx.hooks.represent?.[kind]?.(ctx, res, obj);
  if (shown) {
    body = new TextEncoder().encode(shown.body);
    contentType = shown.contentType;
  }
  let profileChanged = false;
  if (TEXTUAL.test(contentType) && ctx.quirks.some((q) => q.payloadOut)) {
    const before = new TextDecoder().decode(body);
    let text = before;
    for (const q of ctx.quirks) if (q.payloadOut) text = q.payloadOut(contentType, text);
    if (text !== before) {
      profileChanged = true;
      body = new TextEncoder().encode(text);
    }
  }
  const finished = ctx.hooks.finish?.[kind]?.(body);
  if (finished) body = finished;
  // A body a profile rewrote for a client without a representation key has no honest strong tag.
  const etag = hasOwnRepresentation(ctx, kind) || !profileChanged ? clientEtag(ctx, kind, obj.etag) : undefined;
  return { body, contentType, etag };
}
