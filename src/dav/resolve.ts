// Resolves a parsed DAV path against users and backends into a Resource (or a missing target).
// Access control: a user sees only their own principal and homes (sharing comes later).
import type { Backend } from '../backend/port.ts';
import type { CollectionInfo, CollectionRef } from '../backend/types.ts';
import type { DavContext } from './context.ts';
import { DavError } from './dav-error.ts';
import type { DavPath } from './path.ts';
import type { MissingTarget, Resource } from './resource.ts';

export type Resolved = Resource | MissingTarget;

function notFound(): DavError {
  return new DavError(404, undefined, 'not found');
}

/**
 * Resolves a path. Returns a Resource, a MissingTarget (last segment absent but parent present), or
 * throws 404 (nothing there and no parent) / 409 (parent missing, RFC 4918 §9.7.1 for PUT/MKCOL callers).
 */
export async function resolvePath(ctx: DavContext, path: DavPath): Promise<Resolved> {
  switch (path.type) {
    case 'root':
    case 'principals':
      return path;
    case 'home-root':
      return path;
    case 'principal':
    case 'schedule-box':
      if (path.user !== ctx.user || !(await ctx.users.exists(path.user))) throw notFound();
      return path;
    case 'home':
      if (path.user !== ctx.user) throw notFound();
      return path;
    case 'below-home':
      break;
  }
  if (path.user !== ctx.user) throw notFound();
  const backend = ctx.backends.forCollection(path.user, path.home, path.segments[0]);
  const segs = path.segments;
  const full: CollectionRef = { owner: path.user, home: path.home, id: segs.join('/') };
  const name = segs[segs.length - 1];
  if (segs.length === 1) {
    const asCollection = await backend.getCollection(full);
    if (asCollection) return { type: 'collection', info: asCollection, backend };
    return {
      type: 'missing',
      parent: { type: 'home', home: path.home, user: path.user },
      name,
      home: path.home,
      owner: path.user,
      id: full.id,
    };
  }
  // Objects are the common case (GET/PUT): look in the parent first. An object and a collection
  // never share a path (MKCOL on an object and PUT on a collection are refused), so the order is safe.
  const parentRef: CollectionRef = { owner: path.user, home: path.home, id: segs.slice(0, -1).join('/') };
  // One round trip when the backend can look up the collection and the object together.
  const found = backend.getCollectionObject
    ? await backend.getCollectionObject(parentRef, name)
    : await lookupApart(backend, parentRef, name);
  if (!found) {
    const e = new DavError(409, undefined, 'parent collection does not exist');
    (e as DavError & { parentMissing: boolean }).parentMissing = true;
    throw e;
  }
  const { collection: parent, object } = found;
  if (object) {
    return { type: 'object', collection: parent, backend, ref: { name: object.name, etag: object.etag }, object };
  }
  const asCollection = found.childCollection ? await backend.getCollection(full) : undefined;
  if (asCollection) return { type: 'collection', info: asCollection, backend };
  return {
    type: 'missing',
    parent: { type: 'collection', info: parent, backend },
    name,
    home: path.home,
    owner: path.user,
    id: full.id,
  };
}

/** The parent collection and the object by two lookups (backends without getCollectionObject). */
async function lookupApart(backend: Backend, ref: CollectionRef, name: string) {
  const collection = await backend.getCollection(ref);
  if (!collection) return undefined;
  const [object] = await backend.getObjects(ref, [name]);
  return { collection, object, childCollection: object === undefined };
}

/** True when a DavError came from a missing parent (409 for writes, 404 for reads). */
export function isParentMissing(e: unknown): boolean {
  return e instanceof DavError && (e as DavError & { parentMissing?: boolean }).parentMissing === true;
}

/** Resolves a path that must exist (reads): missing targets and missing parents are 404. */
export async function resolveExisting(ctx: DavContext, path: DavPath): Promise<Resource> {
  let r: Resolved;
  try {
    r = await resolvePath(ctx, path);
  } catch (e) {
    if (isParentMissing(e)) throw notFound();
    throw e;
  }
  if (r.type === 'missing') throw notFound();
  return r;
}

/** Direct child collections of a home or collection (nested plain collections use slash ids). */
export function directChildren(all: CollectionInfo[], parentId: string | undefined): CollectionInfo[] {
  return all.filter((c) => {
    if (parentId === undefined) return !c.ref.id.includes('/');
    if (!c.ref.id.startsWith(`${parentId}/`)) return false;
    return !c.ref.id.slice(parentId.length + 1).includes('/');
  });
}
