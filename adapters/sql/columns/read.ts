// Reading column-mapped events: scope a collection, load rows with their child rows and kept side data,
// render them, and name them. The side data (side.ts) is what the legacy schema has no column for:
// client-chosen resource names, unmapped properties, and the client's last bytes (served only while the
// row still renders exactly as it did when davgate wrote it, so byte round trips hold).
import { contentEtag } from '../../../src/backend/etag.ts';
import { BackendError } from '../../../src/backend/port.ts';
import type { CollectionRef, StoredObject } from '../../../src/backend/types.ts';
import type { AnyDb } from '../query/connect.ts';
import { naiveToUtc, parseStored } from './local-time.ts';
import type { ColumnsMapping } from './mapping.ts';
import type { RowRef, Side, SideStore } from './side.ts';
import { type EntityData, renderEvent } from './to-ical.ts';
import { renderCard } from './to-vcard.ts';

type Row = Record<string, unknown>;

export interface Loaded extends StoredObject, RowRef {
  version: unknown;
  /** The modified column's value as read (the optimistic-lock value when there is no version column). */
  modified: unknown;
  /** Content hash of the rendering from rows (what shadow_of is compared with). */
  rendered: string;
  /** The side data the row was served with. */
  kept: Side | undefined;
}

export interface LoadOptions {
  /** Only these keys (default: every live row in scope). */
  keys?: string[];
  // biome-ignore lint/suspicious/noExplicitAny: Kysely select builder
  lock?: (q: any) => any;
  /** Side data to render with instead of the kept one (a write, before it keeps it). */
  overlay?: Side;
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
async function takenNames(
  db: AnyDb,
  m: ColumnsMapping,
  store: SideStore,
  rows: Row[],
  side: Map<string, Side>,
): Promise<Set<string>> {
  if (m.href.strategy !== 'key') return new Set();
  const wanted = rows
    .map((r) => String(r[m.key.column]))
    .filter((k) => !side.get(k)?.name)
    .map((k) => `${k}${extOf(m)}`);
  if (wanted.length === 0) return new Set();
  const held = await store.holders(db, m, wanted);
  return new Set(held.filter((h) => `${h.key}${extOf(m)}` !== h.name).map((h) => h.name));
}

/** Keys of live rows in scope that may carry `name` (the caller re-checks with nameOf). */
export async function keysForName(
  db: AnyDb,
  m: ColumnsMapping,
  store: SideStore,
  ref: CollectionRef,
  name: string,
): Promise<string[]> {
  if (m.href.strategy === 'column') {
    const rows = await inScope(m, ref, db.selectFrom(m.table).select(m.key.column))
      .where(m.href.column, '=', name)
      .execute();
    return rows.map((r: Row) => String(r[m.key.column]));
  }
  const keys = (await store.holders(db, m, [name])).map((h) => h.key);
  const ext = extOf(m).slice(1);
  for (const k of [new RegExp(`^(.+)\\.${ext}$`).exec(name)?.[1], new RegExp(`^row-(.+)\\.${ext}$`).exec(name)?.[1]])
    if (k && (!m.key.generated || /^[0-9]+$/.test(k))) keys.push(k);
  return keys;
}

/** Hash of a row and its child rows as read: identifies the row state side data was written for. */
function rowsTag(data: unknown[]): string {
  const json = JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  return contentEtag(new TextEncoder().encode(json));
}

/** Loads and renders rows (all live rows in scope, or those with the given keys). */
export async function loadObjects(
  db: AnyDb,
  m: ColumnsMapping,
  store: SideStore,
  ref: CollectionRef,
  opts: LoadOptions = {},
): Promise<Loaded[]> {
  const { keys, lock, overlay } = opts;
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
  const refs: RowRef[] = rows.map((row) => {
    const key = String(row[m.key.column]);
    const tag = () => rowsTag([row, att.get(key), exd.get(key), emails.get(key), phones.get(key)]);
    return { key, uid: String(row[m.uid.column]), tag };
  });
  const side = overlay ? new Map(refs.map((r) => [r.key, overlay])) : await store.read(db, m, refs);
  const taken = await takenNames(db, m, store, rows, side);
  return rows.map((row, i) => {
    const { key, uid, tag } = refs[i];
    const s = side.get(key);
    const data: EntityData = {
      row,
      attendees: att.get(key) ?? [],
      exdates: exd.get(key) ?? [],
      extras: (m.extras?.column ? (row[m.extras.column] as string | null) : s?.extras) ?? null,
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
      uid,
      tag,
      version: m.version ? row[m.version.column] : undefined,
      modified: m.modified ? row[m.modified.column] : undefined,
      rendered,
      kept: s,
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
  store: SideStore,
  ref: CollectionRef,
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: Kysely select builder
  lock?: (q: any) => any,
): Promise<Loaded | undefined> {
  const keys = await keysForName(db, m, store, ref, name);
  const found = await loadObjects(db, m, store, ref, { keys, lock });
  return found.find((o) => o.name === name);
}
