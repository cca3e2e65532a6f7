// Change-capture triggers for a column mapping (issue 5 "optional triggers", `davgate sql
// install-triggers`): every INSERT/UPDATE/DELETE on the entity table and its child tables — including
// those of the legacy UI — appends (table, key, owner, calendar) to davgate_changes, whose `seq` is the
// backend's change feed. Writers are serialised on the change log (PostgreSQL advisory lock, MariaDB
// counter row) so seq order is commit order and a reader can never skip a change still in flight.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { SqlConnection } from '../query/connect.ts';
import type { ColumnsMapping } from './mapping.ts';

export const CHANGE_TABLE = 'davgate_changes';
/** One row (id 1) holding the install's epoch: a random id that sync tokens carry (see feed.ts). */
export const META_TABLE = 'davgate_changes_meta';

/** A fresh random epoch (12 base64url characters). */
export const newEpoch = (): string => randomBytes(9).toString('base64url');

interface Watched {
  table: string;
  /** SQL (per row alias `R`) selecting key, owner and calendar of the affected event. */
  source: (r: 'NEW' | 'OLD') => string;
}

type Mappings = ColumnsMapping | readonly ColumnsMapping[];

/** The tables watched for every entity of a mapping file. */
function watched(ms: Mappings): Watched[] {
  return (Array.isArray(ms) ? ms : [ms as ColumnsMapping]).flatMap(watchedFor);
}

function watchedFor(m: ColumnsMapping): Watched[] {
  const coll = (p: string) => (m.scope.calendarColumn ? `CAST(${p}.${m.scope.calendarColumn} AS CHAR(191))` : 'NULL');
  const own = (p: string) =>
    `CAST(${p}.${m.key.column} AS CHAR(191)), CAST(${p}.${m.scope.owner} AS CHAR(191)), ${coll(p)}`;
  const list: Watched[] = [{ table: m.table, source: (r) => `SELECT '${m.table}', ${own(r)}` }];
  for (const child of [m.attendees, m.exdates, m.card?.emails, m.card?.phones]) {
    if (!child) continue;
    list.push({
      table: child.table,
      source: (r) =>
        `SELECT '${m.table}', ${own('p')} FROM ${m.table} p WHERE p.${m.key.column} = ${r}.${child.parent}`,
    });
  }
  return list;
}

const cols = `INSERT INTO ${CHANGE_TABLE} (tbl, obj_key, owner, coll)`;

/**
 * DDL creating the change table, its epoch row and the triggers, one statement per entry. Installing over
 * an existing install keeps its epoch (the seq continues); a new install after an uninstall gets a new one,
 * so tokens of the old log (whose seq restarts at 1) are recognised as foreign and never trusted.
 */
