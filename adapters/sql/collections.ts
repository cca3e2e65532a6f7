// Collections of the native SQL store: row mapping, lookup and the admin capability
// (MKCOL / MKCALENDAR / extended MKCOL, PROPPATCH on collections, DELETE of collections).
import { BackendError, type CollectionAdmin } from '../../src/backend/port.ts';
import type { CollectionInfo, CollectionKind, CollectionPatch, CollectionRef } from '../../src/backend/types.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';
import { parseJson } from './db.ts';
import type { Q, Row, SqlExec } from './query/exec.ts';

const COLUMNS =
  'cid, owner, home, id, kind, display_name, description, components, timezone, color, sort_order, dead_props';

/** The row id and change-feed bounds of a collection, as write paths need them. */
export interface CollectionHandle {
  cid: number;
  kind: CollectionKind;
  synctoken: number;
  minToken: number;
}

/** A collections row as CollectionInfo; `deadPropsColumn` names the column when a join renamed it. */
export function toInfo(row: Row, deadPropsColumn = 'dead_props'): CollectionInfo {
  const info: CollectionInfo = {
    ref: { owner: String(row.owner), home: row.home as CollectionRef['home'], id: String(row.id) },
    kind: row.kind as CollectionKind,
    deadProps: parseJson<Record<string, XmlElement>>(row[deadPropsColumn], {}),
  };
  if (row.display_name != null) info.displayName = String(row.display_name);
  if (row.description != null) info.description = String(row.description);
  if (row.components != null) info.components = parseJson<string[]>(row.components, []);
  if (row.timezone != null) info.timezone = String(row.timezone);
  if (row.color != null) info.color = String(row.color);
  if (row.sort_order != null) info.order = Number(row.sort_order);
  return info;
}

const HANDLE = 'SELECT cid, kind, synctoken, min_token FROM collections WHERE owner = ? AND home = ? AND id = ?';
/** Inside a write: the row lock serialises writers of one collection (SQLite's BEGIN IMMEDIATE already does). */
const HANDLE_LOCKED = `${HANDLE} FOR UPDATE`;

export function toHandle(row: Row): CollectionHandle {
  return {
    cid: Number(row.cid),
    kind: row.kind as CollectionKind,
    synctoken: Number(row.synctoken),
    minToken: Number(row.min_token),
  };
}

/** The collection's handle; `lock` (in a write transaction) locks its row until commit. */
export async function findHandle(q: Q, ref: CollectionRef, lock = false): Promise<CollectionHandle | undefined> {
  const row = await q.get(lock && q.dialect !== 'sqlite' ? HANDLE_LOCKED : HANDLE, [ref.owner, ref.home, ref.id]);
  return row ? toHandle(row) : undefined;
}

export async function requireHandle(q: Q, ref: CollectionRef, lock = false): Promise<CollectionHandle> {
  const h = await findHandle(q, ref, lock);
  if (!h) throw new BackendError('not-found', `no collection ${ref.owner}/${ref.home}/${ref.id}`);
  return h;
}

export async function getInfo(q: Q, ref: CollectionRef, lock = false): Promise<CollectionInfo | undefined> {
  const text = `SELECT ${COLUMNS} FROM collections WHERE owner = ? AND home = ? AND id = ?`;
  const row = await q.get(lock && q.dialect !== 'sqlite' ? `${text} FOR UPDATE` : text, [ref.owner, ref.home, ref.id]);
  return row ? toInfo(row) : undefined;
}

export async function listInfos(q: Q, owner: string, home: CollectionRef['home']): Promise<CollectionInfo[]> {
  const rows = await q.all(
    `SELECT ${COLUMNS} FROM collections WHERE owner = ? AND home = ? ORDER BY sort_order IS NULL, sort_order, id`,
    [owner, home],
  );
  return rows.map((r) => toInfo(r));
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
export async function nextSeq(q: Q): Promise<number> {
  if (q.dialect === 'mysql') {
    // No UPDATE … RETURNING on MySQL: LAST_INSERT_ID(expr) hands the value to this connection.
    await q.run('UPDATE change_counter SET value = LAST_INSERT_ID(value + 1) WHERE id = 1');
    return Number((await q.get('SELECT LAST_INSERT_ID() AS value'))?.value);
  }
  return Number((await q.get('UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value'))?.value);
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

async function writeRow(q: Q, info: CollectionInfo): Promise<void> {
  await q.run(
    `UPDATE collections SET display_name = ?, description = ?, components = ?, timezone = ?, color = ?,
         sort_order = ?, dead_props = ? WHERE owner = ? AND home = ? AND id = ?`,
    [
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
    ],
  );
}

export class SqlCollectionAdmin implements CollectionAdmin {
  readonly #sql: SqlExec;

  constructor(sql: SqlExec) {
    this.#sql = sql;
  }

  async createCollection(ref: CollectionRef, kind: CollectionKind, patch: CollectionPatch): Promise<CollectionInfo> {
    checkId(ref.id);
    checkKind(ref, kind);
    const sql = this.#sql;
    return sql.write(async (q) => {
      if (await findHandle(q, ref, true)) throw new BackendError('exists', `collection ${ref.id} exists`);
      const slash = ref.id.lastIndexOf('/');
      if (slash >= 0) {
        // RFC 4918 §9.3.1: MKCOL without its parent is 409; RFC 4791 §4.2: nothing nests inside a calendar.
        const parent = await findHandle(q, { ...ref, id: ref.id.slice(0, slash) }, true);
        if (!parent) throw new BackendError('conflict', `parent of ${ref.id} does not exist`);
        if (parent.kind !== 'plain')
          throw new BackendError('forbidden', `cannot nest a collection in a ${parent.kind}`);
        const clash = await q.get('SELECT 1 AS one FROM objects WHERE collection = ? AND name = ?', [
          parent.cid,
          ref.id.slice(slash + 1),
        ]);
        if (clash) throw new BackendError('exists', `a resource named ${ref.id} exists`);
      }
      const start = await nextSeq(q);
      await q.run('INSERT INTO collections (owner, home, id, kind, synctoken, min_token) VALUES (?, ?, ?, ?, ?, ?)', [
        ref.owner,
        ref.home,
        ref.id,
        kind,
        start,
        start,
      ]);
      const info = applyPatch({ ref: { ...ref }, kind, deadProps: {} }, patch);
      await writeRow(q, info);
      return info;
    });
  }

  async updateCollection(ref: CollectionRef, patch: CollectionPatch): Promise<CollectionInfo> {
    const sql = this.#sql;
    return sql.write(async (q) => {
      const info = await getInfo(q, ref, true);
      if (!info) throw new BackendError('not-found', `no collection ${ref.id}`);
      const next = applyPatch(info, patch);
      await writeRow(q, next);
      return next;
    });
  }

  async deleteCollection(ref: CollectionRef): Promise<void> {
    const sql = this.#sql;
    await sql.write(async (q) => {
      if (!(await findHandle(q, ref, true))) throw new BackendError('not-found', `no collection ${ref.id}`);
      // Objects and change rows go with their collection (ON DELETE CASCADE). Nested ids are exactly those
      // in ['<id>/', '<id>0'): '0' follows '/' in byte order, and ids compare bytewise.
      await q.run('DELETE FROM collections WHERE owner = ? AND home = ? AND (id = ? OR (id >= ? AND id < ?))', [
        ref.owner,
        ref.home,
        ref.id,
        `${ref.id}/`,
        `${ref.id}0`,
      ]);
    });
  }
}
