// Collections of the native SQLite store: row mapping, lookup and the admin capability
// (MKCOL / MKCALENDAR / extended MKCOL, PROPPATCH on collections, DELETE of collections).
import type { SQLOutputValue } from 'node:sqlite';
import { BackendError, type CollectionAdmin } from '../../src/backend/port.ts';
import type { CollectionInfo, CollectionKind, CollectionPatch, CollectionRef } from '../../src/backend/types.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';
import { parseJson, type SqlDb } from './db.ts';

type Row = Record<string, SQLOutputValue>;

const COLUMNS =
  'cid, owner, home, id, kind, display_name, description, components, timezone, color, sort_order, dead_props';

/** The row id and change-feed bounds of a collection, as write paths need them. */
export interface CollectionHandle {
  cid: number;
  kind: CollectionKind;
  synctoken: number;
  minToken: number;
}

export function toInfo(row: Row): CollectionInfo {
  const info: CollectionInfo = {
    ref: { owner: String(row.owner), home: row.home as CollectionRef['home'], id: String(row.id) },
    kind: row.kind as CollectionKind,
    deadProps: parseJson<Record<string, XmlElement>>(row.dead_props, {}),
  };
  if (row.display_name != null) info.displayName = String(row.display_name);
  if (row.description != null) info.description = String(row.description);
  if (row.components != null) info.components = parseJson<string[]>(row.components, []);
  if (row.timezone != null) info.timezone = String(row.timezone);
  if (row.color != null) info.color = String(row.color);
  if (row.sort_order != null) info.order = Number(row.sort_order);
  return info;
}

export function findHandle(sql: SqlDb, ref: CollectionRef): CollectionHandle | undefined {
  const row = sql
    .stmt('SELECT cid, kind, synctoken, min_token FROM collections WHERE owner = ? AND home = ? AND id = ?')
    .get(ref.owner, ref.home, ref.id);
  if (!row) return undefined;
  return {
    cid: Number(row.cid),
    kind: row.kind as CollectionKind,
    synctoken: Number(row.synctoken),
    minToken: Number(row.min_token),
  };
}

export function requireHandle(sql: SqlDb, ref: CollectionRef): CollectionHandle {
  const h = findHandle(sql, ref);
  if (!h) throw new BackendError('not-found', `no collection ${ref.owner}/${ref.home}/${ref.id}`);
  return h;
}

export function getInfo(sql: SqlDb, ref: CollectionRef): CollectionInfo | undefined {
  const row = sql
    .stmt(`SELECT ${COLUMNS} FROM collections WHERE owner = ? AND home = ? AND id = ?`)
    .get(ref.owner, ref.home, ref.id);
  return row ? toInfo(row) : undefined;
}

export function listInfos(sql: SqlDb, owner: string, home: CollectionRef['home']): CollectionInfo[] {
  return sql
    .stmt(`SELECT ${COLUMNS} FROM collections WHERE owner = ? AND home = ? ORDER BY sort_order IS NULL, sort_order, id`)
    .all(owner, home)
    .map(toInfo);
}

/** Collection ids are slash paths without empty, `.` or `..` segments. */
function checkId(id: string): void {
  const ok = id !== '' && id.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
  if (!ok) throw new BackendError('forbidden', `invalid collection id "${id}"`);
}

/** Home/kind pairs a collection may have: calendars live in the calendar home, address books in theirs. */
function checkKind(ref: CollectionRef, kind: CollectionKind): void {
  if (kind === 'calendar' && ref.home !== 'calendars')
    throw new BackendError('forbidden', 'calendar outside calendar home');
  if (kind === 'addressbook' && ref.home !== 'addressbooks') {
    throw new BackendError('forbidden', 'address book outside address book home');
  }
}

/**
 * A fresh seq from the global counter: the starting token of a new collection. Being unused, it is above
 * every token a client may hold for an earlier collection of the same id, and those become invalid.
 */
export function nextSeq(sql: SqlDb): number {
  return Number(sql.stmt('UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value').get()?.value);
}

function mergeDeadProps(current: Record<string, XmlElement>, patch: CollectionPatch['deadProps']) {
  const next = { ...current };
  for (const [name, value] of Object.entries(patch ?? {})) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}

