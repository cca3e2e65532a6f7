// In-memory reference adapter for the backend port (DESIGN.md §Central interfaces 1): every optional
// capability, used by protocol tests and as the executable definition of the port's semantics.
// All checks and the write happen synchronously inside one call, so every write is atomic.
import { contentEtag } from '../../src/backend/etag.ts';
import { type Backend, BackendError, type BackendQuery, type CollectionAdmin } from '../../src/backend/port.ts';
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
  TimeIndex,
  TimeSpan,
  WritePreconditions,
} from '../../src/backend/types.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';
import { ChangeLog } from './change-log.ts';
import { applyCollectionPatch } from './collection-patch.ts';
import { spanMatches } from './time-spans.ts';

export interface MemoryBackendOptions {
  /** Backend mount id (default 'memory'). */
  id?: string;
  /** Native change feed (`changesSince`, `currentToken`); false leaves both absent so the core uses snapshot sync. Default true. */
  changeFeed?: boolean;
  /** Refuse every write (BackendError 'forbidden') and offer no `admin`. Seed helpers still work. Default false. */
  readonly?: boolean;
  /** Change-log entries retained per collection; tokens older than the retained window are invalid. Default 10 000. */
  maxLogEntries?: number;
  /** Clock for lastModified (tests). */
  now?: () => Date;
}

interface Entry extends StoredObject {
  uid?: string;
  componentType?: string;
  timeIndex?: TimeIndex;
  /** Seq of the last change, for ordering the initial sync. */
  seq: number;
}

interface Collection {
  info: CollectionInfo;
  objects: Map<string, Entry>;
  /** UID → object name (no-uid-conflict, RFC 4791 §5.3.2.1 / RFC 6352 §6.3.2.1). */
  uids: Map<string, string>;
  log: ChangeLog;
}

const keyOf = (ref: CollectionRef): string => `${ref.owner}\u0000${ref.home}\u0000${ref.id}`;
const validId = (id: string): boolean => id !== '' && id.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
const validName = (name: string): boolean => name !== '' && !name.includes('/') && name !== '.' && name !== '..';

function cloneObject(e: Entry): StoredObject {
  const { name, etag, contentType, lastModified, deadProps } = e;
  return {
    name,
    etag,
    body: e.body.slice(),
    contentType,
    lastModified: new Date(lastModified),
    deadProps: structuredClone(deadProps),
  };
}

export class MemoryBackend implements Backend {
  readonly id: string;
  readonly readonly: boolean;
  declare changesSince?: (ref: CollectionRef, since: string | null) => Promise<ChangeSet | 'invalid-token'>;
  declare currentToken?: (ref: CollectionRef) => Promise<string>;
  declare admin?: CollectionAdmin;

  readonly #collections = new Map<string, Collection>();
  readonly #maxLog: number;
  readonly #now: () => Date;
  /** One counter for all collections: seqs are unique backend-wide, hence never reused after re-creation. */
  #clock = 0;