export function installStatements(dialect: SqlConnection['dialect'], m: Mappings, epoch = newEpoch()): string[] {
  const fix = (s: string) => (dialect === 'postgres' ? s.replaceAll('AS CHAR(191)', 'AS TEXT') : s);
  const out: string[] = [`CREATE TABLE IF NOT EXISTS ${META_TABLE} (id INT PRIMARY KEY, epoch VARCHAR(32) NOT NULL)`];
  const row = `(id, epoch) VALUES (1, '${epoch.replace(/[^A-Za-z0-9_-]/g, '')}')`;
  if (dialect === 'sqlite') out.push(`INSERT OR IGNORE INTO ${META_TABLE} ${row}`);
  if (dialect === 'postgres') out.push(`INSERT INTO ${META_TABLE} ${row} ON CONFLICT (id) DO NOTHING`);
  if (dialect === 'mysql') out.push(`INSERT IGNORE INTO ${META_TABLE} ${row}`);
  const fields = 'tbl VARCHAR(64) NOT NULL, obj_key VARCHAR(191) NOT NULL, owner VARCHAR(191), coll VARCHAR(191)';
  if (dialect === 'sqlite')
    out.push(`CREATE TABLE IF NOT EXISTS ${CHANGE_TABLE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, ${fields})`);
  if (dialect === 'postgres')
    out.push(`CREATE TABLE IF NOT EXISTS ${CHANGE_TABLE} (seq BIGSERIAL PRIMARY KEY, ${fields})`);
  if (dialect === 'mysql') {
    out.push(`CREATE TABLE IF NOT EXISTS ${CHANGE_TABLE} (seq BIGINT AUTO_INCREMENT PRIMARY KEY, ${fields})`);
    out.push(`CREATE TABLE IF NOT EXISTS ${CHANGE_TABLE}_lock (id INT PRIMARY KEY, n BIGINT NOT NULL)`);
    out.push(`INSERT IGNORE INTO ${CHANGE_TABLE}_lock VALUES (1, 0)`);
  }
  for (const w of watched(m)) {
    const name = `davgate_chg_${w.table}`;
    if (dialect === 'postgres') {
      out.push(
        `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
          `PERFORM pg_advisory_xact_lock(hashtext('${CHANGE_TABLE}')); ` +
          `IF TG_OP <> 'INSERT' THEN ${cols} ${fix(w.source('OLD'))}; END IF; ` +
          `IF TG_OP <> 'DELETE' THEN ${cols} ${fix(w.source('NEW'))}; END IF; ` +
          'RETURN NULL; END $$',
      );
      out.push(`DROP TRIGGER IF EXISTS ${name} ON ${w.table}`);
      out.push(
        `CREATE TRIGGER ${name} AFTER INSERT OR UPDATE OR DELETE ON ${w.table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
      );
      continue;
    }
    for (const op of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      const rows = op === 'INSERT' ? ['NEW'] : op === 'DELETE' ? ['OLD'] : ['OLD', 'NEW'];
      const body = rows.map((r) => `${cols} ${w.source(r as 'NEW' | 'OLD')};`).join(' ');
      const tname = `${name}_${op.toLowerCase()}`;
      if (dialect === 'sqlite') {
        out.push(`CREATE TRIGGER IF NOT EXISTS ${tname} AFTER ${op} ON ${w.table} BEGIN ${body} END`);
      } else {
        out.push(`DROP TRIGGER IF EXISTS ${tname}`);
        out.push(
          `CREATE TRIGGER ${tname} AFTER ${op} ON ${w.table} FOR EACH ROW BEGIN ` +
            `UPDATE ${CHANGE_TABLE}_lock SET n = n + 1 WHERE id = 1; ${body} END`,
        );
      }
    }
  }
  return out;
}

/** DDL removing the triggers (the change table is kept unless `dropTable`). */
export function uninstallStatements(dialect: SqlConnection['dialect'], m: Mappings, dropTable = true): string[] {
  const out: string[] = [];
  for (const w of watched(m)) {
    const name = `davgate_chg_${w.table}`;
    if (dialect === 'postgres') {
      out.push(`DROP TRIGGER IF EXISTS ${name} ON ${w.table}`, `DROP FUNCTION IF EXISTS ${name}()`);
    } else for (const op of ['insert', 'update', 'delete']) out.push(`DROP TRIGGER IF EXISTS ${name}_${op}`);
  }
  if (dropTable) {
    out.push(`DROP TABLE IF EXISTS ${CHANGE_TABLE}`, `DROP TABLE IF EXISTS ${META_TABLE}`);
    if (dialect === 'mysql') out.push(`DROP TABLE IF EXISTS ${CHANGE_TABLE}_lock`);
  }
  return out;
}

export async function runStatements(conn: SqlConnection, statements: string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(conn.db);
}

/** True when the change table exists (the triggers were installed). */
export async function hasChangeTable(conn: SqlConnection): Promise<boolean> {
  try {
    await sql.raw(`SELECT seq FROM ${CHANGE_TABLE} WHERE 1 = 0`).execute(conn.db);
    return true;
  } catch {
    return false;
  }
}
