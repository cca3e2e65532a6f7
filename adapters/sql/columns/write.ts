// Writing column-mapped events (RFC 4918 §9.7 PUT, §9.6 DELETE, RFC 9110 §13 preconditions): iCalendar →
// rows + child rows + extras in ONE transaction (side data in the state store is staged inside it and
// counts only once it committed, side-state.ts). The current row is read and locked inside the
// transaction, its ETag compared with If-Match, and the update is conditional on the version (or modified)
// value read, so an edit by the legacy UI in between yields precondition-failed, never a lost update.
import { contentEtag } from '../../../src/backend/etag.ts';
import { BackendError } from '../../../src/backend/port.ts';
import type { CollectionRef, PutInput, PutResult, WritePreconditions } from '../../../src/backend/types.ts';
import type { AnyDb, SqlConnection } from '../query/connect.ts';
import { planWrite, type WritePlan } from './from-ical.ts';
import { planCard } from './from-vcard.ts';
import { formatNaive, utcToNaive } from './local-time.ts';
import type { ColumnsMapping } from './mapping.ts';
import { findByName, inScope, type Loaded, loadObjects } from './read.ts';
import { Refusal } from './refusal.ts';
import type { Side, SideStore, Staged } from './side.ts';

type Row = Record<string, unknown>;

/** Row lock for the read-then-write inside a transaction (SQLite's BEGIN IMMEDIATE already serialises). */
// biome-ignore lint/suspicious/noExplicitAny: Kysely select builder
const lockFor = (conn: SqlConnection) => (conn.dialect === 'sqlite' ? undefined : (q: any) => q.forUpdate());

function refused(e: unknown): never {
  if (e instanceof Refusal) throw new BackendError('forbidden', e.message, undefined, e.condition);
  throw e;
}

const nowNaive = (m: ColumnsMapping) => formatNaive(utcToNaive(m.time.zone, Date.now()));

/** Runs `body` in a transaction, then tells what it staged outside the database how the transaction ended. */
async function transact<T>(conn: SqlConnection, body: (tx: AnyDb, stage: (s: Staged) => void) => Promise<T>) {
  let staged: Staged | undefined;
  let result: T;
  try {
    result = await conn.db.transaction().execute((tx) =>
      body(tx, (s) => {
        staged = s;
      }),
    );
  } catch (e) {
    await staged?.aborted();
    throw e;
  }
  await staged?.committed();
  return result;
}

export async function putObject(
  conn: SqlConnection,
  m: ColumnsMapping,
  store: SideStore,
  ref: CollectionRef,
  name: string,
  input: PutInput,
  pre: WritePreconditions,
): Promise<PutResult> {
  const card = m.component === 'VCARD';
  if (card ? /^text\/(calendar|x-vlist)\b/i.test(input.contentType) : !/^text\/calendar\b/i.test(input.contentType)) {
    throw new BackendError(
      'forbidden',
      `a column-mapped ${card ? 'address book stores vCards' : 'calendar stores iCalendar objects'} only`,
    );
  }
  const text = new TextDecoder().decode(input.body);
  let plan: WritePlan;
  try {
    plan = card ? planCard(m, text) : planWrite(m, text);
  } catch (e) {
    refused(e);
  }
  return transact(conn, async (tx, staged) => {
    const cur = await findByName(tx, m, store, ref, name, lockFor(conn));
    if (pre.ifNoneMatchAny && cur) throw new BackendError('precondition-failed', 'the object exists');
    if (pre.ifMatch !== undefined && cur?.etag !== pre.ifMatch) {
      throw new BackendError('precondition-failed', 'the object changed (If-Match)');
    }
    const holder = await inScope(m, ref, tx.selectFrom(m.table).select(m.key.column))
      .where(m.uid.column, '=', plan.uid)
      .execute();
    const other = holder.map((r: Row) => String(r[m.key.column])).find((k: string) => k !== cur?.key);
    if (other !== undefined) {
      const [o] = await loadObjects(tx, m, store, ref, { keys: [other] });
      throw new BackendError('conflict', `UID ${plan.uid} is held by ${o?.name}`, o?.name);
    }
    const values: Row = { ...plan.values };
    if (m.extras?.column) values[m.extras.column] = plan.extras;
    if (m.modified) values[m.modified.column] = nowNaive(m);
    if (m.href.strategy === 'column') values[m.href.column] = name;
    const key = cur ? await update(tx, m, cur, values) : await insert(conn, tx, m, ref, values);
    await writeChildren(tx, m, key, plan);
    const side: Side = {
      name: m.href.strategy === 'key' ? name : null,
      extras: m.extras?.column ? null : plan.extras,
      shadow: text,
      shadow_of: null,
    };
    // The client's bytes stand for the rows exactly as they render now (extras included).
    const [after] = await loadObjects(tx, m, store, ref, { keys: [key], overlay: side });
    side.shadow_of = after.rendered;
    staged(await store.stage(tx, m, after, side, cur && { uid: cur.uid, side: cur.kept }));
    return { etag: contentEtag(input.body), created: !cur };
  });
}