  constructor(options: MemoryBackendOptions = {}) {
    this.id = options.id ?? 'memory';
    this.readonly = options.readonly ?? false;
    this.#maxLog = options.maxLogEntries ?? 10_000;
    this.#now = options.now ?? (() => new Date());
    if (options.changeFeed ?? true) {
      this.changesSince = async (ref, since) => {
        const c = this.#get(ref);
        return c.log.changesSince(since, c.objects.values());
      };
      this.currentToken = async (ref) => String(this.#get(ref).log.seq);
    }
    if (!this.readonly) {
      this.admin = {
        createCollection: async (ref, kind, patch) => this.#create(ref, kind, patch, false),
        updateCollection: async (ref, patch) => this.#update(ref, patch),
        deleteCollection: async (ref) => this.#deleteCollection(ref),
      };
    }
  }

  /** Test setup: creates a collection even on a read-only backend; `readonly` marks the collection itself. */
  async seedCollection(
    ref: CollectionRef,
    kind: CollectionKind,
    patch: CollectionPatch = {},
    readonly = false,
  ): Promise<CollectionInfo> {
    return this.#create(ref, kind, patch, readonly);
  }

  /** Test setup: stores an object bypassing read-only flags (preconditions and UID checks still apply). */
  async seedObject(ref: CollectionRef, name: string, input: PutInput): Promise<PutResult> {
    return this.#put(this.#get(ref), name, input, {});
  }

  async listCollections(owner: string, home: HomeKind): Promise<CollectionInfo[]> {
    return [...this.#collections.values()]
      .filter((c) => c.info.ref.owner === owner && c.info.ref.home === home)
      .map((c) => structuredClone(c.info))
      .sort((a, b) => (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0));
  }

  async getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined> {
    const c = this.#collections.get(keyOf(ref));
    return c && structuredClone(c.info);
  }

  async *listObjects(ref: CollectionRef): AsyncIterable<ObjectRef> {
    const snapshot = [...this.#get(ref).objects.values()].map(({ name, etag }) => ({ name, etag }));
    yield* snapshot;
  }

  async getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]> {
    const c = this.#get(ref);
    const out: StoredObject[] = [];
    for (const name of new Set(names)) {
      const e = c.objects.get(name);
      if (e) out.push(cloneObject(e));
    }
    return out;
  }

  async putObject(ref: CollectionRef, name: string, input: PutInput, pre: WritePreconditions): Promise<PutResult> {
    return this.#put(this.#writable(ref), name, input, pre);
  }

  async deleteObject(ref: CollectionRef, name: string, pre: WritePreconditions): Promise<void> {
    const c = this.#writable(ref);
    const cur = c.objects.get(name);
    // RFC 9110 §13.2.1: a request that would be 404 without preconditions is 404 with them.
    if (!cur) throw new BackendError('not-found', `no object ${name}`);
    if (pre.ifNoneMatchAny || (pre.ifMatch !== undefined && pre.ifMatch !== cur.etag)) {
      throw new BackendError('precondition-failed', `precondition failed for ${name}`);
    }
    c.objects.delete(name);
    if (cur.uid !== undefined && c.uids.get(cur.uid) === name) c.uids.delete(cur.uid);
    c.log.record(++this.#clock, name, undefined);
  }

  /**
   * Calendar queries narrow by component type and, with a time range, by the stored TimeIndex (a linear
   * scan: this is the reference adapter, not a fast one). Objects the index cannot answer are `unsure`.
   */
  async query(ref: CollectionRef, q: BackendQuery): Promise<QueryResult> {
    const all = [...this.#get(ref).objects.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (q.kind !== 'calendar' || !q.component) return { items: all.map(cloneObject), exact: false };
    const comp = q.component.toUpperCase();
    const typed = all.filter((e) => e.componentType === undefined || e.componentType === comp);
    if (!q.timeRange) {
      const unsure = typed.filter((e) => e.componentType === undefined).map((e) => e.name);
      return { items: typed.map(cloneObject), exact: true, unsure };
    }
    const qs = q.timeRange.start?.getTime();
    const qe = q.timeRange.end?.getTime();
    const items: StoredObject[] = [];
    const unsure: string[] = [];
    const spans: Record<string, TimeSpan[]> = {};
    for (const e of typed) {
      const ti = e.timeIndex;
      const hits = ti ? ti.spans.filter((s) => spanMatches(s, qs, qe)) : [];
      const incomplete = !ti || (ti.completeUntil !== undefined && (qe === undefined || ti.completeUntil <= qe));
      if (hits.length === 0 && !incomplete) continue;
      items.push(cloneObject(e));
      // An index cut before the range end (completeUntil) lacks the instances after the cut: its hits
      // prove a match but its spans are not all of them, so the core evaluates the body.
      if (hits.length > 0 && ti?.exact && !incomplete && e.componentType !== undefined) {
        if (q.spans) spans[e.name] = structuredClone(hits);
      } else unsure.push(e.name);
    }
    const result: QueryResult = { items, exact: true, unsure };
    if (q.spans) result.spans = spans;
    return result;
  }

  async busySpans(ref: CollectionRef, range: { start: Date; end: Date }): Promise<BusyResult> {
    const qs = range.start.getTime();
    const qe = range.end.getTime();
    const spans: TimeSpan[] = [];
    const unsure: string[] = [];
    for (const e of this.#get(ref).objects.values()) {
      if (e.componentType !== undefined && e.componentType !== 'VEVENT' && e.componentType !== 'VFREEBUSY') continue;
      const ti = e.timeIndex;
      const overlapping = ti ? ti.spans.filter((s) => spanMatches({ ...s, busyOnly: false }, qs, qe)) : [];
      const incomplete = !ti || (ti.completeUntil !== undefined && ti.completeUntil <= qe);
      if (incomplete || (!ti.exact && overlapping.length > 0)) unsure.push(e.name);
      else if (ti.exact) spans.push(...structuredClone(overlapping.filter((s) => s.busy)));
    }
    return { spans, unsure: unsure.sort() };
  }

  async findByUid(ref: CollectionRef, uid: string): Promise<string | undefined> {
    return this.#get(ref).uids.get(uid);
  }

  async patchObjectProps(ref: CollectionRef, name: string, props: Record<string, XmlElement | null>): Promise<void> {
    const c = this.#writable(ref);
    const e = c.objects.get(name);
    if (!e) throw new BackendError('not-found', `no object ${name}`);
    const next = structuredClone(e.deadProps);
    for (const [k, v] of Object.entries(props)) {
      if (v === null) delete next[k];
      else next[k] = structuredClone(v);
    }
    e.deadProps = next;
    // RFC 6578 §3.5: a property change is a change of the member; the etag (content) stays.
    e.seq = ++this.#clock;
    c.log.record(e.seq, name, e.etag);
  }

  #get(ref: CollectionRef): Collection {
    const c = this.#collections.get(keyOf(ref));
    if (!c) throw new BackendError('not-found', `no collection ${ref.owner}/${ref.home}/${ref.id}`);
    return c;
  }

  #writable(ref: CollectionRef): Collection {
    if (this.readonly) throw new BackendError('forbidden', `backend ${this.id} is read-only`);
    const c = this.#get(ref);
    if (c.info.readonly) throw new BackendError('forbidden', `collection ${ref.id} is read-only`);
    return c;
  }

  #put(c: Collection, name: string, input: PutInput, pre: WritePreconditions): PutResult {
    if (!validName(name)) throw new BackendError('forbidden', `invalid object name ${JSON.stringify(name)}`);
    const cur = c.objects.get(name);
    if (pre.ifNoneMatchAny && cur) throw new BackendError('precondition-failed', `${name} exists`);
    if (pre.ifMatch !== undefined && cur?.etag !== pre.ifMatch) {
      throw new BackendError('precondition-failed', `etag of ${name} does not match`);
    }
    const holder = input.uid === undefined ? undefined : c.uids.get(input.uid);
    if (holder !== undefined && holder !== name) {
      throw new BackendError('conflict', `UID ${input.uid} is already used by ${holder}`, holder);
    }
    if (cur?.uid !== undefined && c.uids.get(cur.uid) === name) c.uids.delete(cur.uid);
    if (input.uid !== undefined) c.uids.set(input.uid, name);
    const etag = contentEtag(input.body);
    const seq = ++this.#clock;
    c.objects.set(name, {
      name,
      etag,
      body: input.body.slice(),
      contentType: input.contentType,
      lastModified: this.#now(),
      deadProps: cur?.deadProps ?? {},
      uid: input.uid,
      componentType: input.componentType,
      timeIndex: input.timeIndex && structuredClone(input.timeIndex),
      seq,
    });
    c.log.record(seq, name, etag);
    return { etag, created: cur === undefined };
  }

  #create(ref: CollectionRef, kind: CollectionKind, patch: CollectionPatch, readonly: boolean): CollectionInfo {
    if (!validId(ref.id)) throw new BackendError('forbidden', `invalid collection id ${JSON.stringify(ref.id)}`);
    const key = keyOf(ref);
    if (this.#collections.has(key)) throw new BackendError('exists', `collection ${ref.id} exists`);
    const slash = ref.id.lastIndexOf('/');
    if (slash > 0) {
      // RFC 4918 §9.3.1: missing intermediate collection → 409; RFC 4791 §5.3.1 / RFC 6352 §5.2: no
      // collections inside calendars or address books → 403.
      const parent = this.#collections.get(keyOf({ ...ref, id: ref.id.slice(0, slash) }));
      if (!parent) throw new BackendError('conflict', `parent of ${ref.id} does not exist`);
      if (parent.info.kind !== 'plain')
        throw new BackendError('forbidden', `parent of ${ref.id} is a ${parent.info.kind}`);
    }
    const base: CollectionInfo = { ref: { ...ref }, kind, deadProps: {} };
    if (readonly) base.readonly = true;
    const info = applyCollectionPatch(base, patch);
    this.#collections.set(key, {
      info,
      objects: new Map(),
      uids: new Map(),
      log: new ChangeLog(++this.#clock, this.#maxLog),
    });
    return structuredClone(info);
  }

  #update(ref: CollectionRef, patch: CollectionPatch): CollectionInfo {
    const c = this.#get(ref);
    if (c.info.readonly) throw new BackendError('forbidden', `collection ${ref.id} is read-only`);
    c.info = applyCollectionPatch(c.info, patch);
    return structuredClone(c.info);
  }

  #deleteCollection(ref: CollectionRef): void {
    const c = this.#get(ref);
    if (c.info.readonly) throw new BackendError('forbidden', `collection ${ref.id} is read-only`);
    const prefix = `${ref.id}/`;
    for (const [key, other] of this.#collections) {
      const r = other.info.ref;
      if (r.owner === ref.owner && r.home === ref.home && (r.id === ref.id || r.id.startsWith(prefix))) {
        this.#collections.delete(key);
      }
    }
  }
}
