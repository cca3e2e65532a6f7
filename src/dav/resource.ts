// Typed resources a request can address, after the path has been resolved against the backend.
import type { Backend } from '../backend/port.ts';
import type { CollectionInfo, HomeKind, ObjectRef, StoredObject } from '../backend/types.ts';
import type { ScheduleBox } from './path.ts';

export type Resource =
  | { type: 'root' }
  | { type: 'principals' }
  | { type: 'principal'; user: string }
  /** RFC 6638 scheduling Inbox/Outbox: empty collections (the gateway delivers no scheduling messages). */
  | { type: 'schedule-box'; box: ScheduleBox; user: string }
  | { type: 'home-root'; home: HomeKind }
  | { type: 'home'; home: HomeKind; user: string }
  | { type: 'collection'; info: CollectionInfo; backend: Backend }
  | ObjectResource;

export interface ObjectResource {
  type: 'object';
  collection: CollectionInfo;
  backend: Backend;
  ref: ObjectRef;
  /** The stored object once loaded (the PROPFIND/REPORT machinery loads it in batches when a property needs the body). */
  object?: StoredObject;
}

/** A path below a home that names nothing yet: the parent (home or collection) and the last segment. */
export interface MissingTarget {
  type: 'missing';
  parent:
    | { type: 'home'; home: HomeKind; user: string }
    | { type: 'collection'; info: CollectionInfo; backend: Backend }
    | undefined;
  name: string;
  /** Home kind and owner the path is under, and its collection id if it were a collection. */
  home: HomeKind;
  owner: string;
  id: string;
}

export function isCollectionLike(r: Resource): boolean {
  return r.type !== 'object';
}

/** The resource of an object in `collection`; `object` when its row (body included) is at hand. */
export function objectResource(
  collection: CollectionInfo,
  backend: Backend,
  ref: { name: string; etag: string },
  object?: StoredObject,
): ObjectResource {
  return { type: 'object', collection, backend, ref: { name: ref.name, etag: ref.etag }, object };
}
