// Creates SabreDAV's published PDO schema (schema/*.sql, copied from sabre-io/dav examples/sql) in an empty
// database. For tests and for trying davgate without an existing Baïkal: an existing install already has
// these tables, and the sabredav profile never creates or alters anything there.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { SqlConnection } from '../query/connect.ts';

const FILES = { sqlite: 'sqlite.sql', postgres: 'pgsql.sql', mysql: 'mysql.sql' } as const;

/** The DDL statements of SabreDAV's schema for a dialect, comments removed. */
export function sabredavSchema(dialect: SqlConnection['dialect']): string[] {
  const text = readFileSync(new URL(`./schema/${FILES[dialect]}`, import.meta.url), 'utf8');
  return text
    .split(/;\s*\n/)
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s.length > 0);
}

export async function createSabredavSchema(conn: SqlConnection): Promise<void> {
  for (const stmt of sabredavSchema(conn.dialect)) await sql.raw(stmt).execute(conn.db);
}
