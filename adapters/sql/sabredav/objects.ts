// Calendar objects and cards in SabreDAV's tables. Reads serve the stored bytes and etag as they are; writes
// recompute every derived column as SabreDAV's PDO backend does (derived.ts; cards: etag = md5, size,
// lastmodified) and record the change (addChange) in the same transaction. The precondition is checked on
// the locked row inside that transaction, so a concurrent writer (davgate or Baïkal) cannot be overwritten.
import { BackendError } from '../../../src/backend/port.ts';
import type { ObjectRef, PutInput, PutResult, StoredObject, WritePreconditions } from '../../../src/backend/types.ts';
import type { AnyDb } from '../query/connect.ts';
import { deriveCalendarColumns, md5Hex } from './derived.ts';
import { addChange, type Handle, type SabreCtx, TABLES } from './handles.ts';
import { deletePropsTree, readProps } from './props.ts';
import { bodyParam, bytes, isUniqueViolation, num, str, unixNow } from './rows.ts';

const BATCH = 500;

export async function listRefs(db: AnyDb, h: Handle): Promise<ObjectRef[]> {
  const t = TABLES[h.kind];
  const rows = await db
    .selectFrom(t.objects)
    .select(['uri', 'etag'])
    .where(t.parent, '=', h.dataId)
    .orderBy('uri')
    .execute();
  const out = rows.map((r) => ({ name: str(r.uri), etag: r.etag == null ? '' : str(r.etag) }));
  // Very old SabreDAV rows may lack an etag: SabreDAV then serves md5 of the data, so do we.
  const missing = out.filter((o) => o.etag === '').map((o) => o.name);
  if (missing.length) {
    const etags = new Map((await getStored(db, h, missing, false)).map((o) => [o.name, o.etag]));
    for (const o of out) if (o.etag === '') o.etag = etags.get(o.name) ?? '';
  }
  return out;
}

export async function getStored(db: AnyDb, h: Handle, names: string[], withProps = true): Promise<StoredObject[]> {
  const t = TABLES[h.kind];
  const out: StoredObject[] = [];
  for (let i = 0; i < names.length; i += BATCH) {
    const rows = await db
      .selectFrom(t.objects)
      .select(['uri', 'etag', t.data, 'lastmodified'])
      .where(t.parent, '=', h.dataId)
      .where('uri', 'in', names.slice(i, i + BATCH))
      .execute();
    for (const r of rows) {
      const body = bytes(r[t.data]);
      out.push({
        name: str(r.uri),
        etag: r.etag == null ? md5Hex(body) : str(r.etag),
        body,
        contentType: t.contentType,
        lastModified: new Date(num(r.lastmodified ?? 0) * 1000),
        deadProps: {},
      });
    }
  }
  if (withProps && out.length) {
    const props = await readProps(
      db,
      out.map((o) => `${h.path}/${o.name}`),
    );
    for (const o of out) o.deadProps = props.get(`${h.path}/${o.name}`) ?? {};
  }
  return out;
}

/** The current etag of one object, row-locked on PostgreSQL/MySQL (SQLite: the write transaction holds the file). */
async function lockedEtag(ctx: SabreCtx, db: AnyDb, h: Handle, name: string): Promise<string | undefined> {
  const t = TABLES[h.kind];
  let q = db.selectFrom(t.objects).select(['etag', t.data]).where(t.parent, '=', h.dataId).where('uri', '=', name);
  if (ctx.conn.dialect !== 'sqlite') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  return row.etag == null ? md5Hex(bytes(row[t.data])) : str(row.etag);
}

function checkPreconditions(current: string | undefined, pre: WritePreconditions): void {
  if (pre.ifNoneMatchAny && current !== undefined) throw new BackendError('precondition-failed', 'object exists');
  if (pre.ifMatch !== undefined && current !== pre.ifMatch)
    throw new BackendError('precondition-failed', 'etag mismatch');
}

/** The name of another object in the collection holding `uid`, if any. */
export async function uidHolder(db: AnyDb, h: Handle, uid: string, except?: string): Promise<string | undefined> {
  if (!uid) return undefined;
  if (h.kind === 'calendar') {
    let q = db.selectFrom('calendarobjects').select('uri').where('calendarid', '=', h.dataId).where('uid', '=', uid);
    if (except !== undefined) q = q.where('uri', '<>', except);
    const row = await q.orderBy('uri').executeTakeFirst();
    return row ? str(row.uri) : undefined;
  }
  // cards has no uid column: look at the vCards (SabreDAV itself does not enforce CardDAV no-uid-conflict).
  const rows = await db
    .selectFrom('cards')
    .select(['uri', 'carddata'])
    .where('addressbookid', '=', h.dataId)
    .orderBy('uri')
    .execute();
  for (const r of rows) {
    const name = str(r.uri);
    if (name !== except && vcardUid(str(r.carddata)) === uid) return name;
  }
  return undefined;
}

function vcardUid(text: string): string | undefined {
  const m = /(?:^|\n)UID(?:;[^:\r\n]*)?:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/i.exec(text);
  return m ? m[1].replace(/\r?\n[ \t]/g, '').trim() : undefined;
}

export async function putRow(
  ctx: SabreCtx,
  db: AnyDb,
  h: Handle,
  name: string,
  input: PutInput,
  pre: WritePreconditions,
): Promise<PutResult> {
  if (h.access === 2) throw new BackendError('forbidden', 'read-only shared calendar');
  const t = TABLES[h.kind];
  const current = await lockedEtag(ctx, db, h, name);
  checkPreconditions(current, pre);
  const body = input.body;
  const now = unixNow();
  const cols: Record<string, unknown> =
    h.kind === 'calendar'
      ? { ...deriveCalendarColumns(body, ctx.zone) }
      : { etag: md5Hex(body), size: body.byteLength };
  const uid = h.kind === 'calendar' ? String(cols.uid) : (input.uid ?? vcardUid(new TextDecoder().decode(body)) ?? '');
  const holder = await uidHolder(db, h, uid, name);
  if (holder !== undefined) throw new BackendError('conflict', `UID ${uid} is used by ${holder}`, holder);
  const values = { ...cols, [t.data]: bodyParam(ctx.conn.dialect, body), lastmodified: now };
  if (current === undefined) {
    try {
      await db
        .insertInto(t.objects)
        .values({ ...values, [t.parent]: h.dataId, uri: name })
        .execute();
    } catch (err) {
      // Another writer created the name after our check (its row was not there to lock).
      if (isUniqueViolation(err)) throw new BackendError('precondition-failed', 'object created concurrently');
      throw err;
    }
    await addChange(db, h, name, 1);
    return { etag: String(cols.etag), created: true };
  }
  await db.updateTable(t.objects).set(values).where(t.parent, '=', h.dataId).where('uri', '=', name).execute();
  await addChange(db, h, name, 2);
  return { etag: String(cols.etag), created: false };
}

export async function deleteRow(
  ctx: SabreCtx,
  db: AnyDb,
  h: Handle,
  name: string,
  pre: WritePreconditions,
): Promise<void> {
  if (h.access === 2) throw new BackendError('forbidden', 'read-only shared calendar');
  const t = TABLES[h.kind];
  const current = await lockedEtag(ctx, db, h, name);
  if (current === undefined) throw new BackendError('not-found', `no object ${name}`);
  checkPreconditions(current, pre);
  await db.deleteFrom(t.objects).where(t.parent, '=', h.dataId).where('uri', '=', name).execute();
  await addChange(db, h, name, 3);
  await deletePropsTree(db, `${h.path}/${name}`);
}
