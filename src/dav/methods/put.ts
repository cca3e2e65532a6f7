// RFC 4918 §9.7 PUT; RFC 4791 §5.3.2 and RFC 6352 §6.3.2 for calendar and address objects:
// validated before the backend sees them; the ETag is returned only when the stored bytes equal
// the bytes sent (RFC 4791 §5.3.4), so clients re-fetch repaired objects.

import type { Backend } from '../../backend/port.ts';
import { BackendError } from '../../backend/port.ts';
import type { CollectionInfo, PutInput } from '../../backend/types.ts';
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { clientEtag, hasOwnRepresentation, representationOf } from '../representation.ts';
import { isParentMissing, resolvePath } from '../resolve.ts';
import { type ObjectResource, objectResource } from '../resource.ts';
import type { DavResponse } from '../response.ts';
import { dav } from '../xml/names.ts';
import { assertWritable, type MethodRequest, mapBackendError, writePreconditions } from './request.ts';

export interface StoreTarget {
  backend: Backend;
  collection: CollectionInfo;
  name: string;
  currentEtag: string | undefined;
  /** The object being replaced, when known. */
  current?: Uint8Array;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8 = new TextDecoder('utf-8');
const ENCODER = new TextEncoder();
const hasBom = (b: Uint8Array) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  return (
    a.byteLength === b.byteLength &&
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

/**
 * Validates and stores a body into a collection (PUT, COPY, MOVE share it). Returns the stored
 * etag, whether it was created, and whether the stored bytes equal the input.
 */
export async function storeObject(
  ctx: DavContext,
  target: StoreTarget,
  body: Uint8Array,
  contentType: string | undefined,
  pre: ReturnType<typeof writePreconditions>,
  existing?: { href: string; body: Uint8Array },
): Promise<{ etag: string; created: boolean; exact: boolean }> {
  const { collection, backend, name } = target;
  if (collection.readonly || backend.readonly) throw new DavError(403, dav('need-privileges'), 'read-only collection');
  let stored = body;
  let uid: string | undefined;
  let componentType: string | undefined;
  let timeIndex: PutInput['timeIndex'];
  let type = contentType ?? 'application/octet-stream';
  const validator = ctx.hooks.validators[collection.kind];
  if (validator) {
    ctx.hooks.contentTypeChecks?.[collection.kind]?.(contentType);
    let text: string;
    try {
      text = STRICT_UTF8.decode(body);
    } catch {
      text = '';
    }
    const sent = text;
    const before = existing ? UTF8.decode(existing.body) : undefined;
    for (const q of ctx.quirks) if (q.payloadIn) text = q.payloadIn(type, text, before);
    const v = validator(ctx, text, collection, existing);
    // Unchanged text is the sent bytes (the decoder drops a BOM, so those are re-encoded).
    stored = v.text === sent && sent !== '' && !hasBom(body) ? body : ENCODER.encode(v.text);
    uid = v.uid;
    componentType = v.componentType;
    timeIndex = v.timeIndex;
    type = v.contentType ?? ctx.hooks.contentTypes[collection.kind] ?? type;
  }
  try {
    const r = await backend.putObject(
      collection.ref,
      name,
      { body: stored, contentType: type, uid, componentType, timeIndex },
      pre,
    );
    return { ...r, exact: sameBytes(stored, body) };
  } catch (e) {
    if (e instanceof BackendError && e.code === 'conflict' && e.conflictName !== undefined) {
      const make = ctx.hooks.uidConflict?.[collection.kind];
      const href = ctx.hrefs.object(collection.ref, e.conflictName);
      const err = make ? make(href) : new DavError(409, undefined, `UID already used by ${href}`);
      throw Object.assign(err, { conflictName: e.conflictName });
    }
    mapBackendError(e);
  }
}

/**
 * quirks Q32: a write to a read-only object that only changes client-side state (an alarm
 * dismissal, as the active profile judges) succeeds without writing, so the client stops retrying.
 */
function ignorable(ctx: DavContext, r: ObjectResource, body: Uint8Array): boolean {
  const ro = r.collection.readonly || r.backend.readonly;
  const judges = ctx.quirks.filter((q) => q.ignorableWrite);
  if (!ro || !r.object || judges.length === 0) return false;
  const stored = UTF8.decode(r.object.body);
  const incoming = UTF8.decode(body);
  return judges.some((q) => q.ignorableWrite?.(stored, incoming));
}

export async function put(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  let target: StoreTarget;
  try {
    const r = await resolvePath(ctx, req.path);
    if (r.type === 'object') {
      if (ignorable(ctx, r, req.body)) return { status: 204, headers: {} };
      assertWritable(r);
      target = {
        backend: r.backend,
        collection: r.collection,
        name: r.ref.name,
        currentEtag: r.ref.etag,
        current: r.object?.body,
      };
    } else if (r.type === 'missing' && r.parent?.type === 'collection') {
      target = { backend: r.parent.backend, collection: r.parent.info, name: r.name, currentEtag: undefined };
    } else if (r.type === 'missing') {
      throw new DavError(409, undefined, 'objects live in collections; create one first (MKCOL/MKCALENDAR)');
    } else {
      throw new DavError(405, undefined, 'PUT on a collection');
    }
  } catch (e) {
    if (isParentMissing(e)) throw new DavError(409, undefined, 'parent collection does not exist');
    throw e;
  }
  const kind = target.collection.kind;
  const pre = writePreconditions(
    req.headers,
    target.currentEtag,
    target.currentEtag === undefined ? undefined : clientEtag(ctx, kind, target.currentEtag),
  );
  if (pre.ifNoneMatchAny && target.currentEtag !== undefined) throw new DavError(412, undefined, 'resource exists');
  const contentType = req.headers.get('content-type') ?? undefined;
  const existing = target.current
    ? { href: ctx.hrefs.object(target.collection.ref, target.name), body: target.current }
    : undefined;
  let r: Awaited<ReturnType<typeof storeObject>>;
  try {
    r = await storeObject(ctx, target, req.body, contentType, pre, existing);
  } catch (e) {
    // quirks Q18 (Thunderbird): a create that collides with the UID of an object stored under
    // another name updates that object, so an invitation accepted before sync is neither
    // duplicated nor lost. The bytes now live at another URL: no ETag for this one.
    const holder = (e as { conflictName?: string }).conflictName;
    const adopt = ctx.quirkOptions.adoptExistingUidOnCreate && pre.ifNoneMatchAny && target.currentEtag === undefined;
    if (!adopt || holder === undefined) throw e;
    await storeObject(ctx, { ...target, name: holder, currentEtag: undefined }, req.body, contentType, {});
    return { status: 204, headers: {} };
  }
  const headers: Record<string, string> = {};
  const wanted = wantsRepresentation(req.headers);
  if (!wanted && !hasOwnRepresentation(ctx, kind)) {
    if (r.exact) headers.ETag = `"${r.etag}"`;
    return { status: r.created ? 201 : 204, headers };
  }
  // The client's own representation of what was stored: its tag goes back only when it equals the
  // bytes sent (RFC 4791 §5.3.4, quirks Q19), and the body when the client asked for it (Q11).
  const shown = await storedRepresentation(ctx, target, r.etag);
  if (shown?.etag !== undefined && sameBytes(shown.body, req.body)) headers.ETag = `"${shown.etag}"`;
  if (!wanted || !shown) return { status: r.created ? 201 : 204, headers };
  if (shown.etag !== undefined) headers.ETag = `"${shown.etag}"`;
  headers['Content-Type'] = shown.contentType;
  headers['Content-Location'] = ctx.hrefs.object(target.collection.ref, target.name);
  headers['Preference-Applied'] = 'return=representation';
  return { status: r.created ? 201 : 200, headers, body: shown.body };
}

/**
 * RFC 7240 §4.2 `Prefer: return=representation` (also the draft spelling `return-representation`),
 * and Apple's `X-MobileMe-DAV-Options: return-changed-data` for the same (quirks Q11).
 */
export function wantsRepresentation(headers: Headers): boolean {
  const prefer = headers.get('prefer') ?? '';
  return (
    /return\s*=\s*"?representation/i.test(prefer) ||
    /return-representation/i.test(prefer) ||
    /return-changed-data/i.test(headers.get('x-mobileme-dav-options') ?? '')
  );
}

/** The stored object as this client would GET it, if it is still the version just written. */
async function storedRepresentation(ctx: DavContext, target: StoreTarget, etag: string) {
  const [obj] = await target.backend.getObjects(target.collection.ref, [target.name]);
  if (!obj || obj.etag !== etag) return undefined;
  return representationOf(ctx, objectResource(target.collection, target.backend, obj, obj), obj);
}
