// Reading column-mapped events: scope a collection, load rows with their child rows and kept extras,
// render them, and name them. The side table davgate_columns_extra keeps what the legacy schema has no
// column for: client-chosen resource names, unmapped properties, and the client's last bytes (served only
// while the row still renders exactly as it did when davgate wrote it, so byte round trips hold).
import { contentEtag } from '../../../src/backend/etag.ts';
import { BackendError } from '../../../src/backend/port.ts';
import type { CollectionRef, StoredObject } from '../../../src/backend/types.ts';
import type { AnyDb } from '../query/connect.ts';
import { naiveToUtc, parseStored } from './local-time.ts';
import type { ColumnsMapping } from './mapping.ts';
import { type EntityData, renderEvent } from './to-ical.ts';
import { renderCard } from './to-vcard.ts';

type Row = Record<string, unknown>;
export const SIDE_TABLE = 'davgate_columns_extra';

export interface Side {
  name: string | null;
  extras: string | null;
  shadow: string | null;
  shadow_of: string | null;
}

export interface Loaded extends StoredObject {
  key: string;
  uid: string;
  version: unknown;
  /** The modified column's value as read (the optimistic-lock value when there is no version column). */
  modified: unknown;
  /** Content hash of the rendering from rows (what shadow_of is compared with). */
  rendered: string;
}

/** Contacts are served as address books (`.vcf`), events and tasks as calendars (`.ics`). */
export const homeOf = (m: ColumnsMapping) => (m.component === 'VCARD' ? 'addressbooks' : 'calendars');
export const extOf = (m: ColumnsMapping) => (m.component === 'VCARD' ? '.vcf' : '.ics');
const contentTypeOf = (m: ColumnsMapping) =>
  m.component === 'VCARD' ? 'text/vcard; charset=utf-8' : 'text/calendar; charset=utf-8';

/** Throws not-found unless `ref` names a collection of this mapping. */
export function checkRef(m: ColumnsMapping, ref: CollectionRef): void {
  if (ref.home !== homeOf(m)) throw new BackendError('not-found', 'no such collection');
  if (m.scope.calendar && ref.id !== m.scope.calendar.id) throw new BackendError('not-found', 'no such collection');
}

// biome-ignore lint/suspicious/noExplicitAny: Kysely builders over a schema chosen at run time
export function inScope(m: ColumnsMapping, ref: CollectionRef, qb: any, live = true): any {
  let q = qb.where(m.scope.owner, '=', ref.owner);
  if (m.scope.calendarColumn) q = q.where(m.scope.calendarColumn, '=', ref.id);
  const sd = m.softDelete;
  // biome-ignore lint/suspicious/noExplicitAny: expression builder
  if (live && sd) q = q.where((eb: any) => eb.or([eb(sd.column, '=', sd.live), eb(sd.column, 'is', null)]));
  return q;
}

export async function sideRows(db: AnyDb, m: ColumnsMapping, keys: string[]): Promise<Map<string, Side>> {
  const out = new Map<string, Side>();
  if (keys.length === 0) return out;
  const rows = await db
    .selectFrom(SIDE_TABLE)
    .selectAll()
    .where('tbl', '=', m.table)
    .where('obj_key', 'in', keys)
    .execute();
  for (const r of rows) out.set(String(r.obj_key), r as Side);
  return out;
}

/**
 * The resource name of a row: the href column, else the name a DAV client chose (side table), else
 * `<key>.ics` — or `row-<key>.ics` when a client already named another object `<key>.ics` (a client may
 * create `7.ics` that lands in row 3; legacy row 7 must not then appear under the same name).
 */
export function nameOf(m: ColumnsMapping, row: Row, side: Side | undefined, taken?: Set<string>): string {
  if (m.href.strategy === 'column' && row[m.href.column]) return String(row[m.href.column]);
  if (side?.name) return side.name;
  const key = String(row[m.key.column]);
  const ext = extOf(m);
  return taken?.has(`${key}${ext}`) ? `row-${key}${ext}` : `${key}${ext}`;
}

/** Default names (`<key>.ics`) of rows without a chosen name that some other row's chosen name holds. */
async function takenNames(db: AnyDb, m: ColumnsMapping, rows: Row[], side: Map<string, Side>): Promise<Set<string>> {
  if (m.href.strategy !== 'key') return new Set();
  const wanted = rows
    .map((r) => String(r[m.key.column]))
    .filter((k) => !side.get(k)?.name)
    .map((k) => `${k}${extOf(m)}`);
  if (wanted.length === 0) return new Set();
  const held = await db
    .selectFrom(SIDE_TABLE)
    .select(['obj_key', 'name'])
    .where('tbl', '=', m.table)
    .where('name', 'in', wanted)
    .execute();
  return new Set(held.filter((h) => `${String(h.obj_key)}${extOf(m)}` !== h.name).map((h) => String(h.name)));
}

