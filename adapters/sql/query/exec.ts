// Runs the native profile's SQL on SQLite, PostgreSQL and MySQL/MariaDB. A statement is written once
// (SQLite spelling: `?` or `:name` parameters, "double-quoted" identifiers), translated for the dialect once
// and cached (statements.ts), and executed as a pre-compiled query: the hot paths build no query trees
// (SQLite: a statement outside a transaction runs on its cached prepared statement directly; PostgreSQL:
// on pg's pool, often-used statements prepared, pg-runner.ts; MySQL/MariaDB: through Kysely's executor).
// Transactions hold one pooled connection and map driver failures onto BackendError.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { SqlConnection, SqlDialectName } from './connect.ts';
import { mapDriverError } from './errors.ts';
import { GroupCommit } from './group-commit.ts';
import { PgRunner, pgTransaction } from './pg-runner.ts';
import { prepareSqlite, type SqliteStatement, sqliteAll, sqliteGet } from './sqlite-rows.ts';
import { compile, type Params, translated, values } from './statements.ts';
import { inTransaction } from './transaction.ts';

export type { Params } from './statements.ts';
export { translate } from './statements.ts';
export type Row = Record<string, unknown>;

/** What the store's functions run statements on: the pool, or one connection inside a transaction. */
export interface Q {
  readonly dialect: SqlDialectName;
  all(text: string, params?: Params): Promise<Row[]>;
  get(text: string, params?: Params): Promise<Row | undefined>;
  /** Runs a write; resolves to the number of affected rows. */
  run(text: string, params?: Params): Promise<number>;
}

