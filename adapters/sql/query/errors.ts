// Which driver errors mean "the database cannot serve right now" (→ BackendError 'unavailable', answered
// 503 with Retry-After) for the three drivers the SQL adapter speaks: node:sqlite, pg and mysql2.
import { BackendError } from '../../../src/backend/port.ts';
import { isUnavailable as sqliteUnavailable } from '../db.ts';

interface DriverError {
  code?: string | number;
  errno?: number;
  message?: string;
  fatal?: boolean;
}

/** Socket-level failures any network driver reports through Node. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATE classes/codes that are transient (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * 08 connection exception, 53 insufficient resources, 57P01..57P03 shutdown/cannot connect now, 40001
 * serialization failure and 40P01 deadlock (the transaction was rolled back whole; the client may retry).
 */
function pgTransient(code: string): boolean {
  return (
    code.startsWith('08') || code.startsWith('53') || /^57P0[123]$/.test(code) || code === '40001' || code === '40P01'
  );
}

/** mysql2 error codes that are transient: lost/closed connections, lock waits and deadlocks, too many connections. */
const MYSQL_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
]);

/** True for an error that should surface as BackendError('unavailable'). */
export function isTransient(err: unknown): boolean {
  if (sqliteUnavailable(err)) return true;
  const e = err as DriverError | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string') {
    if (NETWORK_CODES.has(e.code) || MYSQL_CODES.has(e.code)) return true;
    if (/^[0-9A-Z]{5}$/.test(e.code) && pgTransient(e.code)) return true;
  }
  if (e.fatal === true) return true; // mysql2: the connection is unusable
  const msg = e.message ?? '';
  // pg-pool and pg report these without a code.
  return /timeout exceeded when trying to connect|Connection terminated|connection is closed|Cannot use a pool after calling end|driver has already been destroyed/i.test(
    msg,
  );
}

/** Rethrows `err` as BackendError('unavailable') when it is transient; other errors pass unchanged. */
export function mapDriverError(err: unknown, dialect: string): never {
  if (err instanceof BackendError) throw err;
  if (isTransient(err)) {
    throw new BackendError('unavailable', `${dialect}: ${(err as DriverError).message ?? String(err)}`);
  }
  throw err;
}