/**
 * The conditional UPDATE: on the version read (`WHERE version = ?`, then +1), else on the modified value
 * read (`WHERE modified = ?`, or IS NULL), so a write by the legacy UI since the read fails the update.
 */
export async function update(
  tx: AnyDb,
  m: ColumnsMapping,
  cur: Pick<Loaded, 'key' | 'version' | 'modified'>,
  values: Row,
): Promise<string> {
  let q = tx.updateTable(m.table).where(m.key.column, '=', cur.key);
  if (m.version) {
    const v = m.version.column;
    q = q.where(v, '=', cur.version).set((eb) => ({ ...values, [v]: eb(v, '+', 1) }));
  } else {
    const mod = m.modified?.column;
    if (mod)
      q =
        cur.modified === null || cur.modified === undefined
          ? q.where(mod, 'is', null)
          : q.where(mod, '=', cur.modified);
    q = q.set(values);
  }
  const res = await q.executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new BackendError('precondition-failed', 'the row changed concurrently');
  return cur.key;
}

async function insert(conn: SqlConnection, tx: AnyDb, m: ColumnsMapping, ref: CollectionRef, values: Row) {
  const row: Row = { ...values, [m.scope.owner]: ref.owner };
  if (m.scope.calendarColumn) row[m.scope.calendarColumn] = ref.id;
  if (m.version) row[m.version.column] = 1;
  if (m.softDelete) row[m.softDelete.column] = m.softDelete.live;
  if (!m.key.generated) throw new BackendError('forbidden', 'creating objects needs a generated key in this mapping');
  if (conn.dialect === 'mysql') {
    const res = await tx.insertInto(m.table).values(row).executeTakeFirst();
    return String(res.insertId);
  }
  const res = await tx.insertInto(m.table).values(row).returning(m.key.column).executeTakeFirstOrThrow();
  return String((res as Row)[m.key.column]);
}

async function writeChildren(tx: AnyDb, m: ColumnsMapping, key: string, plan: WritePlan): Promise<void> {
  for (const [c, rows] of [
    [m.card?.emails, plan.emails],
    [m.card?.phones, plan.phones],
  ] as const) {
    if (!c) continue;
    await tx.deleteFrom(c.table).where(c.parent, '=', key).execute();
    if (rows?.length)
      await tx
        .insertInto(c.table)
        .values(rows.map((r) => ({ ...r, [c.parent]: key })))
        .execute();
  }
  if (m.attendees) {
    const a = m.attendees;
    await tx.deleteFrom(a.table).where(a.parent, '=', key).execute();
    if (plan.attendees.length)
      await tx
        .insertInto(a.table)
        .values(plan.attendees.map((r) => ({ ...r, [a.parent]: key })))
        .execute();
  }
  if (m.exdates) {
    const x = m.exdates;
    await tx.deleteFrom(x.table).where(x.parent, '=', key).execute();
    if (plan.exdates.length)
      await tx
        .insertInto(x.table)
        .values(plan.exdates.map((d) => ({ [x.parent]: key, [x.column]: d })))
        .execute();
  }
}

export async function deleteObject(
  conn: SqlConnection,
  m: ColumnsMapping,
  store: SideStore,
  ref: CollectionRef,
  name: string,
  pre: WritePreconditions,
): Promise<void> {
  await transact(conn, async (tx, staged) => {
    const cur = await findByName(tx, m, store, ref, name, lockFor(conn));
    if (!cur) throw new BackendError('not-found', `${name} does not exist`);
    if (pre.ifMatch !== undefined && cur.etag !== pre.ifMatch) {
      throw new BackendError('precondition-failed', 'the object changed (If-Match)');
    }
    if (m.softDelete) {
      const values: Row = { [m.softDelete.column]: m.softDelete.deleted };
      if (m.modified) values[m.modified.column] = nowNaive(m);
      await update(tx, m, cur, values);
    } else {
      if (m.attendees) await tx.deleteFrom(m.attendees.table).where(m.attendees.parent, '=', cur.key).execute();
      for (const c of [m.exdates, m.card?.emails, m.card?.phones])
        if (c) await tx.deleteFrom(c.table).where(c.parent, '=', cur.key).execute();
      let q = tx.deleteFrom(m.table).where(m.key.column, '=', cur.key);
      if (m.version) q = q.where(m.version.column, '=', cur.version);
      else if (m.modified && cur.modified !== null && cur.modified !== undefined)
        q = q.where(m.modified.column, '=', cur.modified);
      const res = await q.executeTakeFirst();
      if (Number(res.numDeletedRows) !== 1)
        throw new BackendError('precondition-failed', 'the row changed concurrently');
    }
    // The name stays mapped so the change feed can still name the deletion; the client bytes go.
    staged(await store.stageDelete(tx, m, cur, name));
  });
}
