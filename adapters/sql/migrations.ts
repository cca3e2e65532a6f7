// Versioned schema migrations of the native SQL store on every dialect. Each migration is recorded in
// schema_version, so reopening a database applies only what is missing. Two processes migrating at once
// are serialised: BEGIN IMMEDIATE per migration on SQLite (the version is re-read under the write lock),
// a session advisory lock on PostgreSQL, GET_LOCK on MySQL/MariaDB. A database written by a newer davgate
// is refused. PostgreSQL and SQLite run each migration in one transaction; MySQL commits DDL as it goes.
import type { DatabaseSync } from 'node:sqlite';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Migration } from './migration-types.ts';
import { statements } from './migration-types.ts';
import type { SqlConnection, SqlDialectName } from './query/connect.ts';
import { MYSQL_MIGRATIONS } from './schema-mysql.ts';
import { POSTGRES_MIGRATIONS } from './schema-postgres.ts';
import { SQLITE_MIGRATIONS } from './schema-sqlite.ts';

export type { Migration } from './migration-types.ts';

export const MIGRATIONS: Readonly<Record<SqlDialectName, readonly Migration[]>> = {
  sqlite: SQLITE_MIGRATIONS,
  postgres: POSTGRES_MIGRATIONS,
  mysql: MYSQL_MIGRATIONS,
};

/**
 * The SQLite schema version this code expects. Dialects may differ (PostgreSQL has a migration of its own:
 * version 3, HOT updates), so a migration added later to every dialect takes the next number after the
 * highest of them.
 */
export const SCHEMA_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1].version;

const VERSION_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL, applied BIGINT NOT NULL)';

/** Arbitrary but fixed key of the PostgreSQL advisory lock held while migrating. */
const PG_LOCK_KEY = 4_711_203_517;
const MYSQL_LOCK = 'davgate.native.migrate';

/** The version recorded in a SQLite database (0 for an empty one). */
export function currentVersion(db: DatabaseSync): number {
  db.exec(VERSION_TABLE);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get();
  return Number(row?.v ?? 0);
}

function refuseNewer(found: number, migrations: readonly Migration[]): void {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (found > latest) {
    throw new Error(`database schema version ${found} is newer than this davgate supports (${latest})`);
  }
}

/** Applies the missing migrations to a SQLite database, each in one BEGIN IMMEDIATE transaction. */
export function migrateSqlite(db: DatabaseSync, migrations: readonly Migration[] = SQLITE_MIGRATIONS): number[] {
  const applied: number[] = [];
  const found = currentVersion(db);
  refuseNewer(found, migrations);
  for (const m of migrations) {
    if (m.version <= found) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      if (currentVersion(db) < m.version) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)').run(
          m.version,
          m.description,
          Date.now(),
        );
        applied.push(m.version);
      }
      db.exec('COMMIT');
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }
  return applied;
}

/** Applies the missing migrations on any dialect; returns the versions applied. */
export async function migrate(conn: SqlConnection, migrations?: readonly Migration[]): Promise<number[]> {
  const list = migrations ?? MIGRATIONS[conn.dialect];
  if (conn.dialect === 'sqlite') {
    if (!conn.sqlite) throw new Error('sqlite connection without its handle');
    return migrateSqlite(conn.sqlite, list);
  }
  const dialect = conn.dialect;
  return conn.db.connection().execute(async (db: Kysely<unknown>) => {
    const exec = async (text: string, params: unknown[] = []) =>
      (await db.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];
    if (dialect === 'postgres') await exec(`SELECT pg_advisory_lock(${PG_LOCK_KEY})`);
    else {
      const [got] = await exec(`SELECT GET_LOCK('${MYSQL_LOCK}', 60) AS got`);
      if (Number(got?.got) !== 1) throw new Error('could not take the migration lock within 60 s');
    }
    try {
      await exec(VERSION_TABLE);
      const [row] = await exec('SELECT MAX(version) AS v FROM schema_version');
      const found = Number(row?.v ?? 0);
      refuseNewer(found, list);
      const applied: number[] = [];
      const insert =
        dialect === 'postgres'
          ? 'INSERT INTO schema_version (version, description, applied) VALUES ($1, $2, $3)'
          : 'INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)';
      for (const m of list) {
        if (m.version <= found) continue;
        if (dialect === 'postgres') await exec('BEGIN');
        try {
          for (const s of statements(m.sql)) await exec(s);
          await exec(insert, [m.version, m.description, Date.now()]);
          if (dialect === 'postgres') await exec('COMMIT');
        } catch (err) {
          if (dialect === 'postgres') await exec('ROLLBACK').catch(() => {});
          throw err;
        }
        applied.push(m.version);
      }
      return applied;
    } finally {
      if (dialect === 'postgres') await exec(`SELECT pg_advisory_unlock(${PG_LOCK_KEY})`).catch(() => {});
      else await exec(`SELECT RELEASE_LOCK('${MYSQL_LOCK}')`).catch(() => {});
    }
  });
}
