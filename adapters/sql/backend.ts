// The native SQL backend (the project's own schema) on SQLite — the embedded default —, PostgreSQL and
// MySQL/MariaDB. Implements the whole port: required members plus query, changesSince, currentToken,
// findByUid, patchObjectProps and admin. Every write is one transaction whose row write carries its own
// precondition (objects.ts) and which takes the change counter last (changes.ts; SQLite: BEGIN IMMEDIATE
// locks the file); multi-statement reads see one snapshot; single-statement reads (GET, listing, initial and
// delta sync) run without a transaction.
import { type Backend, BackendError, type BackendQuery } from '../../src/backend/port.ts';
import type {
  BusyResult,
  ChangeSet,
  CollectionInfo,
  CollectionRef,
  HomeKind,
  ObjectRef,
  PutInput,
  PutResult,
  QueryResult,
  StoredObject,
  TimeSpan,
  WritePreconditions,
} from '../../src/backend/types.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';
import { DELTA, deltaFrom, type PruneOptions, parseToken, pruneChanges } from './changes.ts';
import { getInfo, listInfos, requireHandle, SqlCollectionAdmin, toHandle, toInfo } from './collections.ts';
import { deleteRow, OBJECT_COLUMNS, patchProps, putRow, selectByNames, toStored } from './objects.ts';
import { updateKeepingUid } from './pg-update.ts';
import type { SqlExec } from './query/exec.ts';
import { busyByTime, rangeBounds, selectByTime } from './time-index.ts';

const notFound = (ref: CollectionRef) =>
  new BackendError('not-found', `no collection ${ref.owner}/${ref.home}/${ref.id}`);

const BY_REF = 'c.owner = ? AND c.home = ? AND c.id = ?';
const LIST = `SELECT o.name, o.etag FROM collections c LEFT JOIN objects o ON o.collection = c.cid
  WHERE ${BY_REF} ORDER BY o.name`;
const INITIAL = `SELECT c.cid, c.kind, c.synctoken, c.min_token, o.name, o.etag FROM collections c
  LEFT JOIN objects o ON o.collection = c.cid WHERE ${BY_REF} ORDER BY o.name`;
const GET_ONE = `SELECT o.name, o.etag, o.body, o.content_type, o.last_modified, o.dead_props
  FROM collections c JOIN objects o ON o.collection = c.cid AND o.name = ? WHERE ${BY_REF}`;

/** The collection, one object in it (LEFT JOIN: absent name → NULLs) and whether `<id>/<name>` is a collection. */
const COLLECTION_OBJECT = `SELECT c.owner, c.home, c.id, c.kind, c.display_name, c.description, c.components, c.timezone,
  c.color, c.sort_order, c.dead_props AS c_dead_props,
  o.name, o.etag, o.body, o.content_type, o.last_modified, o.dead_props,
  CASE WHEN o.name IS NULL THEN (SELECT 1 FROM collections k WHERE k.owner = c.owner AND k.home = c.home AND k.id = ?) END AS child
  FROM collections c LEFT JOIN objects o ON o.collection = c.cid AND o.name = ? WHERE ${BY_REF}`;

/**
 * PostgreSQL: the collection as a subquery, so even a generic plan cached while the tables were small looks
 * the object up by its whole (collection, name) key (not by name across every collection, then filtered).
 */
const CID_PG = '(SELECT x.cid FROM collections x WHERE x.owner = ? AND x.home = ? AND x.id = ?)';
const COLLECTION_OBJECT_PG = `SELECT c.owner, c.home, c.id, c.kind, c.display_name, c.description, c.components, c.timezone,
  c.color, c.sort_order, c.dead_props AS c_dead_props,
  o.name, o.etag, o.body, o.content_type, o.last_modified, o.dead_props,
  CASE WHEN o.name IS NULL THEN (SELECT 1 FROM collections k WHERE k.owner = c.owner AND k.home = c.home AND k.id = ?) END AS child
  FROM collections c LEFT JOIN objects o ON o.collection = ${CID_PG} AND o.name = ? WHERE ${BY_REF}`;
