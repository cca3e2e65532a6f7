// RFC 4918 §9.8 COPY and §9.9 MOVE, for objects and (recursively) collections. The Destination must
// lie under this server's prefix (else 502, §9.8.5); Overwrite: F onto an existing target is 412.
// Everything is checked before the destination is touched: a refused request deletes nothing.
import type { Backend } from '../../backend/port.ts';
import type { CollectionInfo, CollectionRef, StoredObject } from '../../backend/types.ts';
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { parseDavPath } from '../path.ts';
import { directChildren, isParentMissing, type Resolved, resolvePath } from '../resolve.ts';
import type { DavResponse } from '../response.ts';
import { dav } from '../xml/names.ts';
import { storeObject } from './put.ts';
import { assertWritable, type MethodRequest, mapBackendError } from './request.ts';

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

/** Where the copy lands: the destination's parent and name, whatever is there now. */
interface Slot {
  owner: string;
  home: CollectionRef['home'];
  /** Collection id the destination would have if it were a collection. */
  id: string;
  name: string;
  /** Parent collection, or undefined when the parent is the home itself. */
  parent: { backend: Backend; info: CollectionInfo } | undefined;
  existing: Resolved;
}

async function slotOf(dest: Resolved): Promise<Slot> {
  switch (dest.type) {
    case 'missing':
      if (!dest.parent) throw new DavError(409, undefined, 'destination parent does not exist');
      return {
        owner: dest.owner,
        home: dest.home,
        id: dest.id,
        name: dest.name,
        parent:
          dest.parent.type === 'collection' ? { backend: dest.parent.backend, info: dest.parent.info } : undefined,
        existing: dest,
      };
    case 'object': {
      const ref = dest.collection.ref;
      return {
        owner: ref.owner,
        home: ref.home,
        id: `${ref.id}/${dest.ref.name}`,
        name: dest.ref.name,
        parent: { backend: dest.backend, info: dest.collection },
        existing: dest,
      };
    }
    case 'collection': {
      const ref = dest.info.ref;
      const cut = ref.id.lastIndexOf('/');
      const name = ref.id.slice(cut + 1);
      let parent: Slot['parent'];
      if (cut >= 0) {
        const info = await dest.backend.getCollection({ ...ref, id: ref.id.slice(0, cut) }).catch(mapBackendError);
        if (!info) throw new DavError(409);
        parent = { backend: dest.backend, info };
      }
      return { owner: ref.owner, home: ref.home, id: ref.id, name, parent, existing: dest };
    }
    default:
      throw new DavError(403, dav('need-privileges'), 'cannot overwrite this resource');
  }
}

async function removeExisting(dest: Resolved): Promise<void> {
  if (dest.type === 'object')
    await dest.backend.deleteObject(dest.collection.ref, dest.ref.name, {}).catch(mapBackendError);
  else if (dest.type === 'collection') {
    if (!dest.backend.admin) throw new DavError(403, dav('need-privileges'));
    await dest.backend.admin.deleteCollection(dest.info.ref).catch(mapBackendError);
  }
}

async function writeCopy(
  ctx: DavContext,
  obj: StoredObject,
  parent: { backend: Backend; info: CollectionInfo },
  name: string,
): Promise<void> {
  await storeObject(
    ctx,
    { backend: parent.backend, collection: parent.info, name, currentEtag: undefined },
    obj.body,
    obj.contentType,
    {},
  );
  if (Object.keys(obj.deadProps).length && parent.backend.patchObjectProps) {
    await parent.backend.patchObjectProps(parent.info.ref, name, obj.deadProps).catch(mapBackendError);
  }
}

