// Opens the native SQL store on any supported database: the embedded default (one SQLite file holding
// users, collections, objects and the change log), PostgreSQL or MySQL/MariaDB. Connects through the query
// layer (pooled, with time-outs), migrates the schema, and hands out the backend and the user store.
import type { DatabaseSync } from 'node:sqlite';
import { SqlBackend } from './backend.ts';
import { migrate } from './migrations.ts';
import { openSqlConnection, type SqlConnection, type SqlConnectionOptions } from './query/connect.ts';
import { SqlExec } from './query/exec.ts';
import { SqlUserStore } from './user-store.ts';

export interface SqlStoreOptions {
  /** Backend mount id. Default 'sql'. */
  id?: string;
}

export interface OpenedSqlStore {
  conn: SqlConnection;
  backend: SqlBackend;
  users: SqlUserStore;
  close(): Promise<void>;
}

/** The native store on an open connection (migrated first); its close() closes the connection. */
export async function nativeStore(conn: SqlConnection, options: SqlStoreOptions = {}): Promise<OpenedSqlStore> {
  await migrate(conn);
  const sql = new SqlExec(conn);
  let closed: Promise<void> | undefined;
  return {
    conn,
    backend: new SqlBackend(sql, { id: options.id }),
    users: new SqlUserStore(sql),
    // Idempotent: a second close (a test's afterEach after the test closed it) is a no-op.
    close: () => {
      closed ??= conn.close();
      return closed;
    },
  };
}

/** Connects to the database, migrates it and opens the native store; close() closes the connection. */
export async function openSqlStore(options: SqlConnectionOptions & SqlStoreOptions): Promise<OpenedSqlStore> {
  // The native schema has an index for every statement: cached generic plans are safe (connect.ts).
  const conn = await openSqlConnection(options.dialect === 'sqlite' ? options : { plans: 'indexed', ...options });
  try {
    return await nativeStore(conn, options);
  } catch (err) {
    await conn.close().catch(() => {});
    throw err;
  }
}

export interface OpenSqliteOptions extends SqlStoreOptions {
  /**
   * How long a write waits for another connection's lock before failing with BackendError('unavailable').
   * node:sqlite is synchronous, so the wait blocks the event loop: keep it short. Default 5000 ms.
   */
  busyTimeoutMs?: number;
}

export interface OpenedSqlite extends OpenedSqlStore {
  /** The raw node:sqlite handle (pragmas, inspection in tests). */
  db: DatabaseSync;
}

/** Opens (creating if needed) the SQLite database at `file`; `:memory:` gives a private in-memory store. */
export async function openSqlite(file: string, options: OpenSqliteOptions = {}): Promise<OpenedSqlite> {
  const s = await openSqlStore({ dialect: 'sqlite', file, busyTimeoutMs: options.busyTimeoutMs, id: options.id });
  return { ...s, db: s.conn.sqlite as DatabaseSync };
}