/** Applies a patch to a CollectionInfo in memory; the caller writes the result in one UPDATE. */
function applyPatch(info: CollectionInfo, patch: CollectionPatch): CollectionInfo {
  const next: CollectionInfo = { ...info, deadProps: mergeDeadProps(info.deadProps, patch.deadProps) };
  const set = <K extends 'displayName' | 'description' | 'components' | 'timezone' | 'color' | 'order'>(key: K) => {
    const v = patch[key];
    if (v === undefined) return;
    if (v === null) delete next[key];
    else next[key] = v as CollectionInfo[K];
  };
  set('displayName');
  set('description');
  set('components');
  set('timezone');
  set('color');
  set('order');
  return next;
}

function writeRow(sql: SqlDb, info: CollectionInfo): void {
  sql
    .stmt(
      `UPDATE collections SET display_name = ?, description = ?, components = ?, timezone = ?, color = ?,
         sort_order = ?, dead_props = ? WHERE owner = ? AND home = ? AND id = ?`,
    )
    .run(
      info.displayName ?? null,
      info.description ?? null,
      info.components ? JSON.stringify(info.components) : null,
      info.timezone ?? null,
      info.color ?? null,
      info.order ?? null,
      JSON.stringify(info.deadProps),
      info.ref.owner,
      info.ref.home,
      info.ref.id,
    );
}

export class SqlCollectionAdmin implements CollectionAdmin {
  readonly #sql: SqlDb;

  constructor(sql: SqlDb) {
    this.#sql = sql;
  }

  async createCollection(ref: CollectionRef, kind: CollectionKind, patch: CollectionPatch): Promise<CollectionInfo> {
    checkId(ref.id);
    checkKind(ref, kind);
    const sql = this.#sql;
    return sql.write(() => {
      if (findHandle(sql, ref)) throw new BackendError('exists', `collection ${ref.id} exists`);
      const slash = ref.id.lastIndexOf('/');
      if (slash >= 0) {
        // RFC 4918 §9.3.1: MKCOL without its parent is 409; RFC 4791 §4.2: nothing nests inside a calendar.
        const parent = findHandle(sql, { ...ref, id: ref.id.slice(0, slash) });
        if (!parent) throw new BackendError('conflict', `parent of ${ref.id} does not exist`);
        if (parent.kind !== 'plain')
          throw new BackendError('forbidden', `cannot nest a collection in a ${parent.kind}`);
        const clash = sql
          .stmt('SELECT 1 FROM objects WHERE collection = ? AND name = ?')
          .get(parent.cid, ref.id.slice(slash + 1));
        if (clash) throw new BackendError('exists', `a resource named ${ref.id} exists`);
      }
      const start = nextSeq(sql);
      sql
        .stmt('INSERT INTO collections (owner, home, id, kind, synctoken, min_token) VALUES (?, ?, ?, ?, ?, ?)')
        .run(ref.owner, ref.home, ref.id, kind, start, start);
      const info = applyPatch({ ref: { ...ref }, kind, deadProps: {} }, patch);
      writeRow(sql, info);
      return info;
    });
  }

  async updateCollection(ref: CollectionRef, patch: CollectionPatch): Promise<CollectionInfo> {
    const sql = this.#sql;
    return sql.write(() => {
      const info = getInfo(sql, ref);
      if (!info) throw new BackendError('not-found', `no collection ${ref.id}`);
      const next = applyPatch(info, patch);
      writeRow(sql, next);
      return next;
    });
  }

  async deleteCollection(ref: CollectionRef): Promise<void> {
    const sql = this.#sql;
    sql.write(() => {
      if (!findHandle(sql, ref)) throw new BackendError('not-found', `no collection ${ref.id}`);
      // Objects and change rows go with their collection (ON DELETE CASCADE). Nested ids are exactly those
      // in ['<id>/', '<id>0'): '0' follows '/' in byte order, and ids compare bytewise.
      sql
        .stmt('DELETE FROM collections WHERE owner = ? AND home = ? AND (id = ? OR (id >= ? AND id < ?))')
        .run(ref.owner, ref.home, ref.id, `${ref.id}/`, `${ref.id}0`);
    });
  }
}
