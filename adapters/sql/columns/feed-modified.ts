// The native change feed of a column mapping without triggers (issue 5: "a modified/version column plus
// soft-delete"), RFC 6578 via the port's `changesSince`. The token is a high-water mark plus what is needed
// to make it exact:
//   H  the highest `modified` value in the collection (naive local time, second granularity),
//   K  the highest key (generated keys grow), N the number of rows (soft-deleted included) with key ≤ K,
//   S  short hashes of the rows modified within `window` seconds before H.
// A delta is every row with modified ≥ H − window or key > K whose hash is not in S: live rows → changed,
// soft-deleted rows → deleted. Rows touched in the same second as H, or committed a little late with an
// earlier timestamp, are therefore neither missed nor reported twice. If the rows with key ≤ K no longer
// number N, a row was hard-deleted (or moved out of scope, or an insert committed out of key order): the
// token is invalid and the client resyncs from a full listing — the snapshot safety net.
import { createHash } from 'node:crypto';
import type { ChangeSet, CollectionRef } from '../../../src/backend/types.ts';
import type { AnyDb } from '../query/connect.ts';
import { formatNaive, icalLocal, type Naive, naiveToUtc, parseStored, utcToNaive } from './local-time.ts';
import type { ColumnsMapping } from './mapping.ts';
import { inScope, loadObjects, nameOf } from './read.ts';
import type { SideStore } from './side.ts';

type Row = Record<string, unknown>;

/** More rows than this in the window: the token keeps no hashes and the window is re-reported (harmless). */
const MAX_SEEN = 200;

interface Mark {
  h: Naive | undefined;
  k: number;
  n: number;
  /** undefined: re-report the whole window. */
  seen: Set<string> | undefined;
}

/** True when the mapping can use this feed: a modified column, a soft-delete flag and generated keys. */
export function canUseModifiedFeed(m: ColumnsMapping): boolean {
  return !!m.modified && !!m.softDelete && m.key.generated;
}

function rowHash(row: Row): string {
  const json = JSON.stringify(
    Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)),
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
  return createHash('sha256').update(json).digest('base64url').slice(0, 8);
}

function encode(mark: Mark): string {
  const seen = mark.seen ? [...mark.seen].sort().join(',') : '*';
  return `m1.${mark.h ? icalLocal(mark.h) : '-'}.${mark.k}.${mark.n}.${seen}`;
}

function decode(token: string): Mark | undefined {
  const t =
    /^m1\.(-|\d{8}T\d{6})\.(0|[1-9]\d{0,15})\.(0|[1-9]\d{0,15})\.(\*|[A-Za-z0-9_-]{8}(?:,[A-Za-z0-9_-]{8})*)?$/.exec(
      token,
    );
  if (!t) return undefined;
  const h =
    t[1] === '-'
      ? undefined
      : parseStored(t[1].replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)$/, '$1-$2-$3 $4:$5:$6'));
  const seen = t[4] === '*' ? undefined : new Set(t[4] ? t[4].split(',') : []);
  return { h, k: Number(t[2]), n: Number(t[3]), seen };
}

/** The start of the window before `h`, as a stored literal. */
function windowStart(m: ColumnsMapping, h: Naive): string {
  const ms = naiveToUtc(m.time.zone, h).utcMs - m.changeWindowSeconds * 1000;
  return formatNaive(utcToNaive(m.time.zone, ms));
}

async function countUpTo(db: AnyDb, m: ColumnsMapping, ref: CollectionRef, k: number): Promise<number> {
  const r = await inScope(m, ref, db.selectFrom(m.table), false)
    .select((eb: { fn: { countAll: () => { as: (n: string) => unknown } } }) => eb.fn.countAll().as('n'))
    .where(m.key.column, '<=', k)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The mark describing the collection now (read before the delta, so nothing slips between). */
async function currentMark(db: AnyDb, m: ColumnsMapping, ref: CollectionRef): Promise<Mark> {
  const mod = m.modified?.column ?? '';
  const top = await inScope(m, ref, db.selectFrom(m.table), false)
    .select((eb: { fn: { max: (c: string) => { as: (n: string) => unknown } } }) => [
      eb.fn.max(mod).as('h'),
      eb.fn.max(m.key.column).as('k'),
    ])
    .executeTakeFirst();
  const h = parseStored(top?.h);
  const k = Number(top?.k ?? 0);
  const n = await countUpTo(db, m, ref, k);
  if (!h) return { h, k, n, seen: new Set() };
  const rows: Row[] = await inScope(m, ref, db.selectFrom(m.table).selectAll(), false)
    .where(mod, '>=', windowStart(m, h))
    .execute();
  return { h, k, n, seen: rows.length > MAX_SEEN ? undefined : new Set(rows.map(rowHash)) };
}

export async function modifiedFeedToken(db: AnyDb, m: ColumnsMapping, ref: CollectionRef): Promise<string> {
  return encode(await currentMark(db, m, ref));
}

export async function modifiedFeedChanges(
  db: AnyDb,
  m: ColumnsMapping,
  store: SideStore,
  ref: CollectionRef,
  since: string | null,
): Promise<ChangeSet | 'invalid-token'> {
  const from = since === null ? undefined : decode(since);
  if (since !== null && !from) return 'invalid-token';
  const now = await currentMark(db, m, ref);
  const token = encode(now);
  if (!from) {
    const all = await loadObjects(db, m, store, ref);
    return { token, changed: all.map((o) => ({ name: o.name, etag: o.etag })), deleted: [] };
  }
  if (from.k > now.k || (await countUpTo(db, m, ref, from.k)) !== from.n) return 'invalid-token';
  const mod = m.modified?.column ?? '';
  let q = inScope(m, ref, db.selectFrom(m.table).selectAll(), false);
  const h = from.h;
  // biome-ignore lint/suspicious/noExplicitAny: expression builder over a run-time schema
  q = q.where((eb: any) =>
    h ? eb.or([eb(mod, '>=', windowStart(m, h)), eb(m.key.column, '>', from.k)]) : eb(m.key.column, '>', from.k),
  );
  const rows: Row[] = (await q.execute()).filter((r: Row) => !from.seen?.has(rowHash(r)));
  const sd = m.softDelete;
  const isLive = (r: Row) => !sd || r[sd.column] === null || String(r[sd.column]) === String(sd.live);
  const keys = (f: (r: Row) => boolean) => rows.filter(f).map((r) => String(r[m.key.column]));
  const changed = (await loadObjects(db, m, store, ref, { keys: keys(isLive) })).map((o) => ({
    name: o.name,
    etag: o.etag,
  }));
  const goneRows = rows.filter((r) => !isLive(r));
  const kept = await store.namesOf(
    db,
    m,
    goneRows.map((r) => ({ key: String(r[m.key.column]), uid: String(r[m.uid.column]) })),
  );
  const deleted = goneRows.map((r) => {
    const name = kept.get(String(r[m.key.column])) ?? null;
    return nameOf(m, r, { name, extras: null, shadow: null, shadow_of: null });
  });
  return { token, changed, deleted };
}
