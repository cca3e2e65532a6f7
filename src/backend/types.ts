// Domain types of the backend port. No DAV, no HTTP: what a store of calendars and contacts holds.
import type { XmlElement } from '../dav/xml/tree.ts';

/** Which home a collection lives in. */
export type HomeKind = 'calendars' | 'addressbooks';

/** What a collection is. `plain` is a generic WebDAV collection (arbitrary resources, nesting allowed). */
export type CollectionKind = 'calendar' | 'addressbook' | 'plain';

/** Identifies one collection: owner, home and its id inside the home (slash-separated for nested plain collections, no leading/trailing slash). */
export interface CollectionRef {
  owner: string;
  home: HomeKind;
  id: string;
}

export interface CollectionInfo {
  ref: CollectionRef;
  kind: CollectionKind;
  displayName?: string;
  description?: string;
  /** iCalendar component names allowed (calendars only), e.g. ['VEVENT','VTODO']. */
  components?: string[];
  /** VTIMEZONE text of the calendar (calendar-timezone). */
  timezone?: string;
  color?: string;
  order?: number;
  /** Dead properties set by PROPPATCH/MKCOL that the backend persists, by Clark name. */
  deadProps: Record<string, XmlElement>;
  /** The backend refuses writes to this collection and its objects. */
  readonly?: boolean;
}

/** Collection attributes that clients may change (PROPPATCH/MKCALENDAR/extended MKCOL). `null` removes. */
export interface CollectionPatch {
  displayName?: string | null;
  description?: string | null;
  components?: string[] | null;
  timezone?: string | null;
  color?: string | null;
  order?: number | null;
  /** Dead properties to set (value) or remove (null), by Clark name. */
  deadProps?: Record<string, XmlElement | null>;
}

/** Name and current entity tag of an object (etag without quotes). */
export interface ObjectRef {
  name: string;
  etag: string;
}

export interface StoredObject extends ObjectRef {
  /** Stored bytes. Calendar and address book objects are UTF-8 text. */
  body: Uint8Array;
  contentType: string;
  lastModified: Date;
  /** Dead properties persisted for this resource. */
  deadProps: Record<string, XmlElement>;
}

/** Conditional write/delete preconditions, already parsed from If-Match / If-None-Match. */
export interface WritePreconditions {
  /** Write only if the current etag equals this (unquoted). */
  ifMatch?: string;
  /** `If-None-Match: *`: write only if the object does not exist. */
  ifNoneMatchAny?: boolean;
}

export interface PutInput {
  body: Uint8Array;
  contentType: string;
  /** iCalendar/vCard UID when the object has one (for no-uid-conflict and indexing). */
  uid?: string;
  /** Component type for calendar objects (VEVENT, VTODO, …). */
  componentType?: string;
  /** Calendar objects: instance spans computed at validation, for time-range narrowing (optional to store). */
  timeIndex?: TimeIndex;
}

/**
 * One instance of a calendar object as the CalDAV core indexes it (epoch ms, ±Infinity when unbounded).
 * A time-range [S, E) matches it exactly when
 *   (inclStart ? start <= E : start < E) && (inclEnd ? end >= S : end > S)
 * (RFC 4791 §9.9: some rows compare inclusively). Adapters may fold the flags into ±1 ms bounds.
 */
export interface TimeSpan {
  start: number;
  end: number;
  inclStart?: boolean;
  inclEnd?: boolean;
  /** RECURRENCE-ID of the instance (epoch ms) when it belongs to a recurring set. */
  rid?: number;
  /** Position of the component the instance comes from among the object's non-VTIMEZONE components. */
  comp?: number;
  /** FBTYPE (BUSY, BUSY-TENTATIVE, BUSY-UNAVAILABLE) when the span is busy time. */
  busy?: string;
  /** Busy time only: ignored for time-range matching. */
  busyOnly?: boolean;
}

/** What the CalDAV core computes per calendar object so a backend can answer time ranges without parsing. */
export interface TimeIndex {
  spans: TimeSpan[];
  /** False when the spans only bound the matches (floating times, DATE values): candidates are re-checked. */
  exact: boolean;
  /** Every instance starting before this instant (ms) is in `spans`; undefined when all are. */
  completeUntil?: number;
}

export interface PutResult {
  etag: string;
  created: boolean;
}

/** A native change feed answer: what changed after `since`, and the token describing now. */
export interface ChangeSet {
  /** Backend token for the state after these changes. Opaque to the core. */
  token: string;
  /** Changed or created objects, in change order (oldest first). */
  changed: ObjectRef[];
  /** Names of deleted objects. */
  deleted: string[];
}

/** A backend-side pre-filter result: candidate objects and whether they are known to match exactly. */
export interface QueryResult {
  items: StoredObject[];
  /** When false the core applies the exact filter afterwards. */
  exact: boolean;
  /** Names among `items` the core must check even when `exact` is true (e.g. objects without a usable TimeIndex). */
  unsure?: string[];
  /** With BackendQuery.spans: the indexed spans of each exactly matched item that overlap the time range. */
  spans?: Record<string, TimeSpan[]>;
}

/** Busy time from the TimeIndex of a calendar, and the objects whose index cannot tell (checked by the core). */
export interface BusyResult {
  spans: TimeSpan[];
  unsure: string[];
}