/** Statements on a Kysely instance (the pool, or a single-connection one inside a transaction). */
class Runner implements Q {
  readonly dialect: SqlDialectName;
  readonly #db: Kysely<unknown>;
  constructor(dialect: SqlDialectName, db: Kysely<unknown>) {
    this.dialect = dialect;
    this.#db = db;
  }
  async all(text: string, params?: Params): Promise<Row[]> {
    try {
      return (await this.#db.executeQuery(compile(this.dialect, text, params))).rows as Row[];
    } catch (err) {
      mapDriverError(err, this.dialect);
    }
  }
  async get(text: string, params?: Params): Promise<Row | undefined> {
    return (await this.all(text, params))[0];
  }
  async run(text: string, params?: Params): Promise<number> {
    try {
      const r = await this.#db.executeQuery(compile(this.dialect, text, params));
      return Number(r.numAffectedRows ?? r.numChangedRows ?? 0n);
    } catch (err) {
      mapDriverError(err, this.dialect);
    }
  }
}

const BEGIN: Record<SqlDialectName, { write: string; read: string }> = {
  // IMMEDIATE takes the write lock up front: a precondition read inside cannot go stale before the commit.
  sqlite: { write: 'BEGIN IMMEDIATE', read: 'BEGIN' },
  postgres: { write: 'BEGIN', read: 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' },
  mysql: { write: 'START TRANSACTION', read: 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY' },
};

/**
 * Statements on the SQLite handle while this transaction holds Kysely's connection: node:sqlite runs each
 * whole and synchronously, and every other user of the handle either waits for the connection or (outside
 * a transaction) finds `isTransaction` set and queues behind it (SqlExec.#direct).
 */
class HeldSqlite implements Q {
  readonly dialect = 'sqlite' as const;
  readonly #db: DatabaseSync;
  readonly #prepare: (text: string) => SqliteStatement;
  constructor(db: DatabaseSync, prepare: (text: string) => SqliteStatement) {
    this.#db = db;
    this.#prepare = prepare;
  }
  async all(text: string, params?: Params): Promise<Row[]> {
    try {
      return sqliteAll(this.#prepare(text), sqliteValues(text, params));
    } catch (err) {
      mapDriverError(err, 'sqlite');
    }
  }
  async get(text: string, params?: Params): Promise<Row | undefined> {
    return (await this.all(text, params))[0];
  }
  async run(text: string, params?: Params): Promise<number> {
    // BEGIN/COMMIT/ROLLBACK too: a prepared statement per text, cached like the rest.
    if (!this.#db.isOpen) throw new Error('database closed');
    try {
      return Number(this.#prepare(text).st.run(...sqliteValues(text, params)).changes);
    } catch (err) {
      mapDriverError(err, 'sqlite');
    }
  }
}

/** The parameters of a statement for node:sqlite (no compiled-query object per run: the hot paths). */
function sqliteValues(text: string, params: Params | undefined): SQLInputValue[] {
  return values('sqlite', translated('sqlite', text), params) as SQLInputValue[];
}

/** The pool plus transactions: what a store built on the native schema holds. */
export class SqlExec extends Runner {
  readonly conn: SqlConnection;
  readonly #sqlite: DatabaseSync | undefined;
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #group: GroupCommit | undefined;
  readonly #pgPool: pg.Pool | undefined;
  readonly #pg: PgRunner | undefined;

  constructor(conn: SqlConnection) {
    super(conn.dialect, conn.db);
    this.conn = conn;
    this.#sqlite = conn.sqlite;
    if (conn.sqlite) this.#group = new GroupCommit((fn) => this.#transaction(BEGIN.sqlite.write, fn));
    this.#pgPool = conn.pgPool;
    if (conn.pgPool) this.#pg = new PgRunner({ pool: conn.pgPool });
  }

  /**
   * SQLite fast path for a statement outside any transaction: node:sqlite is synchronous, so the statement
   * runs whole before any other code and cannot land inside another request's transaction. While one is
   * open on the connection, the statement queues behind it through Kysely like any other.
   */
  #direct(text: string): SqliteStatement | undefined {
    const db = this.#sqlite;
    if (!db?.isOpen || db.isTransaction) return undefined;
    return this.#prepared(db, text);
  }

  #prepared(db: DatabaseSync, text: string): SqliteStatement {
    let st = this.#statements.get(text);
    if (!st) {
      st = prepareSqlite(db, compile('sqlite', text, undefined).sql);
      this.#statements.set(text, st);
    }
    return st;
  }

  override async all(text: string, params?: Params): Promise<Row[]> {
    if (this.#pg) return this.#pg.all(text, params);
    const st = this.#direct(text);
    if (!st) return super.all(text, params);
    try {
      return sqliteAll(st, sqliteValues(text, params));
    } catch (err) {
      mapDriverError(err, 'sqlite');
    }
  }

  override async get(text: string, params?: Params): Promise<Row | undefined> {
    if (this.#pg) return super.get(text, params);
    const st = this.#direct(text);
    if (!st) return super.get(text, params);
    try {
      return sqliteGet(st, sqliteValues(text, params));
    } catch (err) {
      mapDriverError(err, 'sqlite');
    }
  }

  override async run(text: string, params?: Params): Promise<number> {
    if (this.#pg) return this.#pg.run(text, params);
    const st = this.#direct(text);
    if (!st) return super.run(text, params);
    try {
      return Number(st.st.run(...sqliteValues(text, params)).changes);
    } catch (err) {
      mapDriverError(err, 'sqlite');
    }
  }

  /**
   * One write transaction: every statement of `fn` commits together or not at all. SQLite: the writes of
   * one event-loop turn share a commit, each in its own savepoint (group-commit.ts).
   */
  write<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    if (this.#group) return this.#group.submit(fn);
    return this.#transaction(BEGIN[this.dialect].write, fn);
  }

  /** One read transaction: every statement of `fn` sees the same snapshot. */
  read<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return this.#transaction(BEGIN[this.dialect].read, fn);
  }

  async #transaction<T>(begin: string, fn: (q: Q) => Promise<T>): Promise<T> {
    const dialect = this.dialect;
    if (this.#pgPool) return pgTransaction(this.#pgPool, begin, fn);
    try {
      return await this.conn.db.connection().execute(async (db) => {
        // SQLite: the held connection is the one handle, so the transaction's statements run on their
        // cached prepared statements directly (no Kysely round per statement); others queue meanwhile.
        const raw = this.#sqlite;
        const q: Q = raw
          ? new HeldSqlite(raw, (text) => this.#prepared(raw, text))
          : new Runner(dialect, db as Kysely<unknown>);
        return inTransaction(q, begin, fn);
      });
    } catch (err) {
      mapDriverError(err, dialect);
    }
  }
}
