// Small helpers of the native SQL store: which SQLite failures are transient (query/errors.ts maps them to
// BackendError 'unavailable'), and JSON columns.

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

/** Parses a JSON column, tolerating NULL. */
export function parseJson<T>(text: unknown, fallback: T): T {
  return typeof text === 'string' && text !== '' ? (JSON.parse(text) as T) : fallback;
}
