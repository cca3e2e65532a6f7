// The side table davgate_columns_extra (the default home of side data, see side.ts): one row per mapped
// row in the legacy database, written in the same transaction as the row, so a write lands whole or not at
// all. Needs CREATE TABLE once; `extras.store: state` (side-state.ts) avoids it.
import type { AnyDb, SqlConnection } from '../query/connect.ts';
import type { ColumnsMapping } from './mapping.ts';
import { NOTHING_STAGED, type Side, type SideStore } from './side.ts';

export const SIDE_TABLE = 'davgate_columns_extra';

/** The side rows of these mapped rows (one statement). */
function sideRowsOf(db: AnyDb, m: ColumnsMapping, rows: { key: string }[]) {
  return db
    .selectFrom(SIDE_TABLE)
    .selectAll()
    .where('tbl', '=', m.table)
    .where(
      'obj_key',
      'in',
      rows.map((r) => r.key),
    )
    .execute();
}

export const sideTable: SideStore = {
  async prepare(conn: SqlConnection) {
    await conn.db.schema
      .createTable(SIDE_TABLE)
      .ifNotExists()
      .addColumn('tbl', 'varchar(64)', (c) => c.notNull())
      .addColumn('obj_key', 'varchar(191)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)')
      .addColumn('extras', 'text')
      .addColumn('shadow', 'text')
      .addColumn('shadow_of', 'varchar(64)')
      .addPrimaryKeyConstraint(`${SIDE_TABLE}_pk`, ['tbl', 'obj_key'])
      .execute();
  },

  async read(db, m, rows) {
    const out = new Map<string, Side>();
    if (rows.length === 0) return out;
    for (const r of await sideRowsOf(db, m, rows)) out.set(String(r.obj_key), r as Side);
    return out;
  },

  async holders(db, m, names) {
    if (names.length === 0) return [];
    const held = await db
      .selectFrom(SIDE_TABLE)
      .select(['obj_key', 'name'])
      .where('tbl', '=', m.table)
      .where('name', 'in', names)
      .execute();
    return held.map((h) => ({ key: String(h.obj_key), name: String(h.name) }));
  },

  async namesOf(db, m, rows) {
    const out = new Map<string, string>();
    if (rows.length === 0) return out;
    for (const s of await sideRowsOf(db, m, rows)) if (s.name) out.set(String(s.obj_key), String(s.name));
    return out;
  },

  async stage(tx, m, row, side) {
    await tx.deleteFrom(SIDE_TABLE).where('tbl', '=', m.table).where('obj_key', '=', row.key).execute();
    await tx
      .insertInto(SIDE_TABLE)
      .values({ tbl: m.table, obj_key: row.key, ...side })
      .execute();
    return NOTHING_STAGED;
  },

  async stageDelete(tx, m, row) {
    await tx
      .updateTable(SIDE_TABLE)
      .set({ shadow: null, shadow_of: null })
      .where('tbl', '=', m.table)
      .where('obj_key', '=', row.key)
      .execute();
    return NOTHING_STAGED;
  },
};
