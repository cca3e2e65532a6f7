// Baïkal's users log in to davgate (storage.users: sabredav): a users row as Baïkal's admin writes it
// (digesta1 = md5(username:BaikalDAV:password)) authenticates over HTTP Basic through the app; a wrong
// password, an unknown user or a hash made for another realm gets 401; names, display names and e-mail come
// from the principal; the store refuses writes with a clear error. On SQLite, PostgreSQL and MariaDB.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import { userDirectory } from '../../../src/auth/user-directory.ts';
import { createTestApp } from '../../../test/support/app.ts';
import type { SqlConnection } from '../query/connect.ts';
import { createSabredavBackend } from './index.ts';
import { seedAsSabre } from './sabre-fixture.ts';
import { onEachDialect, openSabreDb } from './test-databases.ts';
import { createSabredavUserStore, SABRE_USERS_READ_ONLY } from './users.ts';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const PROPFIND = '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>';

/** Baïkal's admin adding a user: the users row and its principal. */
async function addAsBaikal(conn: SqlConnection, name: string, password: string, realm = 'BaikalDAV') {
  const digest = md5(`${name}:${realm}:${password}`);
  await sql`INSERT INTO users (username, digesta1) VALUES (${name}, ${conn.dialect === 'mysql' ? Buffer.from(digest) : digest})`.execute(
    conn.db,
  );
  await sql`INSERT INTO principals (uri, email, displayname) VALUES (${`principals/${name}`}, ${`${name}@example.org`}, ${'Zoë Baïkal'})`.execute(
    conn.db,
  );
}

onEachDialect(
  (d) => `sabredav profile (${d}): Baïkal's users log in`,
  (d) => {
    test('HTTP Basic against users.digesta1: right password 207, wrong password / unknown user / other realm 401', async () => {
      const conn = await openSabreDb(d);
      try {
        await seedAsSabre(conn);
        await addAsBaikal(conn, 'zoe', 'Pässwort ✓');
        await addAsBaikal(conn, 'sabre', 'pw', 'SabreDAV');
        const users = createSabredavUserStore(conn, { realm: 'BaikalDAV' });
        const backend = await createSabredavBackend(conn, {});
        const t = await createTestApp({ wrapBackend: () => backend, deps: { users } });
        const as = (user: string, password: string) =>
          t.request('PROPFIND', '/dav/calendars/alice/default/', {
            user: null,
            headers: { Depth: '0', Authorization: basic(user, password) },
            body: PROPFIND,
          });
        // alice's row comes from the fixture (md5 of alice:BaikalDAV:alice-secret).
        assert.equal((await as('alice', 'alice-secret')).status, 207);
        const zoe = await t.request('PROPFIND', '/dav/principals/zoe/', {
          user: null,
          headers: { Depth: '0', Authorization: basic('zoe', 'Pässwort ✓') },
          body: PROPFIND,
        });
        assert.equal(zoe.status, 207);
        assert.match(zoe.text, /Zoë Baïkal/);
        assert.equal((await as('alice', 'alice-secreT')).status, 401);
        assert.equal((await as('zoe', 'Passwort ✓')).status, 401);
        assert.equal((await as('nobody', 'alice-secret')).status, 401);
        assert.equal((await as('sabre', 'pw')).status, 401, 'a hash made for realm SabreDAV is not BaikalDAV');
        const wrong = await as('alice', 'nope');
        assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic /);
      } finally {
        await conn.close();
      }
    });

    test('names, display names and e-mail from principals; writes refused with a clear error', async () => {
      const conn = await openSabreDb(d);
      try {
        await seedAsSabre(conn);
        await addAsBaikal(conn, 'zoe', 'x');
        const users = createSabredavUserStore(conn);
        assert.deepEqual(await users.list(), [
          { name: 'alice', displayName: 'Alice Example', email: 'alice@example.com' },
          { name: 'zoe', displayName: 'Zoë Baïkal', email: 'zoe@example.org' },
        ]);
        assert.equal(await users.get('nobody'), undefined);
        assert.deepEqual(await userDirectory(users).addresses('zoe'), ['mailto:zoe@example.org']);
        assert.equal(await users.passwordHash('zoe'), `ha1:BaikalDAV:${md5('zoe:BaikalDAV:x')}`);
        const refused = (e: unknown) => e instanceof Error && e.message === SABRE_USERS_READ_ONLY;
        await assert.rejects(users.create({ name: 'new', displayName: 'New' }, 'scrypt$x'), refused);
        await assert.rejects(users.setPasswordHash('zoe', 'scrypt$x'), refused);
        await assert.rejects(users.remove('zoe'), refused);
        assert.equal((await users.list()).length, 2, 'nothing written');
      } finally {
        await conn.close();
      }
    });
  },
);
