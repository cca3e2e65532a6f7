// The sabredav schema profile (issue 5): davgate in front of an existing SabreDAV PDO / Baïkal database, on
// SQLite, PostgreSQL or MySQL/MariaDB, with no migration. Homes are principals/<user>; calendars are
// calendarinstances ⋈ calendars; address books are addressbooks; objects live in calendarobjects and cards;
// the change feed continues SabreDAV's own synctoken counters and change rows; dead properties live in
// propertystorage as SabreDAV's PropertyStorage plugin keeps them. See docs/sabredav.md.
import type { Backend, BackendQuery } from '../../../src/backend/port.ts';
import { BackendError } from '../../../src/backend/port.ts';
import type {
  ChangeSet,
  CollectionInfo,
  CollectionRef,
  HomeKind,
  ObjectRef,
  PutInput,
  PutResult,
  QueryResult,
  StoredObject,
  WritePreconditions,
} from '../../../src/backend/types.ts';
import type { XmlElement } from '../../../src/dav/xml/tree.ts';
import type { AnyDb, SqlConnection } from '../query/connect.ts';
import { mapDriverError } from '../query/errors.ts';
import { getInfo, listInfos, SabreCollectionAdmin } from './collections.ts';
import { adoptSabreToken, changesAfter, tokenOf } from './feed.ts';
import { type Handle, resolve, type SabreCtx } from './handles.ts';
import { deleteRow, getStored, listRefs, putRow, uidHolder } from './objects.ts';
import { writeProps } from './props.ts';
import { narrowedNames } from './query.ts';

export interface SabredavOptions {
  /** Backend mount id (used in gateway sync tokens). Default 'sabredav'. */
  id?: string;
  /** Digest realm of the users table (Baïkal: 'BaikalDAV', plain SabreDAV: 'SabreDAV'). Default 'BaikalDAV'. */
  realm?: string;
  /**
   * The zone SabreDAV's PHP resolves floating times and all-day events in (date.timezone; Baïkal's configured
   * time zone), for firstoccurence/lastoccurence and MAX_DATE. Default 'UTC'.
   */
  timezone?: string;
  /** Principal URI prefix. Default 'principals/'. */
  principalPrefix?: string;
}

export type SabredavBackend = Backend & {
  readonly admin: SabreCollectionAdmin;
  /** Digest realm the users table was written for. */
  readonly realm: string;
};

class Sabredav implements SabredavBackend {
  readonly id: string;
  readonly realm: string;
  readonly admin: SabreCollectionAdmin;
  readonly #ctx: SabreCtx;

  constructor(conn: SqlConnection, opts: SabredavOptions) {
    this.id = opts.id ?? 'sabredav';
    this.realm = opts.realm ?? 'BaikalDAV';
    this.#ctx = { conn, principalPrefix: opts.principalPrefix ?? 'principals/', zone: opts.timezone ?? 'UTC' };
    this.admin = new SabreCollectionAdmin(
      this.#ctx,
      (fn) => this.#tx(fn),
      (ref) => this.getCollection(ref),
    );
  }

  /** One statement group outside a transaction; driver outages become BackendError('unavailable'). */
  async #read<T>(fn: (db: AnyDb) => Promise<T>): Promise<T> {
    try {
      return await fn(this.#ctx.conn.db);
    } catch (err) {
      mapDriverError(err, this.#ctx.conn.dialect);
    }
  }

  async #tx<T>(fn: (db: AnyDb) => Promise<T>): Promise<T> {
    try {
      return await this.#ctx.conn.db.transaction().execute((trx) => fn(trx));
    } catch (err) {
      mapDriverError(err, this.#ctx.conn.dialect);
    }
  }

  async #handle(db: AnyDb, ref: CollectionRef, lock = false): Promise<Handle> {
    const h = await resolve(db, this.#ctx, ref, lock);
    if (!h) throw new BackendError('not-found', `no collection ${ref.home}/${ref.owner}/${ref.id}`);
    return h;
  }

  listCollections(owner: string, home: HomeKind): Promise<CollectionInfo[]> {
    return this.#read((db) => listInfos(db, this.#ctx, owner, home));
  }

  getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined> {
    return this.#read((db) => getInfo(db, this.#ctx, ref));
  }

  async *listObjects(ref: CollectionRef): AsyncIterable<ObjectRef> {
    const refs = await this.#read(async (db) => listRefs(db, await this.#handle(db, ref)));
    yield* refs;
  }

  getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]> {
    return this.#read(async (db) => {
      const h = await this.#handle(db, ref);
      return names.length ? getStored(db, h, names) : [];
    });
  }

  putObject(ref: CollectionRef, name: string, input: PutInput, pre: WritePreconditions): Promise<PutResult> {
    return this.#tx(async (db) => putRow(this.#ctx, db, await this.#handle(db, ref, true), name, input, pre));
  }

  deleteObject(ref: CollectionRef, name: string, pre: WritePreconditions): Promise<void> {
    return this.#tx(async (db) => deleteRow(this.#ctx, db, await this.#handle(db, ref, true), name, pre));
  }

  /**
   * Narrows like SabreDAV's calendarQuery: by componenttype and, for a time range, by
   * firstoccurence/lastoccurence (widened a day each way for floating times). Never exact: the core
   * re-applies the filter.
   */
  query(ref: CollectionRef, q: BackendQuery): Promise<QueryResult> {
    return this.#read(async (db) => {
      const h = await this.#handle(db, ref);
      const names = h.kind === 'calendar' ? await narrowedNames(db, h, q) : undefined;
      const items = await getStored(db, h, names ?? (await listRefs(db, h)).map((o) => o.name));
      items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { items, exact: false };
    });
  }

  changesSince(ref: CollectionRef, since: string | null): Promise<ChangeSet | 'invalid-token'> {
    return this.#read(async (db) => changesAfter(db, await this.#handle(db, ref), since));
  }

  /** A client that synced against Baïkal/SabreDAV continues from its `http://sabre.io/ns/sync/<N>` token. */
  adoptToken(ref: CollectionRef, token: string): Promise<string | undefined> {
    return this.#read(async (db) => {
      const h = await resolve(db, this.#ctx, ref);
      return h && adoptSabreToken(h, token);
    });
  }

  currentToken(ref: CollectionRef): Promise<string> {
    return this.#read(async (db) => tokenOf(db, await this.#handle(db, ref)));
  }

  findByUid(ref: CollectionRef, uid: string): Promise<string | undefined> {
    return this.#read(async (db) => uidHolder(db, await this.#handle(db, ref), uid));
  }

  /** Dead properties of an object in propertystorage (SabreDAV's PropertyStorage plugin does the same). */
  patchObjectProps(ref: CollectionRef, name: string, props: Record<string, XmlElement | null>): Promise<void> {
    return this.#tx(async (db) => {
      const h = await this.#handle(db, ref, true);
      if ((await getStored(db, h, [name], false)).length === 0)
        throw new BackendError('not-found', `no object ${name}`);
      await writeProps(db, this.#ctx.conn.dialect, `${h.path}/${name}`, props);
    });
  }
}

/** The sabredav profile's backend on an open connection to a database that already has SabreDAV's schema. */
export async function createSabredavBackend(conn: SqlConnection, opts: SabredavOptions = {}): Promise<SabredavBackend> {
  return new Sabredav(conn, opts);
}