async function copyCollectionTree(
  ctx: DavContext,
  backend: Backend,
  src: CollectionInfo,
  destRef: CollectionRef,
  depth0: boolean,
): Promise<void> {
  if (!backend.admin) throw new DavError(403, dav('need-privileges'));
  const { ref: _r, kind, deadProps, readonly: _ro, ...attrs } = src;
  const created = await backend.admin.createCollection(destRef, kind, { ...attrs, deadProps }).catch(mapBackendError);
  if (depth0) return;
  const names: string[] = [];
  for await (const o of backend.listObjects(src.ref)) names.push(o.name);
  for (let i = 0; i < names.length; i += 100) {
    for (const obj of await backend.getObjects(src.ref, names.slice(i, i + 100)))
      await writeCopy(ctx, obj, { backend, info: created }, obj.name);
  }
  const all = await backend.listCollections(src.ref.owner, src.ref.home);
  for (const c of directChildren(all, src.ref.id)) {
    const leaf = c.ref.id.slice(src.ref.id.length + 1);
    await copyCollectionTree(ctx, backend, c, { ...destRef, id: `${destRef.id}/${leaf}` }, false);
  }
}

export async function copyMove(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  const move = req.method === 'MOVE';
  const destPath = destinationPath(ctx, req);
  const src = await resolvePath(ctx, req.path);
  if (src.type === 'missing') throw new DavError(404);
  if (src.type !== 'object' && src.type !== 'collection')
    throw new DavError(403, dav('need-privileges'), 'cannot copy this resource');
  if (move) assertWritable(src);
  let dest: Resolved;
  try {
    dest = await resolvePath(ctx, destPath);
  } catch (e) {
    if (isParentMissing(e)) throw new DavError(409, undefined, 'destination parent does not exist');
    throw e;
  }
  const slot = await slotOf(dest);
  const existed = dest.type !== 'missing';
  const overwrite = (req.headers.get('overwrite') ?? 'T').trim().toUpperCase() !== 'F';
  if (existed && !overwrite) throw new DavError(412, undefined, 'destination exists and Overwrite is F');
  if (dest.type === 'object' || dest.type === 'collection') assertWritable(dest);

  if (src.type === 'object') {
    const srcRef = src.collection.ref;
    if (slot.owner === srcRef.owner && slot.home === srcRef.home && slot.id === `${srcRef.id}/${src.ref.name}`) {
      throw new DavError(403, undefined, 'source and destination are the same');
    }
    if (!slot.parent) throw new DavError(409, undefined, 'objects can only be copied into a collection');
    const [obj] = await src.backend.getObjects(srcRef, [src.ref.name]).catch(mapBackendError);
    if (!obj) throw new DavError(404);
    const parent = slot.parent;
    const sameCollection =
      parent.backend === src.backend && parent.info.ref.id === srcRef.id && parent.info.ref.home === srcRef.home;
    await removeExisting(dest);
    if (move && sameCollection) {
      // A rename inside one collection: the copy would clash on UID with its own source, so remove the
      // source first and put it back if the write fails (nothing is lost).
      await src.backend.deleteObject(srcRef, obj.name, {}).catch(mapBackendError);
      try {
        await writeCopy(ctx, obj, parent, slot.name);
      } catch (e) {
        await src.backend
          .putObject(srcRef, obj.name, { body: obj.body, contentType: obj.contentType }, {})
          .catch(() => undefined);
        throw e;
      }
    } else {
      await writeCopy(ctx, obj, parent, slot.name);
      if (move) await src.backend.deleteObject(srcRef, obj.name, {}).catch(mapBackendError);
    }
    return { status: existed ? 204 : 201 };
  }

  // Collections.
  const srcRef = src.info.ref;
  if (slot.parent && slot.parent.info.kind !== 'plain')
    throw new DavError(403, undefined, 'collections cannot be nested in calendar or address book collections');
  if (slot.home !== srcRef.home || slot.owner !== srcRef.owner)
    throw new DavError(403, undefined, 'collections move only within one home');
  if (slot.id === srcRef.id) throw new DavError(403, undefined, 'source and destination are the same');
  if (slot.id.startsWith(`${srcRef.id}/`)) throw new DavError(403, undefined, 'cannot copy a collection into itself');
  await removeExisting(dest);
  const destRef: CollectionRef = { owner: slot.owner, home: slot.home, id: slot.id };
  await copyCollectionTree(ctx, src.backend, src.info, destRef, !move && ctx.depth === '0');
  if (move) await src.backend.admin?.deleteCollection(srcRef).catch(mapBackendError);
  return { status: existed ? 204 : 201 };
}
