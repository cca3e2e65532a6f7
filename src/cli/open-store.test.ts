// storage kinds postgres and mysql: validation of the section, the password from an environment variable
// or a file (never the YAML), and `davgate serve`'s store opener running the native profile on a real
// PostgreSQL server.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openSqlConnection } from '../../adapters/sql/query/connect.ts';
import { seedAsSabre } from '../../adapters/sql/sabredav/sabre-fixture.ts';
import { createSabredavSchema } from '../../adapters/sql/sabredav/schema.ts';
import { hasPostgres, startPostgres } from '../../test/support/postgres.ts';
import { verifyPassword } from '../auth/password.ts';
import { configSchema } from '../config/schema.ts';
import { connectionOptions, openConfiguredStore, PROFILE_USERS_FILE } from './open-store.ts';

const base = { kind: 'postgres', host: 'db', user: 'davgate', database: 'gw' };

describe('storage: postgres / mysql', () => {
  it('defaults: native profile, default pool, port by kind', () => {
    const c = configSchema.parse({ storage: { ...base, kind: 'mysql', passwordEnv: 'DB_PW' } });
    assert.equal(c.storage.kind, 'mysql');
    assert.equal(c.storage.profile, 'native');
    const opts = connectionOptions(c.storage, { DB_PW: 's3cret' });
    assert.deepEqual(opts, {
      dialect: 'mysql',
      host: 'db',
      port: 3306,
      user: 'davgate',
      password: 's3cret',
      database: 'gw',
      pool: { max: 10, connectTimeoutMs: 5000, statementTimeoutMs: 15000, idleTimeoutMs: 30000 },
      plans: 'indexed',
    });
    const sabre = configSchema.parse({ storage: { ...base, kind: 'postgres', profile: 'sabredav' } });
    const sabreOpts = connectionOptions(sabre.storage, {});
    assert.equal(sabreOpts.dialect === 'postgres' ? sabreOpts.plans : undefined, 'custom');
  });

  it('refuses a password in the YAML, both password sources, and columns without a mapping', () => {
    assert.equal(configSchema.safeParse({ storage: { ...base, password: 'x' } }).success, false);
    assert.equal(configSchema.safeParse({ storage: { ...base, passwordEnv: 'A', passwordFile: '/f' } }).success, false);
    assert.equal(configSchema.safeParse({ storage: { ...base, profile: 'columns' } }).success, false);
    assert.equal(configSchema.safeParse({ storage: { ...base, host: undefined } }).success, false);
  });

  it('password from a file (first line) and a missing variable named in the error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davgate-pw-'));
    try {
      await writeFile(join(dir, 'pw'), 'from-file\n');
      const c = configSchema.parse({ storage: { ...base, passwordFile: join(dir, 'pw') } });
      assert.equal((connectionOptions(c.storage) as { password?: string }).password, 'from-file');
      const e = configSchema.parse({ storage: { ...base, passwordEnv: 'NOPE_NOT_SET' } });
      assert.throws(() => connectionOptions(e.storage, {}), /NOPE_NOT_SET/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serve opens the native store on PostgreSQL: migrated, users and objects in the database', async (t) => {
    if (!(await hasPostgres())) return t.skip('postgresql not installed (scripts/test.sh installs it)');
    const server = await startPostgres();
    try {
      const db = await server.createDatabase();
      const config = configSchema.parse({
        storage: { kind: 'postgres', host: db.host, port: db.port, user: db.user, database: db.database },
      });
      const store = await openConfiguredStore(config);
      try {
        await store.users.create({ name: 'alice', displayName: 'Alice' }, 'scrypt$x');
        assert.equal(await store.users.passwordHash('alice'), 'scrypt$x');
        const ref = { owner: 'alice', home: 'calendars', id: 'cal' } as const;
        await store.backend.admin?.createCollection(ref, 'calendar', {});
        assert.equal((await store.backend.listCollections('alice', 'calendars')).length, 1);
      } finally {
        await store.close();
      }
      const c = await server.admin(db.database);
      try {
        assert.equal((await c.query('SELECT COUNT(*)::int AS n FROM collections')).rows[0].n, 1);
      } finally {
        await c.end();
      }
    } finally {
      await server.stop();
    }
  });
});

