// Collection listing and management in SabreDAV's tables, the way its PDO backends do it: getCalendarsForUser
// (calendarinstances ⋈ calendars, ordered by calendarorder), createCalendar (a calendars row with synctoken 1
// and components, default 'VEVENT,VTODO', then the owner's calendarinstances row), updateCalendar (instance
// columns, then a collection change: uri '' operation 2), deleteCalendar (an owner removes objects, changes,
// every instance and the calendar; a sharee only its instance), and the same for address books.
import type { CollectionAdmin } from '../../../src/backend/port.ts';
import { BackendError } from '../../../src/backend/port.ts';
import type {
  CollectionInfo,
  CollectionKind,
  CollectionPatch,
  CollectionRef,
  HomeKind,
} from '../../../src/backend/types.ts';
import type { AnyDb } from '../query/connect.ts';
import { addChange, collectionPath, type Handle, principalUri, resolve, type SabreCtx } from './handles.ts';
import { deletePropsTree, readProps, writeProps } from './props.ts';
import { isUniqueViolation, num, optNum, optStr, str } from './rows.ts';

type Tx = <T>(fn: (db: AnyDb) => Promise<T>) => Promise<T>;

function infoOf(ref: CollectionRef, r: Record<string, unknown>): CollectionInfo {
  const info: CollectionInfo = { ref, kind: ref.home === 'calendars' ? 'calendar' : 'addressbook', deadProps: {} };
  const displayName = optStr(r.displayname);
  const description = optStr(r.description);
  if (displayName !== undefined) info.displayName = displayName;
  if (description !== undefined) info.description = description;
  if (ref.home === 'calendars') {
    info.components = str(r.components)
      .split(',')
      .filter((c) => c.length > 0);
    const tz = optStr(r.timezone);
    const color = optStr(r.calendarcolor);
    const order = optNum(r.calendarorder);
    if (tz !== undefined) info.timezone = tz;
    if (color !== undefined) info.color = color;
    if (order !== undefined) info.order = order;
    if (num(r.access) === 2) info.readonly = true;
  }
  return info;
}

async function rowsOf(db: AnyDb, ctx: SabreCtx, owner: string, home: HomeKind, uri?: string) {
  const principal = principalUri(ctx, owner);
  if (home === 'calendars') {
    let q = db
      .selectFrom('calendarinstances as ci')
      .innerJoin('calendars as c', 'c.id', 'ci.calendarid')
      .select([
        'ci.uri',
        'ci.displayname',
        'ci.description',
        'ci.timezone',
        'ci.calendarcolor',
        'ci.calendarorder',
        'ci.access',
        'c.components',
      ])
      .where('ci.principaluri', '=', principal);
    if (uri !== undefined) q = q.where('ci.uri', '=', uri);
    return q.orderBy('ci.calendarorder').orderBy('ci.id').execute();
  }
  let q = db
    .selectFrom('addressbooks')
    .select(['uri', 'displayname', 'description'])
    .where('principaluri', '=', principal);
  if (uri !== undefined) q = q.where('uri', '=', uri);
  return q.orderBy('id').execute();
}

export async function listInfos(db: AnyDb, ctx: SabreCtx, owner: string, home: HomeKind): Promise<CollectionInfo[]> {
  const infos = (await rowsOf(db, ctx, owner, home)).map((r) => infoOf({ owner, home, id: str(r.uri) }, r));
  const props = await readProps(
    db,
    infos.map((i) => collectionPath(i.ref)),
  );
  for (const i of infos) i.deadProps = props.get(collectionPath(i.ref)) ?? {};
  return infos;
}

export async function getInfo(db: AnyDb, ctx: SabreCtx, ref: CollectionRef): Promise<CollectionInfo | undefined> {
  if (ref.id.includes('/') || ref.id === '') return undefined;
  const [row] = await rowsOf(db, ctx, ref.owner, ref.home, ref.id);
  if (!row) return undefined;
  const info = infoOf({ ...ref }, row);
  info.deadProps = (await readProps(db, [collectionPath(ref)])).get(collectionPath(ref)) ?? {};
  return info;
}

/** The calendarinstances columns a patch sets (SabreDAV's propertyMap); undefined = untouched. */
function instanceColumns(patch: CollectionPatch): Record<string, unknown> {
  const cols: Record<string, unknown> = {};
  if (patch.displayName !== undefined) cols.displayname = patch.displayName;
  if (patch.description !== undefined) cols.description = patch.description;
  if (patch.timezone !== undefined) cols.timezone = patch.timezone;
  if (patch.color !== undefined) cols.calendarcolor = patch.color;
  // calendarorder is NOT NULL DEFAULT 0 on PostgreSQL and MySQL: removing it means the default.
  if (patch.order !== undefined) cols.calendarorder = patch.order ?? 0;
  return cols;
}

export class SabreCollectionAdmin implements CollectionAdmin {
  readonly #ctx: SabreCtx;
  readonly #tx: Tx;
  readonly #read: (ref: CollectionRef) => Promise<CollectionInfo | undefined>;

