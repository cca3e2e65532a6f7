// Side data in davgate's state store (`extras: { store: state }`, see side.ts), for legacy databases where
// davgate may not create its side table. The store is not in the SQL transaction, so each row's record
// holds two versions: `cur`, the side data the row had, and `next`, staged by a write before its commit.
// `next` counts only once that transaction is known to have committed: the rows are exactly as the write
// left them (`rows`, a hash of row and child rows), or the writer marked it done after the commit (`ok`
// key; a legacy edit changes the rows), or it created the row (a rolled-back insert leaves no row with its
// UID). Both versions name the row's UID, so a record left behind by a deleted row never attaches to a
// new row that gets the same key. Keys (percent-encoded parts):
//   dg:columns:<backend id>:<table>:rec:<key>        JSON {cur?, next?}
//   dg:columns:<backend id>:<table>:ok:<key>:<id>    "1" once the write <id> committed
//   dg:columns:<backend id>:<table>:name:<name>      key of the row a client named <name>
//   dg:columns:<backend id>:<table>:claims           "1" once a client chose a name of the form <key>.ics
import { randomUUID } from 'node:crypto';
import { BackendError } from '../../../src/backend/port.ts';
import type { ColumnsMapping } from './mapping.ts';
import type { RowRef, Side, SideStore, Staged } from './side.ts';

/** What the columns profile needs of davgate's state store (src/state/store.ts StateStore has it). */
export interface StateValues {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

interface Kept extends Side {
  uid: string;
}
interface Pending extends Kept {
  id: string;
  rows: string;
  /** The write inserted the row. */
  created?: true;
}
interface Rec {
  cur?: Kept;
  next?: Pending;
}

/** Requests in flight per batch when reading many records (a listing). */
const BATCH = 256;

const keep = (s: Side, uid: string): Kept => ({
  uid,
  name: s.name,
  extras: s.extras,
  shadow: s.shadow,
  shadow_of: s.shadow_of,
});

function parse(raw: string | undefined): Rec | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as Rec;
  } catch {
    return undefined;
  }
}

/** A name that is also the default name of some row (`<key>.ics`), which the listing must then avoid. */
function defaultLike(m: ColumnsMapping, name: string): boolean {
  const ext = m.component === 'VCARD' ? '.vcf' : '.ics';
  if (m.href.strategy !== 'key' || !name.endsWith(ext)) return false;
  return !m.key.generated || /^[0-9]+$/.test(name.slice(0, -ext.length));
}

