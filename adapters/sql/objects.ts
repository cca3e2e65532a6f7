// Calendar objects, vCards and plain resources of the native SQLite store: reads, and writes that check
// preconditions, UID uniqueness, store the row and log the change in one transaction.
import type { SQLOutputValue } from 'node:sqlite';
import { contentEtag } from '../../src/backend/etag.ts';
import { BackendError } from '../../src/backend/port.ts';
import type { PutInput, PutResult, StoredObject, WritePreconditions } from '../../src/backend/types.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';
import { recordChange } from './changes.ts';
import type { CollectionHandle } from './collections.ts';
import { parseJson, type SqlDb } from './db.ts';
import { storeSpans } from './time-index.ts';

/** Names per getObjects statement; the list travels as one JSON parameter. */
export const NAME_CHUNK = 500;

const OBJECT_COLUMNS = 'name, etag, body, content_type, last_modified, dead_props';

export function toStored(row: Record<string, SQLOutputValue>): StoredObject {
  return {
    name: String(row.name),
    etag: String(row.etag),
    body: row.body as Uint8Array,
    contentType: String(row.content_type),
    lastModified: new Date(Number(row.last_modified)),
    deadProps: parseJson<Record<string, XmlElement>>(row.dead_props, {}),
  };
}

/** The object named `name`, as a zero- or one-element list. */
export function selectOne(sql: SqlDb, cid: number, name: string): StoredObject[] {
  const row = sql.stmt(`SELECT ${OBJECT_COLUMNS} FROM objects WHERE collection = ? AND name = ?`).get(cid, name);
  return row ? [toStored(row)] : [];
}

export function selectByNames(sql: SqlDb, cid: number, names: string[]): StoredObject[] {
  const out: StoredObject[] = [];
  const stmt = sql.stmt(
    `SELECT ${OBJECT_COLUMNS} FROM objects WHERE collection = ? AND name IN (SELECT value FROM json_each(?))`,
  );
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += NAME_CHUNK) {
    for (const row of stmt.all(cid, JSON.stringify(unique.slice(i, i + NAME_CHUNK)))) out.push(toStored(row));
  }
  return out;
}

function currentEtag(sql: SqlDb, cid: number, name: string): string | undefined {
  const row = sql.stmt('SELECT etag FROM objects WHERE collection = ? AND name = ?').get(cid, name);
  return row ? String(row.etag) : undefined;
}

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
export function putRow(
  sql: SqlDb,
  h: CollectionHandle,
  name: string,
  input: PutInput,
  pre: WritePreconditions,
): PutResult {
  const before = currentEtag(sql, h.cid, name);
  checkPreconditions(name, before, pre);
  if (input.uid !== undefined) {
    // RFC 4791 §5.3.2.1 / RFC 6352 §6.3.2.1 no-uid-conflict: one UID per collection.
    const holder = sql
      .stmt('SELECT name FROM objects WHERE collection = ? AND uid = ? AND name <> ? LIMIT 1')
      .get(h.cid, input.uid, name);
    if (holder) throw new BackendError('conflict', `UID ${input.uid} is used by ${holder.name}`, String(holder.name));
  }
  const etag = contentEtag(input.body);
  const now = Date.now();
  sql
    .stmt(
      `INSERT INTO objects (collection, name, uid, component_type, content_type, body, etag, size, last_modified,
         time_indexed, time_exact, time_complete_until)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (collection, name) DO UPDATE SET uid = excluded.uid, component_type = excluded.component_type,
         content_type = excluded.content_type, body = excluded.body, etag = excluded.etag, size = excluded.size,
         last_modified = excluded.last_modified, time_indexed = excluded.time_indexed,
         time_exact = excluded.time_exact, time_complete_until = excluded.time_complete_until`,
    )
    .run(
      h.cid,
      name,
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
    );
  storeSpans(sql, h.cid, name, input, before !== undefined);
  recordChange(sql, h.cid, name, 'put', now);
  return { etag, created: before === undefined };
}

export function deleteRow(sql: SqlDb, h: CollectionHandle, name: string, pre: WritePreconditions): void {
  const before = currentEtag(sql, h.cid, name);
  if (before === undefined) throw new BackendError('not-found', `no object ${name}`);
  checkPreconditions(name, before, pre);
  sql.stmt('DELETE FROM objects WHERE collection = ? AND name = ?').run(h.cid, name);
  recordChange(sql, h.cid, name, 'delete', Date.now());
}

/** Sets (value) or removes (null) dead properties of an object. Does not change its etag or the feed. */
export function patchProps(
  sql: SqlDb,
  h: CollectionHandle,
  name: string,
  props: Record<string, XmlElement | null>,
): void {
  const row = sql.stmt('SELECT dead_props FROM objects WHERE collection = ? AND name = ?').get(h.cid, name);
  if (!row) throw new BackendError('not-found', `no object ${name}`);
  const next = parseJson<Record<string, XmlElement>>(row.dead_props, {});
  for (const [key, value] of Object.entries(props)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  sql
    .stmt('UPDATE objects SET dead_props = ? WHERE collection = ? AND name = ?')
    .run(JSON.stringify(next), h.cid, name);
}
