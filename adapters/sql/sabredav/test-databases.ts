// Test support for the sabredav profile: a fresh database with SabreDAV's schema on SQLite, PostgreSQL or
// MariaDB. The network servers are started lazily on first use and stopped when the dialect's suite ends
// (`onEachDialect`).
import { after, describe, it } from 'node:test';
import { hasMariadb, type RunningMariadb, startMariadb } from '../../../test/support/mariadb.ts';
import { hasPostgres, type RunningPostgres, startPostgres } from '../../../test/support/postgres.ts';
import { openSqlConnection, type SqlConnection, type SqlDialectName } from '../query/connect.ts';
import { createSabredavSchema } from './schema.ts';

export const DIALECTS: SqlDialectName[] = ['sqlite', 'postgres', 'mysql'];

let pg: Promise<RunningPostgres> | undefined;
let maria: Promise<RunningMariadb> | undefined;

/** false when the dialect can run here, else why not (node:test `skip`). */
export async function skipReason(d: SqlDialectName): Promise<string | false> {
  if (d === 'postgres' && !(await hasPostgres())) return 'postgresql not installed (scripts/test.sh installs it)';
  if (d === 'mysql' && !(await hasMariadb())) return 'mariadb-server not installed (scripts/test.sh installs it)';
  return false;
}

/** A new, empty database with SabreDAV's schema. */
export async function openSabreDb(d: SqlDialectName): Promise<SqlConnection> {
  let conn: SqlConnection;
  if (d === 'sqlite') conn = await openSqlConnection({ dialect: 'sqlite', file: ':memory:' });
  else if (d === 'postgres') {
    pg ??= startPostgres();
    conn = await openSqlConnection({ ...(await (await pg).createDatabase()), pool: { max: 4 } });
  } else {
    maria ??= startMariadb();
    conn = await openSqlConnection({ ...(await (await maria).createDatabase()), pool: { max: 4 } });
  }
  await createSabredavSchema(conn);
  return conn;
}

export async function stopSabreServers(): Promise<void> {
  const running = [pg, maria];
  pg = undefined;
  maria = undefined;
  for (const r of running) if (r) await (await r).stop();
}

/**
 * One suite per dialect, titled `title(d)`: skipped with the reason when the server is not installed, and the
 * dialect's server stopped when its suite ends. Not a file-level `after`: node:test runs the root's hooks
 * as soon as the suites registered so far are done — while the file still awaits the next dialect's skip
 * check — so a server started later was never stopped and the process never exited.
 */
export function onEachDialect(title: (d: SqlDialectName) => string, body: (d: SqlDialectName) => void): void {
  for (const d of DIALECTS) {
    describe(title(d), async () => {
      const skip = await skipReason(d);
      if (skip) return void it.skip(skip);
      after(stopSabreServers);
      body(d);
    });
  }
}