/** Keys of live rows in scope that may carry `name` (the caller re-checks with nameOf). */
export async function keysForName(db: AnyDb, m: ColumnsMapping, ref: CollectionRef, name: string): Promise<string[]> {
  if (m.href.strategy === 'column') {
    const rows = await inScope(m, ref, db.selectFrom(m.table).select(m.key.column))
      .where(m.href.column, '=', name)
      .execute();
    return rows.map((r: Row) => String(r[m.key.column]));
  }
  const side = await db
    .selectFrom(SIDE_TABLE)
    .select('obj_key')
    .where('tbl', '=', m.table)
    .where('name', '=', name)
    .execute();
  const keys = side.map((r) => String(r.obj_key));
  const ext = extOf(m).slice(1);
  for (const k of [new RegExp(`^(.+)\\.${ext}$`).exec(name)?.[1], new RegExp(`^row-(.+)\\.${ext}$`).exec(name)?.[1]])
    if (k && (!m.key.generated || /^[0-9]+$/.test(k))) keys.push(k);
  return keys;
}

/** Loads and renders rows (all live rows in scope, or those with the given keys). */
export async function loadObjects(
  db: AnyDb,
  m: ColumnsMapping,
  ref: CollectionRef,
  keys?: string[],
  // biome-ignore lint/suspicious/noExplicitAny: Kysely select builder
  lock?: (q: any) => any,
): Promise<Loaded[]> {
  if (keys && keys.length === 0) return [];
  let q = inScope(m, ref, db.selectFrom(m.table).selectAll());
  if (keys) q = q.where(m.key.column, 'in', keys);
  if (lock) q = lock(q);
  const rows: Row[] = await q.orderBy(m.key.column).execute();
  const ids = rows.map((r) => r[m.key.column]);
  const att = await childRows(db, m.attendees && { ...m.attendees, order: m.attendees.email }, ids);
  const emails = await childRows(db, m.card?.emails && { ...m.card.emails, order: m.card.emails.value }, ids);
  const phones = await childRows(db, m.card?.phones && { ...m.card.phones, order: m.card.phones.value }, ids);
  const exd = new Map<string, unknown[]>();
  if (ids.length && m.exdates) {
    const x = m.exdates;
    for (const r of await db.selectFrom(x.table).selectAll().where(x.parent, 'in', ids).execute()) {
      const k = String(r[x.parent]);
      exd.set(k, [...(exd.get(k) ?? []), r[x.column]]);
    }
  }
  const side = await sideRows(db, m, ids.map(String));
  const taken = await takenNames(db, m, rows, side);
  return rows.map((row) => {
    const key = String(row[m.key.column]);
    const s = side.get(key);
    const data: EntityData = {
      row,
      attendees: att.get(key) ?? [],
      exdates: exd.get(key) ?? [],
      extras: (m.extras ? (row[m.extras.column] as string | null) : s?.extras) ?? null,
    };
    const text =
      m.component === 'VCARD'
        ? renderCard(m, { ...data, emails: emails.get(key) ?? [], phones: phones.get(key) ?? [] })
        : renderEvent(m, data);
    const rendered = contentEtag(new TextEncoder().encode(text));
    const served = s?.shadow && s.shadow_of === rendered ? s.shadow : text;
    const body = new TextEncoder().encode(served);
    const mod = m.modified ? parseStored(row[m.modified.column]) : undefined;
    return {
      key,
      uid: String(row[m.uid.column]),
      version: m.version ? row[m.version.column] : undefined,
      modified: m.modified ? row[m.modified.column] : undefined,
      rendered,
      name: nameOf(m, row, s, taken),
      etag: contentEtag(body),
      body,
      contentType: contentTypeOf(m),
      lastModified: new Date(mod ? naiveToUtc(m.time.zone, mod).utcMs : 0),
      deadProps: {},
    };
  });
}

/** Rows of a child table (attendees, e-mails, phones) by parent key. */
async function childRows(
  db: AnyDb,
  c: { table: string; parent: string; order: string } | undefined,
  ids: unknown[],
): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  if (!c || ids.length === 0) return out;
  for (const r of await db.selectFrom(c.table).selectAll().where(c.parent, 'in', ids).orderBy(c.order).execute()) {
    const k = String(r[c.parent]);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

/** The live object holding `name` in scope, if any. */
export async function findByName(
  db: AnyDb,
  m: ColumnsMapping,
  ref: CollectionRef,
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: Kysely select builder
  lock?: (q: any) => any,
): Promise<Loaded | undefined> {
  const found = await loadObjects(db, m, ref, await keysForName(db, m, ref, name), lock);
  return found.find((o) => o.name === name);
}