  constructor(ctx: SabreCtx, tx: Tx, read: (ref: CollectionRef) => Promise<CollectionInfo | undefined>) {
    this.#ctx = ctx;
    this.#tx = tx;
    this.#read = read;
  }

  async createCollection(ref: CollectionRef, kind: CollectionKind, patch: CollectionPatch): Promise<CollectionInfo> {
    if (ref.id.includes('/')) throw new BackendError('conflict', 'SabreDAV homes hold no nested collections');
    const expected = ref.home === 'calendars' ? 'calendar' : 'addressbook';
    if (kind !== expected)
      throw new BackendError('forbidden', `a SabreDAV ${ref.home} home holds only ${expected} collections`);
    const ctx = this.#ctx;
    const principal = principalUri(ctx, ref.owner);
    try {
      await this.#tx(async (db) => {
        if (await resolve(db, ctx, ref)) throw new BackendError('exists', `${ref.id} exists`);
        if (kind === 'calendar') {
          const components = (patch.components ?? ['VEVENT', 'VTODO']).join(',');
          const calendarid = await insertId(ctx, db, 'calendars', { synctoken: 1, components });
          const cols = Object.fromEntries(Object.entries(instanceColumns(patch)).filter(([, v]) => v !== null));
          await db
            .insertInto('calendarinstances')
            .values({ calendarid, principaluri: principal, uri: ref.id, transparent: 0, ...cols })
            .execute();
        } else {
          await db
            .insertInto('addressbooks')
            .values({
              uri: ref.id,
              displayname: patch.displayName ?? null,
              description: patch.description ?? null,
              principaluri: principal,
              synctoken: 1,
            })
            .execute();
        }
        await writeProps(db, ctx.conn.dialect, collectionPath(ref), patch.deadProps);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new BackendError('exists', `${ref.id} exists`);
      throw err;
    }
    return this.#mustRead(ref);
  }

  async updateCollection(ref: CollectionRef, patch: CollectionPatch): Promise<CollectionInfo> {
    const ctx = this.#ctx;
    await this.#tx(async (db) => {
      const h = await resolve(db, ctx, ref, true);
      if (!h) throw new BackendError('not-found', `no collection ${ref.id}`);
      if (h.access === 2) throw new BackendError('forbidden', 'read-only shared calendar');
      if (h.kind === 'calendar') {
        const cols = instanceColumns(patch);
        if (Object.keys(cols).length)
          await db.updateTable('calendarinstances').set(cols).where('id', '=', h.instanceId).execute();
        if (patch.components !== undefined) {
          const components = (patch.components ?? ['VEVENT', 'VTODO']).join(',');
          await db.updateTable('calendars').set({ components }).where('id', '=', h.dataId).execute();
        }
      } else {
        const cols: Record<string, unknown> = {};
        if (patch.displayName !== undefined) cols.displayname = patch.displayName;
        if (patch.description !== undefined) cols.description = patch.description;
        if (Object.keys(cols).length)
          await db.updateTable('addressbooks').set(cols).where('id', '=', h.dataId).execute();
      }
      await writeProps(db, ctx.conn.dialect, h.path, patch.deadProps);
      await addChange(db, h, '', 2);
    });
    return this.#mustRead(ref);
  }

  async deleteCollection(ref: CollectionRef): Promise<void> {
    const ctx = this.#ctx;
    await this.#tx(async (db) => {
      const h = await resolve(db, ctx, ref, true);
      if (!h) throw new BackendError('not-found', `no collection ${ref.id}`);
      await deleteRows(db, h);
      await deletePropsTree(db, h.path);
    });
  }

  async #mustRead(ref: CollectionRef): Promise<CollectionInfo> {
    const info = await this.#read(ref);
    if (!info) throw new BackendError('not-found', `no collection ${ref.id}`);
    return info;
  }
}

async function deleteRows(db: AnyDb, h: Handle): Promise<void> {
  if (h.kind === 'calendar') {
    if (h.access !== 1) {
      await db.deleteFrom('calendarinstances').where('id', '=', h.instanceId).execute();
      return;
    }
    await db.deleteFrom('calendarobjects').where('calendarid', '=', h.dataId).execute();
    await db.deleteFrom('calendarchanges').where('calendarid', '=', h.dataId).execute();
    await db.deleteFrom('calendarinstances').where('calendarid', '=', h.dataId).execute();
    await db.deleteFrom('calendars').where('id', '=', h.dataId).execute();
    return;
  }
  await db.deleteFrom('cards').where('addressbookid', '=', h.dataId).execute();
  await db.deleteFrom('addressbooks').where('id', '=', h.dataId).execute();
  await db.deleteFrom('addressbookchanges').where('addressbookid', '=', h.dataId).execute();
}

/** INSERT returning the new SERIAL/AUTO_INCREMENT id on all three databases. */
async function insertId(ctx: SabreCtx, db: AnyDb, table: string, values: Record<string, unknown>): Promise<number> {
  if (ctx.conn.dialect === 'postgres') {
    const row = await db.insertInto(table).values(values).returning('id').executeTakeFirstOrThrow();
    return num(row.id);
  }
  const res = await db.insertInto(table).values(values).executeTakeFirstOrThrow();
  return Number(res.insertId);
}
