// Calendar objects, vCards and plain resources of the native SQL store: reads, and writes that check
// preconditions, UID uniqueness, store the row and log the change in one transaction. Against another
// writer of the same tables (the groupware's own UI) a conditional write is `UPDATE … WHERE etag = ?`
// checked by the affected-row count (SQLite's BEGIN IMMEDIATE also locks the file): a change that slipped
// in is a 412, never a lost update.
import { contentEtag } from '../../src/backend/etag.ts';
import { BackendError } from '../../src/backend/port.ts';
import type { PutInput, PutResult, StoredObject, WritePreconditions } from '../../src/backend/types.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';
import { recordChange } from './changes.ts';
import type { CollectionHandle } from './collections.ts';
import { parseJson } from './db.ts';
import type { SqlDialectName } from './query/connect.ts';
import type { Params, Q, Row } from './query/exec.ts';
import { storeSpans } from './time-index.ts';

/** Names per getObjects statement; the list travels as one JSON parameter. */
export const NAME_CHUNK = 500;

export const OBJECT_COLUMNS = 'name, etag, body, content_type, last_modified, dead_props';

export function toStored(row: Row): StoredObject {
  return {
    name: String(row.name),
    etag: String(row.etag),
    body: row.body as Uint8Array,
    contentType: String(row.content_type),
    lastModified: new Date(Number(row.last_modified)),
    deadProps: parseJson<Record<string, XmlElement>>(row.dead_props, {}),
  };
}

/**
 * `IN <list>` for a list of names, and its parameters: one JSON parameter on SQLite, one array on
 * PostgreSQL, one placeholder per name on MySQL (chunks keep that bounded).
 */
export function nameList(dialect: SqlDialectName, names: string[]): { list: string; params: unknown[] } {
  if (dialect === 'sqlite') return { list: '(SELECT value FROM json_each(?))', params: [JSON.stringify(names)] };
  if (dialect === 'postgres') return { list: '(SELECT unnest(?::text[]))', params: [names] };
  return { list: `(${names.map(() => '?').join(', ')})`, params: names };
}

export async function selectByNames(q: Q, cid: number, names: string[]): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += NAME_CHUNK) {
    const { list, params } = nameList(q.dialect, unique.slice(i, i + NAME_CHUNK));
    const rows = await q.all(`SELECT ${OBJECT_COLUMNS} FROM objects WHERE collection = ? AND name IN ${list}`, [
      cid,
      ...params,
    ] as Params);
    for (const row of rows) out.push(toStored(row));
  }
  return out;
}

/** A unique-key violation: another writer created the row between our read and our insert. */
function isDuplicate(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  return e?.code === '23505' || e?.code === 'ER_DUP_ENTRY' || e?.errcode === 2067 || e?.errcode === 1555;
}

