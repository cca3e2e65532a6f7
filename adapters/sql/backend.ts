// The native SQL backend on SQLite (node:sqlite), the embedded default store. Implements the whole port:
// required members plus query, changesSince, currentToken, findByUid, patchObjectProps and admin.
// Every write is one BEGIN IMMEDIATE transaction; every multi-statement read sees one snapshot.
import type { DatabaseSync } from 'node:sqlite';
import type { Backend, BackendQuery } from '../../src/backend/port.ts';
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
  WritePreconditions,
} from '../../src/backend/types.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';
import { changesAfter, type PruneOptions, pruneChanges } from './changes.ts';
import { getInfo, listInfos, requireHandle, SqlCollectionAdmin } from './collections.ts';
import { SqlDb } from './db.ts';
import { deleteRow, patchProps, putRow, selectByNames, selectOne, toStored } from './objects.ts';
import { busyByTime, rangeBounds, selectByTime } from './time-index.ts';

export interface SqlBackendOptions {
  /** Backend mount id (DESIGN.md: used in gateway sync tokens). Default 'sql'. */
  id?: string;
}

export class SqlBackend implements Backend {
  readonly id: string;
  readonly admin: SqlCollectionAdmin;
  readonly #sql: SqlDb;

  constructor(db: DatabaseSync | SqlDb, options: SqlBackendOptions = {}) {
    this.#sql = db instanceof SqlDb ? db : new SqlDb(db);
    this.id = options.id ?? 'sql';
    this.admin = new SqlCollectionAdmin(this.#sql);
  }

  async listCollections(owner: string, home: HomeKind): Promise<CollectionInfo[]> {
    // Single statements are consistent on their own; no transaction round trip needed.
    return this.#sql.once(() => listInfos(this.#sql, owner, home));
  }

  async getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined> {
    return this.#sql.once(() => getInfo(this.#sql, ref));
  }

  /** Names and etags only (no bodies), read in one statement: cheap even for thousands of objects. */
  async *listObjects(ref: CollectionRef): AsyncIterable<ObjectRef> {
    const sql = this.#sql;
    const rows = sql.read(() => {
      const h = requireHandle(sql, ref);
      return sql.stmt('SELECT name, etag FROM objects WHERE collection = ? ORDER BY name').all(h.cid);
    });
    for (const r of rows) yield { name: String(r.name), etag: String(r.etag) };
  }

  async getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]> {
    const sql = this.#sql;
    // One name (GET, resolution): two point lookups, no transaction needed for a consistent answer.
    if (names.length === 1) return sql.once(() => selectOne(sql, requireHandle(sql, ref).cid, names[0]));
    return sql.read(() => selectByNames(sql, requireHandle(sql, ref).cid, names));
  }

  async putObject(ref: CollectionRef, name: string, input: PutInput, pre: WritePreconditions): Promise<PutResult> {
    const sql = this.#sql;
    return sql.write(() => putRow(sql, requireHandle(sql, ref), name, input, pre));
  }

  async deleteObject(ref: CollectionRef, name: string, pre: WritePreconditions): Promise<void> {
    const sql = this.#sql;
    sql.write(() => deleteRow(sql, requireHandle(sql, ref), name, pre));
  }

  /**
   * Narrows calendar queries by component type and, with a time range, by the stored time index
   * (time-index.ts): objects whose spans decide the range are exact; the rest are `unsure`.
   */
  async query(ref: CollectionRef, q: BackendQuery): Promise<QueryResult> {
    const sql = this.#sql;
    return sql.read(() => {
      const h = requireHandle(sql, ref);
      const cols = 'name, etag, body, content_type, last_modified, dead_props';
      if (q.kind === 'calendar' && q.component && q.timeRange) {
        const { qs, qe } = rangeBounds(q.timeRange);
        const { rows, sure, spans } = selectByTime(sql, h.cid, q.component.toUpperCase(), qs, qe, q.noBodies, q.spans);
        const items = rows.map(toStored);
        const result: QueryResult = {
          items,
          exact: true,
          unsure: items.filter((o) => !sure.has(o.name)).map((o) => o.name),
        };
        if (q.spans) result.spans = Object.fromEntries([...sure].map((n) => [n, spans[n]]));
        return result;
      }
      if (q.kind === 'calendar' && q.component) {
        const rows = sql
          .stmt(
            `SELECT ${cols}, component_type FROM objects WHERE collection = ? AND (component_type = ? OR component_type IS NULL) ORDER BY name`,
          )
          .all(h.cid, q.component.toUpperCase());
        const unsure = rows.filter((r) => r.component_type === null).map((r) => String(r.name));
        return { items: rows.map(toStored), exact: true, unsure };
      }
      const rows = sql.stmt(`SELECT ${cols} FROM objects WHERE collection = ? ORDER BY name`).all(h.cid);
      return { items: rows.map(toStored), exact: false };
    });
  }

  /** Busy time from the stored time index (RFC 4791 §7.10), plus the objects it cannot answer. */
  async busySpans(ref: CollectionRef, range: { start: Date; end: Date }): Promise<BusyResult> {
    const sql = this.#sql;
    return sql.read(() => {
      const h = requireHandle(sql, ref);
      const { qs, qe } = rangeBounds(range);
      return busyByTime(sql, h.cid, qs, qe);
    });
  }

  /**
   * Token = the collection's latest change seq in decimal. null → every current object. A token that is not a
   * decimal seq, lies in the future, or predates the pruned log → 'invalid-token'.
   */
  async changesSince(ref: CollectionRef, since: string | null): Promise<ChangeSet | 'invalid-token'> {
    const sql = this.#sql;
    return sql.read(() => changesAfter(sql, requireHandle(sql, ref), since));
  }

  async currentToken(ref: CollectionRef): Promise<string> {
    const sql = this.#sql;
    return sql.read(() => String(requireHandle(sql, ref).synctoken));
  }

  async findByUid(ref: CollectionRef, uid: string): Promise<string | undefined> {
    const sql = this.#sql;
    return sql.read(() => {
      const h = requireHandle(sql, ref);
      const row = sql.stmt('SELECT name FROM objects WHERE collection = ? AND uid = ? LIMIT 1').get(h.cid, uid);
      return row ? String(row.name) : undefined;
    });
  }

  async patchObjectProps(ref: CollectionRef, name: string, props: Record<string, XmlElement | null>): Promise<void> {
    const sql = this.#sql;
    sql.write(() => patchProps(sql, requireHandle(sql, ref), name, props));
  }

  /**
   * Maintenance: drops change-log rows allowed by every given criterion. Clients whose token predates the
   * pruned range get 'invalid-token' and resync. Returns the number of rows removed.
   */
  async pruneChanges(opts: PruneOptions): Promise<number> {
    const sql = this.#sql;
    return sql.write(() => pruneChanges(sql, opts));
  }
}
