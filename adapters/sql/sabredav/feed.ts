// The native change feed over SabreDAV's calendarchanges/addressbookchanges (getChangesForCalendar /
// getChangesForAddressBook): the collection's synctoken counter is "now"; a client at token T gets the rows
// with T <= synctoken < now, the last operation per uri winning; rows with uri '' are collection property
// changes. Tokens are `<id>:<synctoken>:<fingerprint>`: the calendars/addressbooks id (a token of one
// collection is no token of another), SabreDAV's own counter (so a SabreDAV sync token N continues as
// `<id>:N`), and a short hash of the change row just before T, because SQLite reuses the id of a deleted
// last row and a re-created collection must not accept the old collection's tokens.
import { createHash } from 'node:crypto';
import type { ChangeSet, ObjectRef } from '../../../src/backend/types.ts';
import type { AnyDb } from '../query/connect.ts';
import { type Handle, TABLES } from './handles.ts';
import { listRefs } from './objects.ts';
import { num, str } from './rows.ts';

interface Parsed {
  id: number;
  sync: number;
  fp?: string;
}

function parse(token: string): Parsed | undefined {
  const m = /^(0|[1-9][0-9]{0,9}):(0|[1-9][0-9]{0,9})(?::([0-9a-f]{0,12}))?$/.exec(token);
  if (!m) return undefined;
  return { id: Number(m[1]), sync: Number(m[2]), fp: m[3] };
}

/** Hash of the change row recorded with synctoken `sync - 1` ('' when there is none). */
async function fingerprint(db: AnyDb, h: Handle, sync: number): Promise<string> {
  const t = TABLES[h.kind];
  const row = await db
    .selectFrom(t.changes)
    .select(['id', 'uri', 'operation'])
    .where(t.parent, '=', h.dataId)
    .where('synctoken', '=', sync - 1)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return '';
  return createHash('sha256')
    .update(`${num(row.id)}\n${str(row.uri)}\n${num(row.operation)}`)
    .digest('hex')
    .slice(0, 12);
}

const SABRE_TOKEN = /^http:\/\/sabre\.io\/ns\/sync\/(0|[1-9][0-9]{0,9})$/;

/**
 * SabreDAV's own sync token (Sync plugin: `http://sabre.io/ns/sync/<synctoken>`) as this feed's token `<id>:<N>`:
 * the same counter, so the client gets exactly what SabreDAV would have answered (rows with synctoken >= N).
 * No fingerprint: SabreDAV's token has none. undefined for any other token.
 */
export function adoptSabreToken(h: Handle, token: string): string | undefined {
  const m = SABRE_TOKEN.exec(token);
  return m ? `${h.dataId}:${m[1]}` : undefined;
}

export async function tokenOf(db: AnyDb, h: Handle): Promise<string> {
  return `${h.dataId}:${h.synctoken}:${await fingerprint(db, h, h.synctoken)}`;
}

/** Changes after `since` (null: every object now). Invalid: malformed, another collection, the future, a mismatched row. */
export async function changesAfter(db: AnyDb, h: Handle, since: string | null): Promise<ChangeSet | 'invalid-token'> {
  const token = await tokenOf(db, h);
  if (since === null) return { token, changed: await listRefs(db, h), deleted: [] };
  const p = parse(since);
  if (!p || p.id !== h.dataId || p.sync > h.synctoken) return 'invalid-token';
  if (p.fp !== undefined && p.fp !== (await fingerprint(db, h, p.sync))) return 'invalid-token';
  const t = TABLES[h.kind];
  const rows = await db
    .selectFrom(t.changes)
    .select(['uri', 'operation'])
    .where(t.parent, '=', h.dataId)
    .where('synctoken', '>=', p.sync)
    .where('synctoken', '<', h.synctoken)
    .orderBy('synctoken')
    .orderBy('id')
    .execute();
  const latest = new Map<string, number>();
  for (const r of rows) {
    const uri = str(r.uri);
    if (uri === '') continue;
    latest.delete(uri);
    latest.set(uri, num(r.operation));
  }
  if (latest.size === 0) return { token, changed: [], deleted: [] };
  // The object table decides (as the native feed does): present → changed with its etag, absent → deleted.
  const names = [...latest.keys()];
  const present = new Map<string, string>();
  for (let i = 0; i < names.length; i += 500) {
    const found = await db
      .selectFrom(t.objects)
      .select(['uri', 'etag'])
      .where(t.parent, '=', h.dataId)
      .where('uri', 'in', names.slice(i, i + 500))
      .execute();
    for (const f of found) present.set(str(f.uri), str(f.etag));
  }
  const changed: ObjectRef[] = [];
  const deleted: string[] = [];
  for (const name of names) {
    const etag = present.get(name);
    if (etag === undefined) deleted.push(name);
    else changed.push({ name, etag });
  }
  return { token, changed, deleted };
}
