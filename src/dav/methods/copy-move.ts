// RFC 4918 §9.8 COPY and §9.9 MOVE, for objects and (recursively) collections. The Destination must
// lie under this server's prefix (else 502, §9.8.5); Overwrite: F onto an existing target is 412.
import type { Backend } from '../../backend/port.ts';
import type { CollectionInfo, CollectionRef } from '../../backend/types.ts';
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { parseDavPath } from '../path.ts';
import { directChildren, isParentMissing, resolvePath, type Resolved } from '../resolve.ts';
import type { Resource } from '../resource.ts';
import type { DavResponse } from '../response.ts';
import { dav } from '../xml/names.ts';
import { type MethodRequest, assertWritable, mapBackendError, writePreconditions } from './request.ts';
import { storeObject } from './put.ts';

function destinationPath(ctx: DavContext, req: MethodRequest) {
  const header = req.headers.get('destination');
  if (!header) throw new DavError(400, undefined, 'Destination header required');
  let url: URL;
  try {
    url = new URL(header, req.url);
  } catch {
    throw new DavError(400, undefined, 'bad Destination');
  }
  if (url.host !== req.url.host) throw new DavError(502, undefined, 'Destination is on another server');
  const path = parseDavPath(url.pathname, ctx.hrefs.prefix);
  if (!path) throw new DavError(502, undefined, 'Destination is outside this DAV space');
  return path;
}

async function copyObjectInto(ctx: DavContext, src: Extract<Resource, { type: 'object' }>, dest: { backend: Backend; collection: CollectionInfo; name: string; etag?: string }) {
  const [obj] = await src.backend.getObjects(src.collection.ref, [src.ref.name]);
  if (!obj) throw new DavError(404);
  const r = await storeObject(ctx, { ...dest, currentEtag: dest.etag }, obj.body, obj.contentType, dest.etag ? {} : { ifNoneMatchAny: true });
  const props = Object.fromEntries(Object.entries(obj.deadProps));
  if (Object.keys(props).length && dest.backend.patchObjectProps) {
    await dest.backend.patchObjectProps(dest.collection.ref, dest.name, props).catch(mapBackendError);
  }
  return r;
}

async function copyCollectionTree(ctx: DavContext, backend: Backend, src: CollectionInfo, destRef: CollectionRef, depth0: boolean): Promise<void> {
  if (!backend.admin) throw new DavError(403, dav('need-privileges'));
  const { ref: _r, kind, deadProps, readonly: _ro, ...attrs } = src;
  const created = await backend.admin.createCollection(destRef, kind, { ...attrs, deadProps }).catch(mapBackendError);
  if (depth0) return;
  const names: string[] = [];
  for await (const o of backend.listObjects(src.ref)) names.push(o.name);
  for (const name of names) {
    await copyObjectInto(ctx, { type: 'object', backend, collection: src, ref: { name, etag: '' } }, { backend, collection: created, name });
  }
  const all = await backend.listCollections(src.ref.owner, src.ref.home);
  for (const c of directChildren(all, src.ref.id)) {
    const leaf = c.ref.id.slice(src.ref.id.length + 1);
    await copyCollectionTree(ctx, backend, c, { ...destRef, id: `${destRef.id}/${leaf}` }, false);
  }
}

async function removeExisting(dest: Resolved): Promise<void> {
  if (dest.type === 'object') await dest.backend.deleteObject(dest.collection.ref, dest.ref.name, {}).catch(mapBackendError);
  else if (dest.type === 'collection') await dest.backend.admin?.deleteCollection(dest.info.ref).catch(mapBackendError);
}

