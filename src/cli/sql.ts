// `davgate sql install-triggers | uninstall-triggers` (issue 5 "optional triggers"): creates or removes
// the change-capture triggers of a column mapping (adapters/sql/columns/triggers.ts) so the columns
// backend gets a native change feed. PostgreSQL and SQLite run the DDL in one transaction; MariaDB/MySQL
// commit each DDL statement implicitly, so a failed install there is undone by the uninstall statements.
import { sql } from 'kysely';
import { hasChangeTable, installStatements, uninstallStatements } from '../../adapters/sql/columns/triggers.ts';
import { openSqlConnection, type SqlConnection } from '../../adapters/sql/query/connect.ts';
import { CliError, type CliIo } from './io.ts';
import type { SqlTarget } from './sql-target.ts';

export type SqlAction = 'install-triggers' | 'uninstall-triggers';

export const SQL_ACTIONS: readonly SqlAction[] = ['install-triggers', 'uninstall-triggers'];

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

export async function runSql(action: SqlAction, target: SqlTarget, io: CliIo): Promise<number> {
  const { mapping, connection } = target;
  let conn: SqlConnection;
  try {
    conn = await openSqlConnection(connection);
  } catch (e) {
    throw new CliError(`cannot connect to the ${connection.dialect} database: ${(e as Error).message}`);
  }
  const where = `${connection.dialect} ${'file' in connection ? connection.file : `${connection.host}:${connection.port}/${connection.database}`}`;
  try {
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
