// Opens the configured storage (config.storage) for src/main.ts: davgate's own schema (profile native) on
// SQLite, PostgreSQL or MySQL/MariaDB, or an existing SabreDAV/Baïkal database (profile sabredav) or a
// legacy schema through a column mapping (profile columns). Passwords come from a file or an environment
// variable so they stay out of the YAML and the logs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nativeStore, openSqlite } from '../../adapters/sql/open.ts';
import { openSqlConnection, type SqlConnection, type SqlConnectionOptions } from '../../adapters/sql/query/connect.ts';
import { sqliteFile } from '../config/paths.ts';
import type { Config } from '../config/schema.ts';
import type { StateStore } from '../state/store.ts';
import type { OpenedStore } from './runtime.ts';

type Storage = Config['storage'];

/** With profile sabredav or columns, the gateway's own users live in this file under storage.dataDir. */
export const PROFILE_USERS_FILE = 'davgate-users.sqlite';

/** The database password from storage.passwordFile (first line) or storage.passwordEnv; undefined if neither. */
export function storagePassword(s: Storage, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (s.kind === 'sqlite') return undefined;
  if (s.passwordFile) return readFileSync(s.passwordFile, 'utf8').split(/\r?\n/)[0];
  if (s.passwordEnv) {
    const v = env[s.passwordEnv];
    if (v === undefined) throw new Error(`storage.passwordEnv: environment variable ${s.passwordEnv} is not set`);
    return v;
  }
  return undefined;
}

/** Connection options of the configured database. */
export function connectionOptions(s: Storage, env: NodeJS.ProcessEnv = process.env): SqlConnectionOptions {
  if (s.kind === 'sqlite') return { dialect: 'sqlite', file: sqliteFile(s) };
  return {
    dialect: s.kind,
    host: s.host,
    port: s.port ?? (s.kind === 'postgres' ? 5432 : 3306),
    user: s.user,
    password: storagePassword(s, env),
    database: s.database,
    pool: s.pool,
    // davgate's own schema has an index for every statement (cached generic plans are safe); a groupware
    // schema may not, so each run is planned (adapters/sql/query/connect.ts).
    plans: s.profile === 'native' ? 'indexed' : 'custom',
  };
}

async function profileBackend(s: Storage, conn: SqlConnection, state: StateStore | undefined) {
  if (s.profile === 'columns') {
    // Loaded only when configured: the native profile does not need the mapping machinery.
    const { createColumnsBackend, parseColumnsMapping } = await import('../../adapters/sql/columns/index.ts');
    const mapping = parseColumnsMapping(readFileSync(resolve(s.mapping ?? ''), 'utf8'));
    // The state store, for a mapping that keeps unmapped data there (`extras: { store: state }`).
    return createColumnsBackend(conn, mapping, { id: 'sql', state });
  }
  // profile sabredav: SabreDAV/Baïkal tables as they are, occurrences computed in the PHP zone.
  const { createSabredavBackend } = await import('../../adapters/sql/sabredav/index.ts');
  return createSabredavBackend(conn, { id: 'sql', realm: s.digestRealm, timezone: s.timezone });
}

/** Opens the configured storage: backend, users, and close() for both. */
export async function openConfiguredStore(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
  state?: StateStore,
): Promise<OpenedStore> {
  const s = config.storage;
  if (s.kind === 'sqlite' && s.profile === 'native') return openSqlite(sqliteFile(s));
  const conn = await openSqlConnection(connectionOptions(s, env));
  try {
    if (s.profile === 'native') return await nativeStore(conn);
    const backend = await profileBackend(s, conn, state);
    if (s.users === 'sabredav') {
      // Baïkal's own logins (users.digesta1), read-only: managed in Baïkal's admin.
      const { createSabredavUserStore } = await import('../../adapters/sql/sabredav/users.ts');
      return { backend, users: createSabredavUserStore(conn, { realm: s.digestRealm }), close: () => conn.close() };
    }
    // Users of the gateway (not of the groupware) stay in a file of their own under dataDir.
    const users = await openSqlite(resolve(s.dataDir, PROFILE_USERS_FILE));
    return {
      backend,
      users: users.users,
      async close() {
        await users.close();
        await conn.close();
      },
    };
  } catch (err) {
    await conn.close().catch(() => {});
    throw err;
  }
}
