// Opens the embedded default store: one SQLite file holding users, collections, objects and the change
// log. Creates the directory, configures the connection (WAL, busy timeout, foreign keys) and migrates.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqlDb } from './db.ts';
import { configureConnection, migrate } from './migrations.ts';
import { SqlBackend } from './sqlite-backend.ts';
import { SqlUserStore } from './user-store.ts';

export interface OpenSqliteOptions {
  /** Backend mount id. Default 'sql'. */
  id?: string;
  /**
   * How long a write waits for another connection's lock before failing with BackendError('unavailable').
   * node:sqlite is synchronous, so the wait blocks the event loop: keep it short. Default 5000 ms.
   */
  busyTimeoutMs?: number;
}

export interface OpenedSqlite {
  db: DatabaseSync;
  backend: SqlBackend;
  users: SqlUserStore;
  close(): void;
}

/** Opens (creating if needed) the database at `file`; `:memory:` gives a private in-memory store. */
export function openSqlite(file: string, options: OpenSqliteOptions = {}): OpenedSqlite {
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file, { enableForeignKeyConstraints: true });
  try {
    configureConnection(db, options.busyTimeoutMs ?? 5000);
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const sql = new SqlDb(db);
  return {
    db,
    backend: new SqlBackend(sql, { id: options.id }),
    users: new SqlUserStore(sql),
    close() {
      if (db.isOpen) db.close();
    },
  };
}
