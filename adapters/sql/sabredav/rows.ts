// Column values as the three drivers hand them back (node:sqlite strings/Uint8Array, pg Buffers for BYTEA,
// mysql2 Buffers for VARBINARY/BLOB, numbers or numeric strings) turned into plain values, and object bodies
// written the way SabreDAV's PDO binds them (a string on SQLite, bytes on PostgreSQL/MySQL).
import type { SqlDialectName } from '../query/connect.ts';

const utf8 = new TextDecoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function str(v: unknown): string {
  if (v == null) return '';
  if (v instanceof Uint8Array) return utf8.decode(v);
  return String(v);
}

export function optStr(v: unknown): string | undefined {
  return v == null ? undefined : str(v);
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(str(v));
}

export function optNum(v: unknown): number | undefined {
  return v == null ? undefined : num(v);
}

/** A body column as bytes (SabreDAV on SQLite stores TEXT, elsewhere bytes). */
export function bytes(v: unknown): Uint8Array {
  if (v == null) return new Uint8Array();
  if (typeof v === 'string') return new TextEncoder().encode(v);
  if (v instanceof Uint8Array) return new Uint8Array(v);
  return new TextEncoder().encode(String(v));
}

/**
 * The value to bind for a body: PHP's PDO binds calendardata/carddata as a string, which SQLite keeps as
 * TEXT; PostgreSQL (BYTEA) and MySQL (MEDIUMBLOB) get the bytes. Bytes that are not UTF-8 stay a BLOB.
 */
export function bodyParam(dialect: SqlDialectName, body: Uint8Array): string | Buffer {
  if (dialect === 'sqlite') {
    try {
      return strictUtf8.decode(body);
    } catch {
      return Buffer.from(body);
    }
  }
  return Buffer.from(body);
}

/** Unique-key violations of the three databases (a concurrent insert of the same name). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === '23505' || e.code === 'ER_DUP_ENTRY' || e.errno === 1062) return true;
  return /UNIQUE constraint failed/i.test(e.message ?? '');
}

/** Unix seconds now, as PHP's time(). */
export const unixNow = (): number => Math.floor(Date.now() / 1000);
