// SQLite rows as plain objects built in JavaScript. node:sqlite builds each row as a null-prototype object
// property by property from C++: V8 keeps such objects in dictionary mode, and building one is most of a
// point lookup (the 18-column collection+object lookup of every GET: 15 µs as objects, 7 µs as arrays,
// measured in a loop). So a statement that returns rows hands them over as arrays and they are turned into
// objects of one shape here. Where node:sqlite cannot return arrays (Node < 22.16), rows come as they are.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

export type SqliteRow = Record<string, unknown>;

/** A prepared statement and, when it returns arrays, the column names of its rows. */
export interface SqliteStatement {
  readonly st: StatementSync;
  names: readonly string[] | undefined;
}

export function prepareSqlite(db: DatabaseSync, sql: string): SqliteStatement {
  const st = db.prepare(sql);
  const s = st as StatementSync & Partial<Pick<StatementSync, 'columns' | 'setReturnArrays'>>;
  if (typeof s.columns !== 'function' || typeof s.setReturnArrays !== 'function') return { st, names: undefined };
  const names = s.columns().map((c) => c.name);
  // Statements without result columns (writes, BEGIN), and names an object literal cannot hold as data.
  if (names.length === 0 || names.includes('__proto__')) return { st, names: undefined };
  s.setReturnArrays(true);
  return { st, names };
}

/**
 * The names for a row of `width` values: SQLite re-prepares a statement after a schema change, and a
 * statement whose result columns changed with it (none of the store's do) gets its names read again.
 */
function namesFor(s: SqliteStatement, width: number): readonly string[] {
  const names = s.names as readonly string[];
  if (names.length === width) return names;
  s.names = s.st.columns().map((c) => c.name);
  return s.names;
}

function toRow(names: readonly string[], values: unknown[]): SqliteRow {
  const row: SqliteRow = {};
  // Later columns of the same name win, as in node:sqlite's own objects.
  for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
  return row;
}

export function sqliteAll(s: SqliteStatement, args: SQLInputValue[]): SqliteRow[] {
  const rows = s.st.all(...args) as unknown[];
  if (!s.names) return rows as SqliteRow[];
  const out: SqliteRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const values = rows[i] as unknown[];
    out[i] = toRow(namesFor(s, values.length), values);
  }
  return out;
}

/** One step for one row (GET's lookup): no result array. */
export function sqliteGet(s: SqliteStatement, args: SQLInputValue[]): SqliteRow | undefined {
  const row = s.st.get(...args) as unknown;
  if (row === undefined || !s.names) return row as SqliteRow | undefined;
  const values = row as unknown[];
  return toRow(namesFor(s, values.length), values);
}
