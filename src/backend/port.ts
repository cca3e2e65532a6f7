// The backend port (DESIGN.md §Central interfaces 1): required members every adapter implements and
// optional capabilities the core uses when present and degrades without.
import type { XmlElement } from '../dav/xml/tree.ts';
import type { AddressFilter } from './address-filter.ts';
import type {
  BusyResult,
  ChangeSet,
  CollectionInfo,
  CollectionKind,
  CollectionPatch,
  CollectionRef,
  HomeKind,
  ObjectRef,
  PutInput,
  PutResult,
  QueryResult,
  StoredObject,
  WritePreconditions,
} from './types.ts';

/** Errors adapters throw for expected conditions; the core maps them to DAV statuses. */
export class BackendError extends Error {
  readonly code: 'not-found' | 'precondition-failed' | 'conflict' | 'exists' | 'forbidden' | 'unavailable';
  /** For `conflict` on UID: name of the object already holding the UID. */
  readonly conflictName: string | undefined;
  /** Clark name of the precondition element to answer with (e.g. CalDAV valid-calendar-data), if any. */
  readonly condition: string | undefined;
  constructor(code: BackendError['code'], message: string, conflictName?: string, condition?: string) {
    super(message);
    this.code = code;
    this.conflictName = conflictName;
    this.condition = condition;
  }
}

/** Opaque query handed to `query`: the parsed REPORT filter, which an adapter may use to narrow candidates. */
export interface BackendQuery {
  kind: 'calendar' | 'addressbook';
  /** Component name the filter is on (e.g. 'VEVENT') for calendar queries, if known. */
  component?: string;
  /** UTC time range from a time-range filter on the top component, if any. */
  timeRange?: { start?: Date; end?: Date };
  /** Calendar queries with a time range: also return each exact item's overlapping TimeIndex spans (QueryResult.spans). */
  spans?: boolean;
  /**
   * Hint: the core needs no bodies of the items it will not re-check (e.g. a getetag-only REPORT). An
   * adapter may then return those items with an empty body; `unsure` items always come with theirs.
   */
  noBodies?: boolean;
  /** The addressbook-query filter (RFC 6352 §10.5) for address book queries; the core re-applies it exactly. */
  addressFilter?: AddressFilter;
}

export interface CollectionAdmin {
  /** Creates a collection. Throws BackendError('exists') when the id is taken. Parent must exist for nested ids. */
  createCollection(ref: CollectionRef, kind: CollectionKind, patch: CollectionPatch): Promise<CollectionInfo>;
  /** Applies a patch atomically (all or nothing). */
  updateCollection(ref: CollectionRef, patch: CollectionPatch): Promise<CollectionInfo>;
  /** Deletes a collection, its objects and its nested collections. */
  deleteCollection(ref: CollectionRef): Promise<void>;
}

export interface Backend {
  /** Stable id of this backend mount (used in sync tokens). */
  readonly id: string;
  /** True when nothing can be written through this backend. */
  readonly readonly?: boolean;

  /** All collections of one home, including nested plain collections. */
  listCollections(owner: string, home: HomeKind): Promise<CollectionInfo[]>;
  /** One collection, or undefined. */
  getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined>;
  /** Names and etags of every object in a collection (not nested collections). */
  listObjects(ref: CollectionRef): AsyncIterable<ObjectRef>;
  /** The named objects that exist, in any order; missing names are simply absent. */
  getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]>;
  /**
   * Optional: a collection and one object in it in one lookup (what resolving a GET/PUT/DELETE target
   * needs). Undefined when the collection does not exist; `object` absent when the name does not;
   * `childCollection` false when no collection has the id `<ref.id>/<name>` either (true: ask getCollection).
   */
  getCollectionObject?(
    ref: CollectionRef,
    name: string,
  ): Promise<{ collection: CollectionInfo; object?: StoredObject; childCollection: boolean } | undefined>;
  /**
   * Creates or replaces an object. Checks preconditions atomically with the write
   * (BackendError 'precondition-failed'); refuses a UID held by another object in the collection
   * (BackendError 'conflict' with conflictName).
   */
  putObject(ref: CollectionRef, name: string, input: PutInput, pre: WritePreconditions): Promise<PutResult>;
  /** Deletes an object; BackendError 'not-found' if absent, 'precondition-failed' on If-Match mismatch. */
  deleteObject(ref: CollectionRef, name: string, pre: WritePreconditions): Promise<void>;

  /** Optional: narrows candidates server-side. */
  query?(ref: CollectionRef, q: BackendQuery): Promise<QueryResult>;
  /** Optional: busy spans of the stored TimeIndexes overlapping a range (RFC 4791 §7.10 free-busy without parsing). */
  busySpans?(ref: CollectionRef, range: { start: Date; end: Date }): Promise<BusyResult>;
  /**
   * Optional native change feed. `since` null means "everything" (initial sync). Returns
   * 'invalid-token' when the token is unknown or too old.
   */
  changesSince?(ref: CollectionRef, since: string | null): Promise<ChangeSet | 'invalid-token'>;
  /**
   * Optional: the backend token that continues a foreign sync token — one a server previously in front of
   * the same data handed out (SabreDAV's `http://sabre.io/ns/sync/<N>`) — so its clients keep syncing
   * instead of starting over; undefined when the token is not one the backend recognises (the client then
   * gets 403 valid-sync-token). Consulted only for tokens that are not davgate's own, and only with
   * `changesSince`, which then judges the returned token like any other.
   */
  adoptToken?(ref: CollectionRef, token: string): Promise<string | undefined>;
  /** Optional: the backend token for "now" without listing changes (cheap ctag). */
  currentToken?(ref: CollectionRef): Promise<string>;
  /** Optional: find the object holding a UID in a collection. */
  findByUid?(ref: CollectionRef, uid: string): Promise<string | undefined>;
  /** Optional: persist dead properties of an object (set value, or null to remove), all or nothing. */
  patchObjectProps?(ref: CollectionRef, name: string, props: Record<string, XmlElement | null>): Promise<void>;
  /** Optional: collection management. */
  admin?: CollectionAdmin;
}
