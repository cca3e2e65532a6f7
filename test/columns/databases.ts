// The three databases the columns profile is accepted on: SQLite in a temp file, and PostgreSQL and
// MariaDB from the test-support launchers (skipped with the reason when the package is missing).
// `exec` runs plain SQL through a raw client, standing in for the legacy UI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openSqlConnection, type SqlConnection, type SqlConnectionOptions } from '../../adapters/sql/query/connect.ts';
import { hasMariadb, startMariadb } from '../support/mariadb.ts';
import { hasPostgres, startPostgres } from '../support/postgres.ts';

export interface Db {
  conn: SqlConnection;
  /** How to open another connection to the same database (e.g. for the CLI). */
  options: SqlConnectionOptions;
  /** Runs SQL as another writer (a separate client), `?` placeholders. */
  exec(text: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export interface Server {
  name: 'sqlite' | 'postgres' | 'mariadb';
  fresh(): Promise<Db>;
  stop(): Promise<void>;
}

export const SERVERS: { name: Server['name']; skip: () => Promise<string | false>; start: () => Promise<Server> }[] = [
  { name: 'sqlite', skip: async () => false, start: startSqlite },
  {
    name: 'postgres',
    skip: async () => ((await hasPostgres()) ? false : 'postgresql not installed (scripts/test.sh installs it)'),
    start: async () => {
      const s = await startPostgres();
      return {
        name: 'postgres',
        stop: () => s.stop(),
        async fresh() {
          const opts = await s.createDatabase();
          const conn = await openSqlConnection(opts);
          const admin = await s.admin(opts.database);
          return {
            conn,
            options: opts,
            async exec(text, params = []) {
              let i = 0;
              await admin.query(
                text.replace(/\?/g, () => `$${++i}`),
                params,
              );
            },
            async close() {
              await admin.end();
              await conn.close();
            },
          };
        },
      };
    },
  },
  {
    name: 'mariadb',
    skip: async () => ((await hasMariadb()) ? false : 'mariadb-server not installed (scripts/test.sh installs it)'),
    start: async () => {
      const s = await startMariadb();
      return {
        name: 'mariadb',
        stop: () => s.stop(),
        async fresh() {
          const opts = await s.createDatabase();
          const conn = await openSqlConnection(opts);
          const admin = await s.admin(opts.database);
          return {
            conn,
            options: opts,
            async exec(text, params = []) {
              await admin.query(text, params);
            },
            async close() {
              await admin.end();
              await conn.close();
            },
          };
        },
      };
    },
  },
];

async function startSqlite(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'davgate-columns-'));
  let n = 0;
  return {
    name: 'sqlite',
    async stop() {
      rmSync(dir, { recursive: true, force: true });
    },
    async fresh() {
      const file = join(dir, `db${++n}.sqlite`);
      const conn = await openSqlConnection({ dialect: 'sqlite', file });
      const other = await openSqlConnection({ dialect: 'sqlite', file });
      return {
        conn,
        options: { dialect: 'sqlite', file },
        async exec(text, params = []) {
          await sql.raw(bind(text, params)).execute(other.db);
        },
        async close() {
          await other.close();
          await conn.close();
        },
      };
    },
  };
}

/** Inlines parameters for SQLite raw execution (test data only: numbers, null and quoted strings). */
function bind(text: string, params: unknown[]): string {
  let i = 0;
  return text.replace(/\?/g, () => {
    const v = params[i++];
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number') return String(v);
    return `'${String(v).replaceAll("'", "''")}'`;
  });
}

/**
 * Registers `body` once per database, in a suite named `${title} on <name>` that is skipped with the
 * reason when the database is not installed; `server()` is the database started for the suite.
 */
export function onEachServer(title: string, body: (server: () => Server, name: Server['name']) => void): void {
  for (const s of SERVERS) {
    describe(`${title} on ${s.name}`, async () => {
      const skip = await s.skip();
      if (skip) return void it.skip(skip);
      let server: Server | undefined;
      before(async () => {
        server = await s.start();
      });
      after(() => server?.stop());
      body(() => {
        if (!server) throw new Error(`${s.name} is not started`);
        return server;
      }, s.name);
    });
  }
}
