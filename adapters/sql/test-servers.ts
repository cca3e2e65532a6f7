// PostgreSQL and MariaDB for the native store's tests: one server per test file, a fresh database per
// subject, a raw client standing in for another writer (the groupware's own UI), and kill/start for
// outages. Skipped with the reason when the server package is missing.

import { hasMariadb, startMariadb } from '../../test/support/mariadb.ts';
import { hasPostgres, startPostgres } from '../../test/support/postgres.ts';
import type { NetworkDbOptions } from './query/connect.ts';

export type NetworkOptions = NetworkDbOptions & { dialect: 'postgres' | 'mysql' };

export interface TestServer {
  name: 'postgres' | 'mariadb';
  createDatabase(): Promise<NetworkOptions>;
  /** Runs SQL (`?` placeholders) on `database` through a separate raw client; returns rows. */
  exec(database: string, text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A raw client session on `database`: statements run in order on one connection until end(). */
  session(
    database: string,
  ): Promise<{ exec(text: string, params?: unknown[]): Promise<unknown>; end(): Promise<void> }>;
  /** Makes commits on `database` survive kill() (the launchers trade durability for speed). */
  durable(database: string): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerKind {
  name: TestServer['name'];
  /** false, or why the tests are skipped. */
  skip(): Promise<string | false>;
  start(): Promise<TestServer>;
}

const pgText = (text: string) => {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
};

/** One statement on its own short-lived session (open, run, close). */
function execVia(
  session: (
    database: string,
  ) => Promise<{ exec(text: string, params?: unknown[]): Promise<unknown>; end(): Promise<unknown> }>,
): TestServer['exec'] {
  return async (database, text, params = []) => {
    const c = await session(database);
    try {
      return (await c.exec(text, params)) as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };
}

export const POSTGRES: ServerKind = {
  name: 'postgres',
  skip: async () => ((await hasPostgres()) ? false : 'postgresql not installed (scripts/test.sh installs it)'),
  async start() {
    const s = await startPostgres();
    const session = async (database: string) => {
      const c = await s.admin(database);
      c.on('error', () => {});
      return {
        exec: async (text: string, params: unknown[] = []) => (await c.query(pgText(text), params)).rows,
        end: () => c.end().catch(() => {}),
      };
    };
    const server: TestServer = {
      name: 'postgres',
      createDatabase: () => s.createDatabase(),
      session,
      exec: execVia(session),
      async durable(database) {
        await server.exec(database, `ALTER DATABASE "${database}" SET synchronous_commit = on`);
      },
      kill: () => s.kill(),
      start: () => s.start(),
      stop: () => s.stop(),
    };
    return server;
  },
};

export const MARIADB: ServerKind = {
  name: 'mariadb',
  skip: async () => ((await hasMariadb()) ? false : 'mariadb-server not installed (scripts/test.sh installs it)'),
  async start() {
    const s = await startMariadb();
    const session = async (database: string) => {
      const c = await s.admin(database);
      c.on('error', () => {});
      return {
        exec: async (text: string, params: unknown[] = []) => (await c.query(text, params))[0],
        end: () => c.end().catch(() => {}),
      };
    };
    const server: TestServer = {
      name: 'mariadb',
      createDatabase: () => s.createDatabase(),
      session,
      exec: execVia(session),
      async durable(database) {
        await server.exec(database, 'SET GLOBAL innodb_flush_log_at_trx_commit = 1');
      },
      kill: () => s.kill(),
      start: () => s.start(),
      stop: () => s.stop(),
    };
    return server;
  },
};