export async function copyMove(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  const move = req.method === 'MOVE';
  const destPath = destinationPath(ctx, req);
  const src = (await resolvePath(ctx, req.path)) as Resolved;
  if (src.type === 'missing') throw new DavError(404);
  if (src.type !== 'object' && src.type !== 'collection') throw new DavError(403, dav('need-privileges'), 'cannot copy this resource');
  if (move) assertWritable(src);
  let dest: Resolved;
  try {
    dest = await resolvePath(ctx, destPath);
  } catch (e) {
    if (isParentMissing(e)) throw new DavError(409, undefined, 'destination parent does not exist');
    throw e;
  }
  const overwrite = (req.headers.get('overwrite') ?? 'T').trim().toUpperCase() !== 'F';
  const srcHref = src.type === 'object' ? ctx.hrefs.object(src.collection.ref, src.ref.name) : ctx.hrefs.collection(src.info.ref);
  const destHref = dest.type === 'missing' ? undefined : dest.type === 'object' ? ctx.hrefs.object(dest.collection.ref, dest.ref.name) : dest.type === 'collection' ? ctx.hrefs.collection(dest.info.ref) : 'x';
  if (destHref === srcHref) throw new DavError(403, undefined, 'source and destination are the same');
  const existed = dest.type !== 'missing';
  if (existed && !overwrite) throw new DavError(412, undefined, 'destination exists and Overwrite is F');
  if (dest.type !== 'missing' && dest.type !== 'object' && dest.type !== 'collection') throw new DavError(403, dav('need-privileges'));
  if (dest.type === 'missing' && !dest.parent) throw new DavError(409);
  if (dest.type !== 'missing') assertWritable(dest);

  if (src.type === 'object') {
    // Object onto object: replace in place (keeps the destination name); onto a collection: replace it.
    if (dest.type === 'collection') await removeExisting(dest);
    const target =
      dest.type === 'object'
        ? { backend: dest.backend, collection: dest.collection, name: dest.ref.name, etag: dest.ref.etag }
        : dest.type === 'missing' && dest.parent?.type === 'collection'
          ? { backend: dest.parent.backend, collection: dest.parent.info, name: dest.name }
          : undefined;
    if (!target) throw new DavError(409, undefined, 'objects can only be copied into a collection');
    if (move && dest.type === 'object' && target.collection.ref.id === src.collection.ref.id) {
      // Same collection: delete the old destination first so a UID clash with the source is impossible.
      await removeExisting(dest);
      target.etag = undefined;
    }
    if (move && target.collection.ref.id === src.collection.ref.id && target.backend === src.backend) {
      // A rename in one collection would clash on UID with the source itself: remove source after reading it.
      const [obj] = await src.backend.getObjects(src.collection.ref, [src.ref.name]);
      if (!obj) throw new DavError(404);
      await src.backend.deleteObject(src.collection.ref, src.ref.name, {}).catch(mapBackendError);
      try {
        await storeObject(ctx, { ...target, currentEtag: target.etag }, obj.body, obj.contentType, {});
        if (Object.keys(obj.deadProps).length && target.backend.patchObjectProps) await target.backend.patchObjectProps(target.collection.ref, target.name, obj.deadProps);
      } catch (e) {
        // Put the source back so nothing is lost.
        await src.backend.putObject(src.collection.ref, obj.name, { body: obj.body, contentType: obj.contentType }, {}).catch(() => undefined);
        throw e;
      }
    } else {
      await copyObjectInto(ctx, src, target);
      if (move) await src.backend.deleteObject(src.collection.ref, src.ref.name, writePreconditions(new Headers(), undefined)).catch(mapBackendError);
    }
    return { status: existed ? 204 : 201 };
  }

  // Collections.
  if (dest.type === 'object' || dest.type === 'collection') await removeExisting(dest);
  if (dest.type === 'missing' && dest.parent?.type === 'collection' && dest.parent.info.kind !== 'plain') {
    throw new DavError(403, undefined, 'collections cannot be nested in calendar or address book collections');
  }
  const destRef: CollectionRef =
    dest.type === 'missing' ? { owner: dest.owner, home: dest.home, id: dest.id } : dest.type === 'collection' ? dest.info.ref : (() => { throw new DavError(409); })();
  if (destRef.home !== src.info.ref.home || destRef.owner !== src.info.ref.owner) throw new DavError(403, undefined, 'collections move only within one home');
  if (destRef.id.startsWith(`${src.info.ref.id}/`)) throw new DavError(403, undefined, 'cannot copy a collection into itself');
  const depth0 = !move && ctx.depth === '0';
  await copyCollectionTree(ctx, src.backend, src.info, destRef, depth0);
  if (move) await src.backend.admin?.deleteCollection(src.info.ref).catch(mapBackendError);
  return { status: existed ? 204 : 201 };
}
