// Which SabreDAV rows a davgate collection is: a calendar is a calendarinstances row (the user's view:
// uri, displayname, colour, order, access) joined to its calendars row (synctoken, components); an
// address book is one addressbooks row. Homes belong to principals/<owner> (Baïkal's principal URIs).
import { sql } from 'kysely';
import type { CollectionRef } from '../../../src/backend/types.ts';
import type { AnyDb, SqlConnection } from '../query/connect.ts';
import { num } from './rows.ts';

export interface SabreCtx {
  conn: SqlConnection;
  /** Principal URI prefix, 'principals/' as SabreDAV and Baïkal use. */
  principalPrefix: string;
  /** Server default zone for floating times and all-day events (PHP's date.timezone). */
  zone: string;
}

export type SabreKind = 'calendar' | 'addressbook';

/** One resolved collection. */
export interface Handle {
  kind: SabreKind;
  /** calendars.id or addressbooks.id: the key of objects, changes and the synctoken counter. */
  dataId: number;
  /** calendarinstances.id (calendars only). */
  instanceId?: number;
  /** calendarinstances.access: 1 owner, 2 read, 3 read-write (address books: 1). */
  access: number;
  /** The counter now: the synctoken the next change gets. */
  synctoken: number;
  /** propertystorage path of the collection. */
  path: string;
}

/** The tables and columns of each kind. */
export const TABLES = {
  calendar: {
    objects: 'calendarobjects',
    data: 'calendardata',
    parent: 'calendarid',
    changes: 'calendarchanges',
    counter: 'calendars',
    contentType: 'text/calendar; charset=utf-8',
  },
  addressbook: {
    objects: 'cards',
    data: 'carddata',
    parent: 'addressbookid',
    changes: 'addressbookchanges',
    counter: 'addressbooks',
    contentType: 'text/vcard; charset=utf-8',
  },
} as const;

export const principalUri = (ctx: SabreCtx, owner: string): string => `${ctx.principalPrefix}${owner}`;

export const collectionPath = (ref: CollectionRef): string => `${ref.home}/${ref.owner}/${ref.id}`;

/**
 * Finds the rows of a collection. With `lock` (inside a write transaction) the synctoken counter row is
 * locked (SELECT … FOR UPDATE; SQLite's BEGIN IMMEDIATE already holds the database) so two writers never
 * record the same synctoken.
 */
export async function resolve(db: AnyDb, ctx: SabreCtx, ref: CollectionRef, lock = false): Promise<Handle | undefined> {
  if (ref.id.includes('/') || ref.id === '') return undefined;
  const principal = principalUri(ctx, ref.owner);
  let h: Handle | undefined;
  if (ref.home === 'calendars') {
    const row = await db
      .selectFrom('calendarinstances as ci')
      .innerJoin('calendars as c', 'c.id', 'ci.calendarid')
      .select(['ci.id as instanceid', 'ci.calendarid', 'ci.access', 'c.synctoken'])
      .where('ci.principaluri', '=', principal)
      .where('ci.uri', '=', ref.id)
      .executeTakeFirst();
    if (row)
      h = {
        kind: 'calendar',
        dataId: num(row.calendarid),
        instanceId: num(row.instanceid),
        access: num(row.access),
        synctoken: num(row.synctoken),
        path: collectionPath(ref),
      };
  } else {
    const row = await db
      .selectFrom('addressbooks')
      .select(['id', 'synctoken'])
      .where('principaluri', '=', principal)
      .where('uri', '=', ref.id)
      .executeTakeFirst();
    if (row)
      h = {
        kind: 'addressbook',
        dataId: num(row.id),
        access: 1,
        synctoken: num(row.synctoken),
        path: collectionPath(ref),
      };
  }
  if (h && lock && ctx.conn.dialect !== 'sqlite') {
    const t = TABLES[h.kind];
    const locked = await sql<{
      synctoken: unknown;
    }>`SELECT synctoken FROM ${sql.table(t.counter)} WHERE id = ${h.dataId} FOR UPDATE`.execute(db);
    if (!locked.rows[0]) return undefined;
    h.synctoken = num(locked.rows[0].synctoken);
  }
  return h;
}

/**
 * SabreDAV's addChange: a change row carrying the counter's current value, then the counter + 1. Runs in the
 * caller's transaction after `resolve(…, lock)`. operation 1 add, 2 modify, 3 delete; uri '' = the collection.
 */
export async function addChange(db: AnyDb, h: Handle, uri: string, operation: 1 | 2 | 3): Promise<void> {
  const t = TABLES[h.kind];
  await sql`INSERT INTO ${sql.table(t.changes)} (uri, synctoken, ${sql.ref(t.parent)}, operation)
    SELECT ${uri}, synctoken, ${h.dataId}, ${operation} FROM ${sql.table(t.counter)} WHERE id = ${h.dataId}`.execute(
    db,
  );
  await sql`UPDATE ${sql.table(t.counter)} SET synctoken = synctoken + 1 WHERE id = ${h.dataId}`.execute(db);
  h.synctoken += 1;
}
