// The native change feed of a column mapping (RFC 6578 via the port's `changesSince`) when the triggers
// of `davgate sql install-triggers` fill davgate_changes: a token is `<epoch>.<last seq seen>`; a delta is
// the keys touched after it in this collection, each resolved to its current state (live → changed with
// its etag, gone or soft-deleted → deleted under the name it had). The epoch is the install's random id
// (davgate_changes_meta): after an uninstall and reinstall the seq restarts at 1, and a token of the old
// log must be invalid (the client resyncs) rather than look valid and skip changes.
import { sql } from 'kysely';
import type { ChangeSet, CollectionRef } from '../../../src/backend/types.ts';
import type { AnyDb } from '../query/connect.ts';
import type { ColumnsMapping } from './mapping.ts';
import { extOf, loadObjects, nameOf } from './read.ts';
import type { SideStore } from './side.ts';
import { CHANGE_TABLE, META_TABLE } from './triggers.ts';

/** The install's epoch; `0` for a change table installed before epochs existed. */
async function epochOf(db: AnyDb): Promise<string> {
  try {
    const r = await db.selectFrom(META_TABLE).select('epoch').where('id', '=', 1).executeTakeFirst();
    return r ? String(r.epoch) : '0';
  } catch {
    return '0';
  }
}

async function maxSeq(db: AnyDb): Promise<number> {
  const r = await sql<{ n: unknown }>`SELECT MAX(seq) AS n FROM ${sql.table(CHANGE_TABLE)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

async function minSeq(db: AnyDb): Promise<number> {
  const r = await sql<{ n: unknown }>`SELECT MIN(seq) AS n FROM ${sql.table(CHANGE_TABLE)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Trims davgate_changes to its newest `keep` entries (at least one stays, so the floor is known); tokens
 * from before the oldest kept entry become invalid and those clients resync. Returns the rows removed.
 */
export async function trimChanges(db: AnyDb, keep: number): Promise<number> {
  const top = await maxSeq(db);
  const floor = top - Math.max(1, Math.floor(keep));
  if (floor <= 0) return 0;
  const res = await db.deleteFrom(CHANGE_TABLE).where('seq', '<=', floor).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function feedChanges(
  db: AnyDb,
  m: ColumnsMapping,
  store: SideStore,
  ref: CollectionRef,
  since: string | null,
): Promise<ChangeSet | 'invalid-token'> {
  const epoch = await epochOf(db);
  let from: number | null = null;
  if (since !== null) {
    const t = /^([A-Za-z0-9_-]{1,32})\.(0|[1-9][0-9]{0,15})$/.exec(since);
    if (!t || t[1] !== epoch) return 'invalid-token';
    from = Number(t[2]);
  }
  const top = await maxSeq(db);
  const token = `${epoch}.${top}`;
  if (from !== null && from > top) return 'invalid-token';
  // Changes after `from` may have been trimmed (trimChanges): the token is too old, the client resyncs.
  if (from !== null && from < (await minSeq(db)) - 1) return 'invalid-token';
  if (from === null) {
    const all = await loadObjects(db, m, store, ref);
    return { token, changed: all.map((o) => ({ name: o.name, etag: o.etag })), deleted: [] };
  }
  let q = db
    .selectFrom(CHANGE_TABLE)
    .select(['seq', 'obj_key'])
    .where('tbl', '=', m.table)
    .where('owner', '=', ref.owner)
    .where('seq', '>', from)
    .where('seq', '<=', top);
  if (m.scope.calendarColumn) q = q.where('coll', '=', ref.id);
  const rows = await q.orderBy('seq').execute();
  // Latest change per key decides the order.
  const order = new Map<string, number>();
  for (const r of rows) {
    order.delete(String(r.obj_key));
    order.set(String(r.obj_key), Number(r.seq));
  }
  const keys = [...order.keys()];
  const live = new Map((await loadObjects(db, m, store, ref, { keys })).map((o) => [o.key, o]));
  const changed = keys
    .filter((k) => live.has(k))
    .map((k) => ({ name: live.get(k)?.name ?? '', etag: live.get(k)?.etag ?? '' }));
  const goneKeys = keys.filter((k) => !live.has(k));
  const names = new Map<string, string>();
  if (goneKeys.length) {
    for (const [k, n] of await store.namesOf(
      db,
      m,
      goneKeys.map((key) => ({ key })),
    ))
      names.set(k, n);
    if (m.href.strategy === 'column') {
      // A soft-deleted row still has its stored name.
      const rows = await db.selectFrom(m.table).selectAll().where(m.key.column, 'in', goneKeys).execute();
      for (const r of rows) names.set(String(r[m.key.column]), nameOf(m, r, undefined));
    }
  }
  const changedNames = new Set(changed.map((c) => c.name));
  const deleted = [...new Set(goneKeys.map((k) => names.get(k) ?? `${k}${extOf(m)}`))].filter(
    (n) => !changedNames.has(n),
  );
  return { token, changed, deleted };
}

export async function feedToken(db: AnyDb): Promise<string> {
  return `${await epochOf(db)}.${await maxSeq(db)}`;
}
