// Opens the typed query layer (Kysely) on one of the three databases the SQL adapter supports: SQLite
// through node:sqlite, PostgreSQL through pg, MySQL/MariaDB through mysql2. Network databases get a
// bounded pool with connect and statement time-outs, so an outage fails fast (→ 503) instead of hanging.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, MysqlDialect, PostgresDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { NodeSqliteDialect } from './sqlite-dialect.ts';

export type SqlDialectName = 'sqlite' | 'postgres' | 'mysql';

export interface PoolOptions {
  /** Most connections open at once. Default 10. */
  max?: number;
  /** How long to wait for a connection (pool or network) before failing. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Longest a single statement may run before the server cancels it. Default 15000 ms. */
  statementTimeoutMs?: number;
  /** Idle connections are closed after this long. Default 30000 ms. */
  idleTimeoutMs?: number;
}

export interface NetworkDbOptions {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  pool?: PoolOptions;
  /**
   * PostgreSQL query plans per session. `custom` (default): every run gets its own plan — a generic plan
   * made while a table was small (a new install, an import under way) would stay cached and scan.
   * `indexed`: for davgate's own schema, where an index serves every statement: sequential scans are
   * disabled for the session (so no cached plan can scan) and generic plans are kept (no planning per run).
   */
  plans?: 'custom' | 'indexed';
}

export type SqlConnectionOptions =
  | { dialect: 'sqlite'; file: string; busyTimeoutMs?: number }
  | ({ dialect: 'postgres' } & NetworkDbOptions)
  | ({ dialect: 'mysql' } & NetworkDbOptions);

/** Rows are loosely typed at this layer; each schema profile declares the tables it reads. */
// biome-ignore lint/suspicious/noExplicitAny: the schema is chosen at run time by the profile
export type AnyDb = Kysely<any>;

export interface SqlConnection {
  readonly dialect: SqlDialectName;
  readonly db: AnyDb;
  /** The raw node:sqlite handle when dialect is 'sqlite' (pragmas, the synchronous fast paths). */
  readonly sqlite?: DatabaseSync;
  /** pg's pool when dialect is 'postgres' (the native profile's statements run on it directly, pg-runner.ts). */
  readonly pgPool?: pg.Pool;
  close(): Promise<void>;
}

/** Opens a connection (pool) and checks that the database answers. */
const PLAN_SETTINGS = {
  custom: 'SET plan_cache_mode = force_custom_plan',
  indexed: 'SET enable_seqscan = off',
} as const;

export async function openSqlConnection(opts: SqlConnectionOptions): Promise<SqlConnection> {
  if (opts.dialect === 'sqlite') return openSqlite(opts.file, opts.busyTimeoutMs ?? 5000);
  const conn = opts.dialect === 'postgres' ? openPostgres(opts) : openMysql(opts);
  try {
    await sql`SELECT 1`.execute(conn.db);
  } catch (err) {
    await conn.close().catch(() => {});
    throw err;
  }
  return conn;
}

/** How much of an SQLite file is read through mmap (PRAGMA mmap_size). */
export const SQLITE_MMAP_BYTES = 256 * 1024 * 1024;

function openSqlite(file: string, busyTimeoutMs: number): SqlConnection {
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
  const raw = new DatabaseSync(file, { enableForeignKeyConstraints: true });
  raw.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = NORMAL');
  // Statement and savepoint journals in memory (group-commit.ts runs each write in a SAVEPOINT): past
  // 64 KiB SQLite otherwise spills them to a temporary file, a pwrite per journaled page.
  raw.exec('PRAGMA temp_store = MEMORY');
  // Reads through a memory map instead of a pread into the 2 MB page cache per page missed: measured
  // 25–45 % less CPU for the row fetches of a one-month calendar-query over 10,000 events (16 MB file).
  // Mapped pages are the OS page cache, shared and reclaimable; the map only covers the first 256 MiB.
  raw.exec(`PRAGMA mmap_size = ${SQLITE_MMAP_BYTES}`);
  const db: AnyDb = new Kysely({ dialect: new NodeSqliteDialect(raw) });
  return {
    dialect: 'sqlite',
    db,
    sqlite: raw,
    async close() {
      await db.destroy();
    },
  };
}

function poolDefaults(p: PoolOptions | undefined): Required<PoolOptions> {
  return {
    max: p?.max ?? 10,
    connectTimeoutMs: p?.connectTimeoutMs ?? 5000,
    statementTimeoutMs: p?.statementTimeoutMs ?? 15000,
    idleTimeoutMs: p?.idleTimeoutMs ?? 30000,
  };
}

function openPostgres(o: NetworkDbOptions): SqlConnection {
  const p = poolDefaults(o.pool);
  const pool = new pg.Pool({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    max: p.max,
    connectionTimeoutMillis: p.connectTimeoutMs,
    idleTimeoutMillis: p.idleTimeoutMs,
    statement_timeout: p.statementTimeoutMs,
    application_name: 'davgate',
  });
  // A client losing its server must not crash the process, idle (pool 'error') or checked out (its own
  // 'error' event, which has no listener while a transaction holds it); the query in flight reports it.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    // Named statements (pg-runner.ts) skip parsing; whether they skip planning too is `plans` (above).
    // Queued before any statement of the client's first user; PostgreSQL < 12 lacks plan_cache_mode.
    client.query(PLAN_SETTINGS[o.plans ?? 'custom']).catch(() => {});
  });
  const db: AnyDb = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    pgPool: pool,
    async close() {
      await db.destroy();
    },
  };
}

function openMysql(o: NetworkDbOptions): SqlConnection {
  const p = poolDefaults(o.pool);
  const pool = createPool({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    connectionLimit: p.max,
    connectTimeout: p.connectTimeoutMs,
    idleTimeout: p.idleTimeoutMs,
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: false,
  });
  // Per-session statement time-out (MariaDB: max_statement_time in seconds).
  pool.on('connection', (c) => {
    c.query(`SET SESSION max_statement_time = ${p.statementTimeoutMs / 1000}`, () => {});
  });
  const db: AnyDb = new Kysely({ dialect: new MysqlDialect({ pool }) });
  return {
    dialect: 'mysql',
    db,
    async close() {
      await db.destroy();
    },
  };
}
