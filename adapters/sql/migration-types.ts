// A versioned schema migration of the native SQL store, written per dialect (schema-<dialect>.ts).

export interface Migration {
  version: number;
  description: string;
  /**
   * The DDL. SQLite runs it as one script; PostgreSQL and MySQL/MariaDB run it statement by statement
   * (split on `;` at line ends), so a statement must not end a line with `;` inside a literal.
   */
  sql: string;
}

/** The statements of a migration script, in order. */
export function statements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s !== '');
}
