// What the legacy schema has no column for, per row: the resource name a DAV client chose, the unmapped
// properties (X-props, VALARM, …) unless the mapping has an extras column, and the client's last bytes
// (`shadow`, served while the rows still render as `shadow_of`). Kept in davgate's side table in the same
// database (side-table.ts, the default) or in davgate's state store (side-state.ts, `extras.store: state`).
import type { AnyDb, SqlConnection } from '../query/connect.ts';
import type { ColumnsMapping } from './mapping.ts';

export interface Side {
  name: string | null;
  extras: string | null;
  shadow: string | null;
  /** Content hash of the rendering the shadow stands for. */
  shadow_of: string | null;
}

/** A row as read, to match kept side data to it. */
export interface RowRef {
  key: string;
  uid: string;
  /** Hash of the row and its child rows exactly as read (computed on demand). */
  tag(): string;
}

/** What the write path runs once its transaction has ended. */
export interface Staged {
  committed(): Promise<void>;
  aborted(): Promise<void>;
}

export const NOTHING_STAGED: Staged = { committed: async () => {}, aborted: async () => {} };

export interface SideStore {
  /** Creates what the store needs (the side table), once at start-up. */
  prepare(conn: SqlConnection): Promise<void>;
  /** The side data that belongs to each of `rows`, by key. */
  read(db: AnyDb, m: ColumnsMapping, rows: RowRef[]): Promise<Map<string, Side>>;
  /** Keys keeping one of `names` as their chosen name (hints: callers re-check with nameOf). */
  holders(db: AnyDb, m: ColumnsMapping, names: string[]): Promise<{ key: string; name: string }[]>;
  /** Kept names of rows that are gone or soft-deleted (a change feed names their deletion); uid when known. */
  namesOf(db: AnyDb, m: ColumnsMapping, rows: { key: string; uid?: string }[]): Promise<Map<string, string>>;
  /** Keeps `side` for `row` as written in `tx` (uncommitted); `before`: the row's UID and side data until now. */
  stage(
    tx: AnyDb,
    m: ColumnsMapping,
    row: RowRef,
    side: Side,
    before?: { uid: string; side: Side | undefined },
  ): Promise<Staged>;
  /** `row` was deleted in `tx`: its client bytes go, its name stays (the change feeds name the deletion). */
  stageDelete(tx: AnyDb, m: ColumnsMapping, row: RowRef, name: string): Promise<Staged>;
}
