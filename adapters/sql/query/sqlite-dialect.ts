// Kysely's SQLite dialect over node:sqlite (Node's built-in driver, no native add-on to install). Two
// differences from Kysely's stock dialect: statements are prepared once per SQL text, and a transaction
// starts with BEGIN IMMEDIATE so a precondition read inside it cannot be invalidated by another process
// (the groupware writing the same file) before the write commits.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';

/** node:sqlite's DatabaseSync seen through Kysely's SqliteDatabase interface, with a statement cache. */
export function sqliteDatabase(db: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      if (db.isOpen) db.close();
    },
    prepare(sql: string): SqliteStatement {
      let s = cache.get(sql);
      if (!s) {
        const stmt: StatementSync = db.prepare(sql);
        // A statement that returns columns is a reader (SELECT, or a write with RETURNING).
        const reader = stmt.columns().length > 0;
        s = {
          reader,
          all: (p) => stmt.all(...(p as never[])),
          run: (p) => stmt.run(...(p as never[])),
          iterate: (p) => stmt.iterate(...(p as never[])) as IterableIterator<unknown>,
        };
        cache.set(sql, s);
      }
      return s;
    },
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }
}

/** The dialect davgate uses for SQLite files (and :memory:). */
export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(db: DatabaseSync) {
    const database = sqliteDatabase(db);
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}
