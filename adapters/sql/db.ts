// Low-level helpers shared by the SQLite adapter: a prepared-statement cache, write transactions and the
// mapping of SQLite failures onto BackendError.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { BackendError } from '../../src/backend/port.ts';

/** SQLite primary result codes that mean "the store cannot serve right now" (https://sqlite.org/rescode.html). */
const UNAVAILABLE_CODES = new Set([
  5, // SQLITE_BUSY
  6, // SQLITE_LOCKED
  7, // SQLITE_NOMEM
  8, // SQLITE_READONLY
  10, // SQLITE_IOERR
  11, // SQLITE_CORRUPT
  13, // SQLITE_FULL
  14, // SQLITE_CANTOPEN
  15, // SQLITE_PROTOCOL
  26, // SQLITE_NOTADB
]);

interface SqliteError {
  code?: string;
  errcode?: number;
  message?: string;
}

/** True for errors that should surface as BackendError('unavailable') (busy, I/O, closed database). */
export function isUnavailable(err: unknown): boolean {
  const e = err as SqliteError | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') return UNAVAILABLE_CODES.has(e.errcode & 0xff);
  // node:sqlite throws ERR_INVALID_STATE once the database is closed.
  return e.code === 'ERR_INVALID_STATE';
}

/** Rethrows `err` as BackendError('unavailable') when it is a transient store failure. */
export function mapError(err: unknown): never {
  if (err instanceof BackendError) throw err;
  if (isUnavailable(err)) {
    throw new BackendError('unavailable', `sqlite: ${(err as SqliteError).message ?? String(err)}`);
  }
  throw err;
}

/** A connection plus its statement cache. One per DatabaseSync; every adapter class on that db shares it. */
export class SqlDb {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** The cached prepared statement for `sql` (prepared once per connection). */
  stmt(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  /**
   * Runs `fn` in one write transaction. BEGIN IMMEDIATE takes the write lock up front, so a precondition
   * read inside `fn` cannot be invalidated by another connection before the write commits.
   */
  write<T>(fn: () => T): T {
    return this.#run('BEGIN IMMEDIATE', fn);
  }

  /** Runs `fn` in one read transaction: every statement sees the same snapshot (WAL isolation). */
  read<T>(fn: () => T): T {
    return this.#run('BEGIN', fn);
  }

  /** Runs one statement's worth of reading outside a transaction (a single statement is consistent), mapping errors. */
  once<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      mapError(err);
    }
  }

  #run<T>(begin: string, fn: () => T): T {
    try {
      this.db.exec(begin);
    } catch (err) {
      mapError(err);
    }
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.isOpen && this.db.isTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // The original error is the one worth reporting.
        }
      }
      mapError(err);
    }
  }
}

/** Parses a JSON column, tolerating NULL. */
export function parseJson<T>(text: unknown, fallback: T): T {
  return typeof text === 'string' && text !== '' ? (JSON.parse(text) as T) : fallback;
}