/** A SabreDAV/Baïkal SQLite file (baikal.sqlite in `dir`) with alice's rows as SabreDAV writes them. */
async function seedBaikalFile(dir: string): Promise<void> {
  const conn = await openSqlConnection({ dialect: 'sqlite', file: join(dir, 'baikal.sqlite') });
  await createSabredavSchema(conn);
  await seedAsSabre(conn, 'alice');
  await conn.close();
}

describe('storage.profile sabredav / columns', () => {
  it('sabredav: an existing SabreDAV database is served as is; users live apart in davgate-users.sqlite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davgate-sabre-'));
    try {
      await seedBaikalFile(dir);
      const config = configSchema.parse({
        storage: { kind: 'sqlite', dataDir: dir, file: 'baikal.sqlite', profile: 'sabredav' },
      });
      const store = await openConfiguredStore(config);
      try {
        assert.ok((await store.backend.listCollections('alice', 'calendars')).length > 0);
        await store.users.create({ name: 'alice', displayName: 'Alice' }, 'scrypt$x');
      } finally {
        await store.close();
      }
      const check = await openSqlConnection({ dialect: 'sqlite', file: join(dir, 'baikal.sqlite') });
      const tables = (
        await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(check.db)
      ).rows.map((r) => r.name);
      await check.close();
      assert.ok(!tables.includes('schema_version'), 'no native tables in the groupware file');
      assert.ok(existsSync(join(dir, PROFILE_USERS_FILE)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("sabredav: storage.timezone is the PHP zone of the occurrence columns (Baïkal's time zone)", async () => {
    assert.throws(
      () => configSchema.parse({ storage: { kind: 'sqlite', profile: 'sabredav', timezone: 'Mars/Olympus' } }),
      /expected an IANA time zone name/,
    );
    const dir = await mkdtemp(join(tmpdir(), 'davgate-sabre-'));
    try {
      await seedBaikalFile(dir);
      const config = configSchema.parse({
        storage: {
          kind: 'sqlite',
          dataDir: dir,
          file: 'baikal.sqlite',
          profile: 'sabredav',
          timezone: 'Europe/Berlin',
        },
      });
      const store = await openConfiguredStore(config);
      try {
        const [cal] = await store.backend.listCollections('alice', 'calendars');
        assert.ok(cal);
        const text =
          'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:day-1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240102\r\nSUMMARY:all day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
        const body = new TextEncoder().encode(text);
        await store.backend.putObject(cal.ref, 'day-1.ics', { body, contentType: 'text/calendar', uid: 'day-1' }, {});
      } finally {
        await store.close();
      }
      const check = await openSqlConnection({ dialect: 'sqlite', file: join(dir, 'baikal.sqlite') });
      const rows = (
        await sql<{
          firstoccurence: number;
          lastoccurence: number;
        }>`SELECT firstoccurence, lastoccurence FROM calendarobjects WHERE uri = 'day-1.ics'`.execute(check.db)
      ).rows;
      await check.close();
      // Midnight in Berlin on 2 January 2024 (CET, UTC+1) is 23:00 UTC on the 1st.
      assert.deepEqual(
        rows.map((r) => [Number(r.firstoccurence), Number(r.lastoccurence)]),
        [[Date.UTC(2024, 0, 1, 23) / 1000, Date.UTC(2024, 0, 2, 23) / 1000]],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("users: sabredav — Baïkal's users table is the user store (read-only); no davgate-users.sqlite", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davgate-sabre-'));
    try {
      await seedBaikalFile(dir);
      const storage = { kind: 'sqlite', dataDir: dir, file: 'baikal.sqlite', profile: 'sabredav', users: 'sabredav' };
      const store = await openConfiguredStore(configSchema.parse({ storage }));
      try {
        assert.deepEqual(
          (await store.users.list()).map((u) => u.name),
          ['alice'],
        );
        const hash = await store.users.passwordHash('alice');
        assert.ok(hash && (await verifyPassword('alice-secret', hash, 'alice')));
        await assert.rejects(store.users.create({ name: 'bob', displayName: 'Bob' }, 'scrypt$x'), /read-only/);
      } finally {
        await store.close();
      }
      assert.ok(!existsSync(join(dir, PROFILE_USERS_FILE)));
      assert.throws(
        () => configSchema.parse({ storage: { kind: 'sqlite', dataDir: dir, users: 'sabredav' } }),
        /users: sabredav needs profile: sabredav/,
      );
      assert.equal(configSchema.parse({ storage: { kind: 'sqlite' } }).storage.users, 'davgate');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