const INSERT = `INSERT INTO objects (collection, name, uid, component_type, content_type, body, etag, size,
  last_modified, time_indexed, time_exact, time_complete_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** SQLite and PostgreSQL: insert unless the name exists (affected rows 0). */
const INSERT_NEW = `${INSERT} ON CONFLICT (collection, name) DO NOTHING`;
const UPDATE_ANY = `UPDATE objects SET uid = ?, component_type = ?, content_type = ?, body = ?, etag = ?, size = ?,
  last_modified = ?, time_indexed = ?, time_exact = ?, time_complete_until = ?
  WHERE collection = ? AND name = ?`;
const UPDATE_IF = `${UPDATE_ANY} AND etag = ?`;

/**
 * RFC 4791 §5.3.2.1 / RFC 6352 §6.3.2.1 no-uid-conflict: one UID per collection. Checked after the change
 * counter is locked (recordChange), so a concurrent writer of the same UID has committed and is seen
 * (MySQL: a locking read, which sees the latest commit rather than the transaction's snapshot).
 */
async function checkUid(q: Q, cid: number, name: string, uid: string): Promise<void> {
  const text = 'SELECT name FROM objects WHERE collection = ? AND uid = ? AND name <> ? LIMIT 1';
  const holder = await q.get(q.dialect === 'mysql' ? `${text} LOCK IN SHARE MODE` : text, [cid, uid, name]);
  if (holder) throw new BackendError('conflict', `UID ${uid} is used by ${holder.name}`, String(holder.name));
}

/**
 * Creates or replaces an object (keeping its dead properties), in the caller's write transaction. The
 * precondition is the write's own condition: If-Match updates `WHERE etag = <If-Match>`, If-None-Match: *
 * inserts (a unique-key violation means the object exists), and the affected-row count decides 412. A row
 * changed by another writer in the meantime therefore fails the write instead of being overwritten.
 */
export async function putRow(
  q: Q,
  h: CollectionHandle,
  name: string,
  input: PutInput,
  pre: WritePreconditions,
): Promise<PutResult> {
  const etag = contentEtag(input.body);
  const now = Date.now();
  const values = [
    input.uid ?? null,
    input.componentType ?? null,
    input.contentType,
    input.body,
    etag,
    input.body.byteLength,
    now,
    input.timeIndex ? 1 : 0,
    input.timeIndex?.exact ? 1 : 0,
    input.timeIndex?.completeUntil ?? null,
  ];
  /** Inserts unless the name exists; true when inserted. */
  const insert = async (): Promise<boolean> => {
    // SQLite and PostgreSQL skip a duplicate quietly (no aborted transaction); MySQL reports it as an error.
    if (q.dialect !== 'mysql') return (await q.run(INSERT_NEW, [h.cid, name, ...values])) === 1;
    try {
      await q.run(INSERT, [h.cid, name, ...values]);
      return true;
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  };
  let created: boolean;
  if (pre.ifMatch !== undefined) {
    if ((await q.run(UPDATE_IF, [...values, h.cid, name, pre.ifMatch])) !== 1) {
      throw new BackendError('precondition-failed', `${name}: etag does not match If-Match`);
    }
    created = false;
  } else if (pre.ifNoneMatchAny) {
    if (!(await insert())) throw new BackendError('precondition-failed', `${name} exists (If-None-Match: *)`);
    created = true;
  } else if (q.dialect === 'mysql') {
    // Replace first: a failed INSERT would cost a round trip and an error on every replacement.
    created = (await q.run(UPDATE_ANY, [...values, h.cid, name])) === 0;
    if (created && !(await insert())) throw new BackendError('precondition-failed', `${name} created concurrently`);
  } else {
    // Create first (most unconditional PUTs create): one statement for a new object.
    created = await insert();
    if (!created && (await q.run(UPDATE_ANY, [...values, h.cid, name])) !== 1) {
      throw new BackendError('precondition-failed', `${name} deleted concurrently`);
    }
  }
  // Replace the time index: spans exist only in calendars (the CalDAV core indexes nothing else).
  await storeSpans(q, h.cid, name, input, !created && (h.kind === 'calendar' || input.timeIndex !== undefined));
  await recordChange(q, h.cid, name, 'put', now);
  if (input.uid !== undefined) await checkUid(q, h.cid, name, input.uid);
  return { etag, created };
}

/** Deletes an object in the caller's write transaction; If-Match is the DELETE's own condition. */
export async function deleteRow(q: Q, h: CollectionHandle, name: string, pre: WritePreconditions): Promise<void> {
  const deleted =
    pre.ifMatch === undefined
      ? await q.run('DELETE FROM objects WHERE collection = ? AND name = ?', [h.cid, name])
      : await q.run('DELETE FROM objects WHERE collection = ? AND name = ? AND etag = ?', [h.cid, name, pre.ifMatch]);
  if (deleted !== 1) {
    const exists = await q.get('SELECT 1 AS one FROM objects WHERE collection = ? AND name = ?', [h.cid, name]);
    if (!exists) throw new BackendError('not-found', `no object ${name}`);
    throw new BackendError('precondition-failed', `${name}: etag does not match If-Match`);
  }
  await recordChange(q, h.cid, name, 'delete', Date.now());
}

/** Sets (value) or removes (null) dead properties of an object. Does not change its etag or the feed. */
export async function patchProps(
  q: Q,
  h: CollectionHandle,
  name: string,
  props: Record<string, XmlElement | null>,
): Promise<void> {
  const text = 'SELECT dead_props FROM objects WHERE collection = ? AND name = ?';
  const row = await q.get(q.dialect === 'sqlite' ? text : `${text} FOR UPDATE`, [h.cid, name]);
  if (!row) throw new BackendError('not-found', `no object ${name}`);
  const next = parseJson<Record<string, XmlElement>>(row.dead_props, {});
  for (const [key, value] of Object.entries(props)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  await q.run('UPDATE objects SET dead_props = ? WHERE collection = ? AND name = ?', [
    JSON.stringify(next),
    h.cid,
    name,
  ]);
}