/** Side data kept in `store` under `dg:columns:<ns>:…`; `ns` is the backend id. */
export function stateSide(store: StateValues, ns: string): SideStore {
  const at = (m: ColumnsMapping) => {
    const base = `dg:columns:${encodeURIComponent(ns)}:${encodeURIComponent(m.table)}:`;
    return {
      rec: (key: string) => `${base}rec:${encodeURIComponent(key)}`,
      ok: (key: string, id: string) => `${base}ok:${encodeURIComponent(key)}:${id}`,
      name: (name: string) => `${base}name:${encodeURIComponent(name)}`,
      claims: `${base}claims`,
    };
  };
  // Any failure of the store fails the request with 503 and Retry-After (src/dav/methods/request.ts).
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw new BackendError('unavailable', `state store (extras.store: state): ${what}: ${(e as Error).message}`);
    }
  };
  const get = (key: string) => call('get', () => store.get(key));
  const set = (key: string, value: string) => call('set', () => store.set(key, value));
  const del = (key: string) => call('delete', () => store.delete(key));
  const quietly = (fn: () => Promise<unknown>) => fn().catch(() => undefined);
  async function getMany(keys: string[]): Promise<(string | undefined)[]> {
    const out: (string | undefined)[] = [];
    for (let i = 0; i < keys.length; i += BATCH) out.push(...(await Promise.all(keys.slice(i, i + BATCH).map(get))));
    return out;
  }

  /** The version of a record that belongs to `row`, if any. */
  async function pick(m: ColumnsMapping, rec: Rec, row: RowRef): Promise<Kept | undefined> {
    const n = rec.next;
    if (n && n.uid === row.uid) {
      if (n.created || n.rows === row.tag() || (await get(at(m).ok(row.key, n.id))) !== undefined) return n;
    }
    return rec.cur?.uid === row.uid ? rec.cur : undefined;
  }

  return {
    prepare: async () => {},

    async read(_db, m, rows) {
      const recs = await getMany(rows.map((r) => at(m).rec(r.key)));
      const out = new Map<string, Side>();
      await Promise.all(
        rows.map(async (row, i) => {
          const rec = parse(recs[i]);
          const side = rec && (await pick(m, rec, row));
          if (side) out.set(row.key, side);
        }),
      );
      return out;
    },

    async holders(_db, m, names) {
      // Default-like names are looked up only once some client has chosen one (most never do).
      const claimed = names.some((n) => defaultLike(m, n)) && (await get(at(m).claims)) !== undefined;
      const wanted = names.filter((n) => claimed || !defaultLike(m, n));
      const keys = await getMany(wanted.map((n) => at(m).name(n)));
      return wanted.flatMap((name, i) => (keys[i] === undefined ? [] : [{ key: keys[i] as string, name }]));
    },

    async namesOf(_db, m, rows) {
      const recs = await getMany(rows.map((r) => at(m).rec(r.key)));
      const out = new Map<string, string>();
      rows.forEach((row, i) => {
        const rec = parse(recs[i]);
        const found = [rec?.cur, rec?.next].find((s) => s?.name && (row.uid === undefined || s.uid === row.uid));
        if (found?.name) out.set(row.key, found.name);
      });
      return out;
    },

    // Staged before the commit, counted only once the commit is known (see the header): a failure of the
    // store fails the request with the rows untouched, and a failed commit leaves `cur` in force.
    async stage(_tx, m, row, side, before) {
      const k = at(m);
      const undo: (() => Promise<unknown>)[] = [];
      const prevRaw = await get(k.rec(row.key));
      const id = randomUUID();
      const next: Pending = { ...keep(side, row.uid), id, rows: row.tag(), ...(!before && { created: true }) };
      const rec: Rec = before?.side ? { cur: keep(before.side, before.uid), next } : { next };
      try {
        const name = side.name;
        if (name) {
          if (defaultLike(m, name)) await set(k.claims, '1');
          const holder = await get(k.name(name));
          if (holder !== row.key) {
            undo.push(() => (holder === undefined ? del(k.name(name)) : set(k.name(name), holder)));
            await set(k.name(name), row.key);
          }
        }
        undo.push(() => (prevRaw === undefined ? del(k.rec(row.key)) : set(k.rec(row.key), prevRaw)));
        await set(k.rec(row.key), JSON.stringify(rec));
      } catch (e) {
        for (const u of [...undo].reverse()) await quietly(u);
        throw e;
      }
      const prevId = parse(prevRaw)?.next?.id;
      return {
        // Best effort after the commit: without the mark, `next` still counts while the rows are unchanged.
        async committed() {
          await quietly(() => set(k.ok(row.key, id), '1'));
          if (prevId) await quietly(() => del(k.ok(row.key, prevId)));
        },
        async aborted() {
          for (const u of [...undo].reverse()) await quietly(u);
        },
      } satisfies Staged;
    },

    async stageDelete(_tx, m, row, name) {
      const k = at(m);
      return {
        // After the commit: a tombstone keeps only the name (change feeds name the deletion). Should this
        // fail, the old record stays bound to the deleted row's UID and never attaches to another row.
        async committed() {
          const prevId = parse((await quietly(() => get(k.rec(row.key)))) as string | undefined)?.next?.id;
          const tomb: Rec = { cur: { uid: row.uid, name, extras: null, shadow: null, shadow_of: null } };
          await quietly(() => set(k.rec(row.key), JSON.stringify(tomb)));
          if (prevId) await quietly(() => del(k.ok(row.key, prevId)));
        },
        aborted: async () => {},
      };
    },
  };
}
