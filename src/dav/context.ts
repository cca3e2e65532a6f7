// DavContext (DESIGN.md §Central interfaces 5): what every handler gets instead of long argument lists.
import type { Backend } from '../backend/port.ts';
import type {
  CollectionInfo,
  CollectionKind,
  CollectionPatch,
  HomeKind,
  StoredObject,
  TimeIndex,
} from '../backend/types.ts';
import type { QuirkOptions, QuirkProfile } from '../quirks/profile.ts';
import type { StateStore } from '../state/store.ts';
import type { Hrefs } from './path.ts';
import type { PropertyRegistry } from './props/registry.ts';
import type { ReportRegistry } from './reports/registry.ts';
import type { ObjectResource } from './resource.ts';
import type { XmlElement } from './xml/tree.ts';

export type Depth = '0' | '1' | 'infinity';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Whether a level is written; lets hot paths skip building fields for a filtered line. */
  enabled?(level: 'debug' | 'info' | 'warn' | 'error'): boolean;
}

/**
 * Maps a user's home onto backend mounts: one home can aggregate several backends (DESIGN.md §URL
 * space), each collection id belonging to exactly one of them.
 */
export interface BackendRouter {
  /** The backend that holds, or would hold when created, collection `id` (top-level segment decides). */
  forCollection(owner: string, home: HomeKind, id: string): Backend;
  /** Every collection of a home across all mounts (including nested plain collections). */
  listCollections(owner: string, home: HomeKind): Promise<{ info: CollectionInfo; backend: Backend }[]>;
}

/** What the core needs to know about users (the principal namespace). */
export interface UserDirectory {
  exists(user: string): Promise<boolean>;
  displayName(user: string): Promise<string>;
  /** Calendar user addresses (mailto: URIs) for calendar-user-address-set. */
  addresses(user: string): Promise<string[]>;
  /** Users visible to `viewer` whose name/displayname/email contain `text` (principal-property-search). */
  search?(viewer: string, text: string): Promise<string[]>;
}

export interface Limits {
  /** Largest calendar/vCard object accepted (bytes), advertised as max-resource-size. */
  maxResourceSize: number;
  /** Largest request body of any kind (bytes). */
  maxBodySize: number;
  /** Largest number of hrefs in one multiget. */
  maxMultigetHrefs: number;
}

/** Result of validating an object body before it reaches a backend. */
export interface ValidatedObject {
  /** The text to store (possibly repaired). */
  text: string;
  uid?: string;
  componentType?: string;
  /** Media type to store when it is not the kind's default (CardDAV: SOGo lists, text/x-vlist). */
  contentType?: string;
  /** Calendar objects: the time index for backend narrowing (PutInput.timeIndex). */
  timeIndex?: TimeIndex;
}

/**
 * Validates (and may repair) an object body for a collection; throws DavError with the precondition.
 * `existing` is the object being replaced, if any (RFC 4791 §5.3.2.1: its UID must not change).
 */
export type ObjectValidator = (
  ctx: DavContext,
  text: string,
  collection: CollectionInfo,
  existing?: { href: string; body: Uint8Array },
) => ValidatedObject;

/** Extension points the protocol modules (CalDAV, CardDAV) plug into the WebDAV core. */
export interface CoreHooks {
  validators: Partial<Record<CollectionKind, ObjectValidator>>;
  /** Content type stored for objects of each kind. */
  contentTypes: Partial<Record<CollectionKind, string>>;
  /** Refuses a request Content-Type the kind cannot store (403 with the kind's precondition). */
  contentTypeChecks?: Partial<Record<CollectionKind, (contentType: string | undefined) => void>>;
  /** Parses an MKCALENDAR body (RFC 4791 §5.3.1) into a collection patch. */
  parseMkcalendar?: (ctx: DavContext, body: XmlElement | undefined) => CollectionPatch;
  /** Precondition element for a UID conflict in each kind (no-uid-conflict in CalDAV/CardDAV). */
  uidConflict?: Partial<Record<CollectionKind, (href: string) => Error>>;
  /**
   * The representation of an object a GET asks for (CardDAV: vCard version and group flavour from
   * Accept and the client profile); undefined serves the stored bytes. The ETag stays the stored
   * one: the conversion is a function of the stored bytes and the request.
   */
  represent?: Partial<
    Record<
      CollectionKind,
      (ctx: DavContext, res: ObjectResource, object: StoredObject) => Promise<Represented | undefined>
    >
  >;
  /**
   * The last step of a GET representation, after the client's payloadOut hooks: removes what the
   * gateway keeps for one client only (CalDAV: X-DAVGATE- annotations). Returns undefined when the
   * body needs nothing (checked on the bytes: this runs on every GET).
   */
  finish?: Partial<Record<CollectionKind, (body: Uint8Array) => Uint8Array | undefined>>;
}

/** A converted representation of a stored object (CoreHooks.represent). */
export interface Represented {
  body: string;
  contentType: string;
}

export interface DavContext {
  hooks: CoreHooks;
  /** Authenticated user name. */
  user: string;
  hrefs: Hrefs;
  backends: BackendRouter;
  users: UserDirectory;
  state: StateStore;
  props: PropertyRegistry;
  reports: ReportRegistry;
  limits: Limits;
  log: Logger;
  /** Active quirk profiles (in order) and their merged options. */
  quirks: QuirkProfile[];
  quirkOptions: QuirkOptions;
  /**
   * Per kind, the key of the representation this client gets when its profiles convert objects of
   * that kind (src/quirks/representation.ts); its ETags are `<stored>-<key>` (src/dav/representation.ts).
   */
  representationKeys?: Partial<Record<CollectionKind, string>>;
  /** Request facts already parsed from headers. */
  depth: Depth | undefined;
  /** RFC 7240 Prefer: return=minimal (or legacy Brief: t). */
  preferMinimal: boolean;
  requestHeaders: Headers;
  method: string;
}
