// `davgate sql install-triggers | uninstall-triggers` (issue 5 "optional triggers"): creates or removes
// the change-capture triggers of a column mapping (adapters/sql/columns/triggers.ts) so the columns
// backend gets a native change feed. PostgreSQL and SQLite run the DDL in one transaction; MariaDB/MySQL
// commit each DDL statement implicitly, so a failed install there is undone by the uninstall statements.
import { sql } from 'kysely';
import { trimChanges } from '../../adapters/sql/columns/feed.ts';
import { hasChangeTable, installStatements, uninstallStatements } from '../../adapters/sql/columns/triggers.ts';
import { openSqlConnection, type SqlConnection } from '../../adapters/sql/query/connect.ts';
import { CliError, type CliIo, EXIT_USAGE } from './io.ts';
import type { SqlTarget } from './sql-target.ts';

export type SqlAction = 'install-triggers' | 'uninstall-triggers' | 'trim-changes';

export const SQL_ACTIONS: readonly SqlAction[] = ['install-triggers', 'uninstall-triggers', 'trim-changes'];

/** Flags of `davgate sql` beyond the target's (for parseFlags). */
export const SQL_FLAGS = { keep: { type: 'string' } } as const;

export interface SqlOptions {
  /** trim-changes: how many of the newest davgate_changes entries stay. */
  keep?: number;
}

/** Checks the action's own flags before anything connects; a mistake is a usage error naming the flag. */
export function sqlOptions(action: SqlAction, values: { keep?: string | boolean }): SqlOptions {
  if (action !== 'trim-changes') {
    if (values.keep !== undefined) throw new CliError('--keep belongs to `davgate sql trim-changes`', EXIT_USAGE);
    return {};
  }
  if (typeof values.keep !== 'string') throw new CliError('trim-changes needs --keep N (entries to keep)', EXIT_USAGE);
  if (!/^[1-9][0-9]{0,14}$/.test(values.keep))
    throw new CliError(`--keep ${values.keep}: expected a whole number of entries, 1 or more`, EXIT_USAGE);
  return { keep: Number(values.keep) };
}

async function runAll(conn: SqlConnection, statements: string[]): Promise<void> {
  if (conn.dialect === 'mysql') {
    for (const s of statements) await sql.raw(s).execute(conn.db);
    return;
  }
  await conn.db.transaction().execute(async (tx) => {
    for (const s of statements) await sql.raw(s).execute(tx);
  });
}

const tables = (ms: { table: string }[]) => `table${ms.length > 1 ? 's' : ''} ${ms.map((m) => m.table).join(', ')}`;

/** Names of the triggers a statement list creates or drops, for the output. */
function triggerNames(statements: string[]): string[] {
  const names = statements.flatMap((s) => /^(?:CREATE|DROP) TRIGGER (?:IF (?:NOT )?EXISTS )?(\w+)/.exec(s)?.[1] ?? []);
  return [...new Set(names)];
}

export async function runSql(action: SqlAction, target: SqlTarget, io: CliIo, opts: SqlOptions = {}): Promise<number> {
  const { mapping, connection } = target;
  let conn: SqlConnection;
  try {
    conn = await openSqlConnection(connection);
  } catch (e) {
    throw new CliError(`cannot connect to the ${connection.dialect} database: ${(e as Error).message}`);
  }
  const where = `${connection.dialect} ${'file' in connection ? connection.file : `${connection.host}:${connection.port}/${connection.database}`}`;
  try {
    if (action === 'trim-changes') return await trim(conn, where, opts.keep ?? 1, io);
    if (action === 'install-triggers') {
      const statements = installStatements(conn.dialect, mapping);
      const hadTable = conn.dialect === 'mysql' && (await hasChangeTable(conn));
      try {
        await runAll(conn, statements);
      } catch (e) {
        if (conn.dialect === 'mysql') {
          await runAll(conn, uninstallStatements(conn.dialect, mapping, !hadTable)).catch(() => {});
        }
        throw new CliError(`install-triggers failed on ${where}, nothing installed: ${(e as Error).message}`);
      }
      io.out(`installed change-capture triggers on ${where} for ${tables(mapping)} (${target.describe}):`);
      for (const t of triggerNames(statements.filter((s) => s.startsWith('CREATE')))) io.out(`  trigger ${t}`);
      io.out('  change table davgate_changes');
      io.out('The columns backend now reads its change feed from davgate_changes (`changes: auto`).');
      return 0;
    }
    const statements = uninstallStatements(conn.dialect, mapping);
    try {
      await runAll(conn, statements);
    } catch (e) {
      throw new CliError(`uninstall-triggers failed on ${where}: ${(e as Error).message}`);
    }
    io.out(`removed change-capture triggers on ${where} for ${tables(mapping)} (${target.describe}):`);
    for (const t of triggerNames(statements)) io.out(`  trigger ${t}`);
    // The table goes too: a change table nobody fills would make `changes: auto` trust a stale feed.
    io.out('  change table davgate_changes dropped');
    return 0;
  } finally {
    await conn.close();
  }
}

/** `trim-changes --keep N`: tokens older than the oldest kept entry become invalid (those clients resync). */
async function trim(conn: SqlConnection, where: string, keep: number, io: CliIo): Promise<number> {
  if (!(await hasChangeTable(conn)))
    throw new CliError(`${where} has no davgate_changes (the triggers are not installed): nothing to trim`);
  let removed: number;
  try {
    removed = await trimChanges(conn.db, keep);
  } catch (e) {
    throw new CliError(`trim-changes failed on ${where}: ${(e as Error).message}`);
  }
  io.out(`trimmed davgate_changes on ${where}: removed ${removed} entries, kept the newest ${keep}.`);
  io.out('Clients holding a sync token older than the kept entries resync once.');
  return 0;
}