const GET_ONE_PG = `SELECT o.name, o.etag, o.body, o.content_type, o.last_modified, o.dead_props
  FROM objects o WHERE o.collection = ${CID_PG} AND o.name = ?`;

export interface SqlBackendOptions {
  /** Backend mount id (DESIGN.md: used in gateway sync tokens). Default 'sql'. */
  id?: string;
}

export class SqlBackend implements Backend {
  readonly id: string;
  readonly admin: SqlCollectionAdmin;
  readonly #sql: SqlExec;

  constructor(sql: SqlExec, options: SqlBackendOptions = {}) {
    this.#sql = sql;
    this.id = options.id ?? 'sql';
    this.admin = new SqlCollectionAdmin(this.#sql);
  }

  async listCollections(owner: string, home: HomeKind): Promise<CollectionInfo[]> {
    // Single statements are consistent on their own; no transaction round trip needed.
    return listInfos(this.#sql, owner, home);
  }

  async getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined> {
    return getInfo(this.#sql, ref);
  }

  /**
   * Names and etags only (no bodies), in one statement: cheap even for thousands of objects. The
   * collection row comes along (LEFT JOIN) so a missing collection (no row) differs from an empty one.
   */
  async *listObjects(ref: CollectionRef): AsyncIterable<ObjectRef> {
    const rows = await this.#sql.all(LIST, [ref.owner, ref.home, ref.id]);
    if (rows.length === 0) throw notFound(ref);
    for (const r of rows) if (r.name != null) yield { name: String(r.name), etag: String(r.etag) };
  }

  async getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]> {
    const sql = this.#sql;
    if (names.length === 1) {
      // One name (GET, resolution): one joined point lookup; only a miss asks whether the collection exists.
      const row =
        sql.dialect === 'postgres'
          ? await sql.get(GET_ONE_PG, [ref.owner, ref.home, ref.id, names[0]])
          : await sql.get(GET_ONE, [names[0], ref.owner, ref.home, ref.id]);
      if (row) return [toStored(row)];
      await requireHandle(sql, ref);
      return [];
    }
    return sql.read(async (q) => selectByNames(q, (await requireHandle(q, ref)).cid, names));
  }

  /** Resolution of an object path in one statement (GET, PUT, DELETE, PROPFIND of an object). */
  async getCollectionObject(ref: CollectionRef, name: string) {
    const child = `${ref.id}/${name}`;
    const row =
      this.#sql.dialect === 'postgres'
        ? await this.#sql.get(COLLECTION_OBJECT_PG, [
            child,
            ref.owner,
            ref.home,
            ref.id,
            name,
            ref.owner,
            ref.home,
            ref.id,
          ])
        : await this.#sql.get(COLLECTION_OBJECT, [child, name, ref.owner, ref.home, ref.id]);
    if (!row) return undefined;
    const collection = toInfo(row, 'c_dead_props');
    if (row.name == null) return { collection, childCollection: row.child != null };
    return { collection, object: toStored(row), childCollection: false };
  }

