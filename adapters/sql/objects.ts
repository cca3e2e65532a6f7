// Calendar objects, vCards and plain resources of the native SQL store: reads, and writes that check
// preconditions, UID uniqueness, store the row and log the change in one transaction. Against another
// writer of the same tables (the groupware's own UI) the precondition holds by locking the row it read
// (FOR UPDATE; SQLite's BEGIN IMMEDIATE locks the file) and by writing only `WHERE etag = <the etag read>`,
// checked by the affected-row count: a change that slipped in is a 412, never a lost update.
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

/** The current etag, its row locked until commit (inside a write transaction). */
async function currentEtag(q: Q, cid: number, name: string): Promise<string | undefined> {
  const text = 'SELECT etag FROM objects WHERE collection = ? AND name = ?';
  const row = await q.get(q.dialect === 'sqlite' ? text : `${text} FOR UPDATE`, [cid, name]);
  return row ? String(row.etag) : undefined;
}

/** A unique-key violation: another writer created the row between our read and our insert. */
function isDuplicate(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  return e?.code === '23505' || e?.code === 'ER_DUP_ENTRY' || e?.errcode === 2067 || e?.errcode === 1555;
}

const INSERT = `INSERT INTO objects (collection, name, uid, component_type, content_type, body, etag, size,
  last_modified, time_indexed, time_exact, time_complete_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const UPDATE = `UPDATE objects SET uid = ?, component_type = ?, content_type = ?, body = ?, etag = ?, size = ?,
  last_modified = ?, time_indexed = ?, time_exact = ?, time_complete_until = ?
  WHERE collection = ? AND name = ? AND etag = ?`;

/** RFC 9110 §13.1.1/§13.1.2 against the current state, inside the write transaction. */
function checkPreconditions(name: string, etag: string | undefined, pre: WritePreconditions): void {
  if (pre.ifNoneMatchAny && etag !== undefined) {
    throw new BackendError('precondition-failed', `${name} exists (If-None-Match: *)`);
  }
  if (pre.ifMatch !== undefined && pre.ifMatch !== etag) {
    throw new BackendError('precondition-failed', `${name}: etag does not match If-Match`);
  }
}

/** Creates or replaces an object; replacing keeps its dead properties. Call inside a write transaction. */
export async function putRow(
  q: Q,
  h: CollectionHandle,
  name: string,
  input: PutInput,
  pre: WritePreconditions,
): Promise<PutResult> {
  const before = await currentEtag(q, h.cid, name);
  checkPreconditions(name, before, pre);
  if (input.uid !== undefined) {
    // RFC 4791 §5.3.2.1 / RFC 6352 §6.3.2.1 no-uid-conflict: one UID per collection.
    const holder = await q.get('SELECT name FROM objects WHERE collection = ? AND uid = ? AND name <> ? LIMIT 1', [
      h.cid,
      input.uid,
      name,
    ]);
    if (holder) throw new BackendError('conflict', `UID ${input.uid} is used by ${holder.name}`, String(holder.name));
  }
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
  if (before === undefined) {
    try {
      await q.run(INSERT, [h.cid, name, ...values]);
    } catch (err) {
      if (isDuplicate(err)) throw new BackendError('precondition-failed', `${name} was created concurrently`);
      throw err;
    }
  } else if ((await q.run(UPDATE, [...values, h.cid, name, before])) !== 1) {
    throw new BackendError('precondition-failed', `${name} changed concurrently`);
  }
  await storeSpans(q, h.cid, name, input, before !== undefined);
  await recordChange(q, h.cid, name, 'put', now);
  return { etag, created: before === undefined };
}

export async function deleteRow(q: Q, h: CollectionHandle, name: string, pre: WritePreconditions): Promise<void> {
  const before = await currentEtag(q, h.cid, name);
  if (before === undefined) throw new BackendError('not-found', `no object ${name}`);
  checkPreconditions(name, before, pre);
  if (
    (await q.run('DELETE FROM objects WHERE collection = ? AND name = ? AND etag = ?', [h.cid, name, before])) !== 1
  ) {
    throw new BackendError('precondition-failed', `${name} changed concurrently`);
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