  async putObject(ref: CollectionRef, name: string, input: PutInput, pre: WritePreconditions): Promise<PutResult> {
    if (this.#sql.dialect === 'postgres' && pre.ifMatch !== undefined && input.timeIndex === undefined) {
      // The common update of a syncing client: one round trip (pg-update.ts).
      const done = await updateKeepingUid(this.#sql, ref, name, input, pre.ifMatch);
      if (done) return done;
    }
    return this.#sql.write(async (q) => putRow(q, await requireHandle(q, ref), name, input, pre));
  }

  async deleteObject(ref: CollectionRef, name: string, pre: WritePreconditions): Promise<void> {
    await this.#sql.write(async (q) => deleteRow(q, await requireHandle(q, ref), name, pre));
  }

  /**
   * Narrows calendar queries by component type and, with a time range, by the stored time index
   * (time-index.ts): objects whose spans decide the range are exact; the rest are `unsure`.
   */
  async query(ref: CollectionRef, q: BackendQuery): Promise<QueryResult> {
    return this.#sql.read(async (tx) => {
      const h = await requireHandle(tx, ref);
      const cols = OBJECT_COLUMNS;
      if (q.kind === 'calendar' && q.component && q.timeRange) {
        const { qs, qe } = rangeBounds(q.timeRange);
        const { rows, sure, spans } = await selectByTime(
          tx,
          h.cid,
          q.component.toUpperCase(),
          qs,
          qe,
          q.noBodies,
          q.spans,
        );
        const items: StoredObject[] = [];
        const unsure: string[] = [];
        for (const r of rows) {
          const o = toStored(r);
          items.push(o);
          if (!sure.has(o.name)) unsure.push(o.name);
        }
        const result: QueryResult = { items, exact: true, unsure };
        if (q.spans) {
          // Null prototype: object names are keys (`__proto__` is a valid name).
          const byName: Record<string, TimeSpan[]> = Object.create(null);
          for (const n of sure) {
            const s = spans.get(n);
            if (s) byName[n] = s;
          }
          result.spans = byName;
        }
        return result;
      }
      if (q.kind === 'calendar' && q.component) {
        const rows = await tx.all(
          `SELECT ${cols}, component_type FROM objects WHERE collection = ? AND (component_type = ? OR component_type IS NULL) ORDER BY name`,
          [h.cid, q.component.toUpperCase()],
        );
        const unsure = rows.filter((r) => r.component_type === null).map((r) => String(r.name));
        return { items: rows.map(toStored), exact: true, unsure };
      }
      const rows = await tx.all(`SELECT ${cols} FROM objects WHERE collection = ? ORDER BY name`, [h.cid]);
      return { items: rows.map(toStored), exact: false };
    });
  }

  /** Busy time from the stored time index (RFC 4791 §7.10), plus the objects it cannot answer. */
  async busySpans(ref: CollectionRef, range: { start: Date; end: Date }): Promise<BusyResult> {
    return this.#sql.read(async (q) => {
      const h = await requireHandle(q, ref);
      const { qs, qe } = rangeBounds(range);
      return busyByTime(q, h.cid, qs, qe);
    });
  }

  /**
   * Token = the collection's latest change seq in decimal. null → every current object. A token that is not a
   * decimal seq, lies in the future, or predates the pruned log → 'invalid-token'.
   */
  async changesSince(ref: CollectionRef, since: string | null): Promise<ChangeSet | 'invalid-token'> {
    if (since === null) {
      // Initial sync: one statement gives the token and every name and etag consistently.
      const rows = await this.#sql.all(INITIAL, [ref.owner, ref.home, ref.id]);
      if (rows.length === 0) throw notFound(ref);
      const changed: ObjectRef[] = [];
      for (const r of rows) if (r.name != null) changed.push({ name: String(r.name), etag: String(r.etag) });
      return { token: String(toHandle(rows[0]).synctoken), changed, deleted: [] };
    }
    const from = parseToken(since);
    if (from === undefined) {
      await requireHandle(this.#sql, ref); // a missing collection is not-found, whatever the token
      return 'invalid-token';
    }
    // One statement: the no-change sync is a single round trip.
    const rows = await this.#sql.all(DELTA, [from, ref.owner, ref.home, ref.id]);
    if (rows.length === 0) throw notFound(ref);
    return deltaFrom(rows, from);
  }

  async currentToken(ref: CollectionRef): Promise<string> {
    return String((await requireHandle(this.#sql, ref)).synctoken);
  }

  async findByUid(ref: CollectionRef, uid: string): Promise<string | undefined> {
    return this.#sql.read(async (q) => {
      const h = await requireHandle(q, ref);
      const row = await q.get('SELECT name FROM objects WHERE collection = ? AND uid = ? LIMIT 1', [h.cid, uid]);
      return row ? String(row.name) : undefined;
    });
  }

  async patchObjectProps(ref: CollectionRef, name: string, props: Record<string, XmlElement | null>): Promise<void> {
    await this.#sql.write(async (q) => patchProps(q, await requireHandle(q, ref), name, props));
  }

  /**
   * Maintenance: drops change-log rows allowed by every given criterion. Clients whose token predates the
   * pruned range get 'invalid-token' and resync. Returns the number of rows removed.
   */
  async pruneChanges(opts: PruneOptions): Promise<number> {
    return this.#sql.write((q) => pruneChanges(q, opts));
  }
}
