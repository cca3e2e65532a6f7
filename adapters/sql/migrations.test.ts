// Schema migrations and persistence of the embedded store: versions recorded once, reopening applies
// nothing and keeps every datum, failed migrations leave no trace, newer schemas are refused.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { ClarkName } from '../../src/dav/xml/names.ts';
import { currentVersion, migrateSqlite as migrate, SCHEMA_VERSION } from './migrations.ts';
import { openSqlite } from './open.ts';
import { SQLITE_MMAP_BYTES } from './query/connect.ts';
import { calRef, event, tempDir } from './test-fixtures.ts';

describe('SQLite migrations', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  test('a new file (in a directory that did not exist) gets the latest schema, WAL, foreign keys and in-memory journals', async () => {
    const s = await openSqlite(tmp.file);
    try {
      assert.equal(currentVersion(s.db), SCHEMA_VERSION);
      assert.equal(s.db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
      assert.equal(s.db.prepare('PRAGMA foreign_keys').get()?.foreign_keys, 1);
      assert.ok(Number(s.db.prepare('PRAGMA busy_timeout').get()?.timeout) > 0);
      // Savepoint journals of group commits stay in memory (2 = MEMORY).
      assert.equal(s.db.prepare('PRAGMA temp_store').get()?.temp_store, 2);
      // Pages are read through a memory map (SQLite answers 0 where mmap is unavailable).
      assert.equal(s.db.prepare('PRAGMA mmap_size').get()?.mmap_size, SQLITE_MMAP_BYTES);
      const rows = s.db.prepare('SELECT version FROM schema_version').all();
      assert.deepEqual(
        rows.map((r) => r.version),
        Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
      );
    } finally {
      await s.close();
    }
  });

  test('reopening is idempotent: nothing re-applied, one row per version', async () => {
    await (await openSqlite(tmp.file)).close();
    const db = new DatabaseSync(tmp.file);
    try {
      assert.deepEqual(migrate(db), []);
      assert.deepEqual(migrate(db), []);
      assert.equal(Number(db.prepare('SELECT COUNT(*) AS n FROM schema_version').get()?.n), SCHEMA_VERSION);
    } finally {
      db.close();
    }
    await (await openSqlite(tmp.file)).close();
  });

  test('a failing migration is rolled back whole and the version stays', () => {
    const db = new DatabaseSync(':memory:');
    try {
      migrate(db);
      const broken = [
        { version: SCHEMA_VERSION, description: 'existing', sql: '' },
        {
          version: SCHEMA_VERSION + 1,
          description: 'half',
          sql: 'CREATE TABLE extra (x); INSERT INTO nope VALUES (1);',
        },
      ];
      assert.throws(() => migrate(db, broken), /nope/);
      assert.equal(currentVersion(db), SCHEMA_VERSION);
      assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get(), undefined);
      assert.equal(db.isTransaction, false);
    } finally {
      db.close();
    }
  });

  test('a database from a newer davgate is refused, not downgraded', async () => {
    const db = new DatabaseSync(tmp.file.replace('nested/', ''));
    db.exec(
      'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied INTEGER NOT NULL)',
    );
    db.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'future', 0);
    db.close();
    await assert.rejects(openSqlite(tmp.file.replace('nested/', '')), /newer/);
  });

  test('data persists across reopen: users, collections, objects, dead props, tokens keep growing', async () => {
    const prop = '{urn:x-test}p' as ClarkName;
    const first = await openSqlite(tmp.file);
    await first.users.create({ name: 'alice', displayName: 'Alice', email: 'a@example.org' }, 'scrypt$hash');
    await first.backend.admin.createCollection(calRef(), 'calendar', {
      displayName: 'Work',
      components: ['VEVENT'],
      deadProps: { [prop]: { name: prop, attrs: { a: '1' }, children: ['v'] } },
    });
    const put = await first.backend.putObject(calRef(), 'a.ics', event('a'), {});
    await first.backend.patchObjectProps(calRef(), 'a.ics', { [prop]: { name: prop, attrs: {}, children: ['o'] } });
    const token = await first.backend.currentToken(calRef());
    await first.close();

    const second = await openSqlite(tmp.file);
    try {
      assert.deepEqual(await second.users.list(), [{ name: 'alice', displayName: 'Alice', email: 'a@example.org' }]);
      assert.equal(await second.users.passwordHash('alice'), 'scrypt$hash');
      const info = await second.backend.getCollection(calRef());
      assert.equal(info?.displayName, 'Work');
      assert.deepEqual(info?.components, ['VEVENT']);
      assert.deepEqual(info?.deadProps[prop], { name: prop, attrs: { a: '1' }, children: ['v'] });
      const [obj] = await second.backend.getObjects(calRef(), ['a.ics']);
      assert.equal(obj.etag, put.etag);
      assert.deepEqual(obj.deadProps[prop].children, ['o']);
      assert.equal(await second.backend.currentToken(calRef()), token);
      assert.deepEqual(await second.backend.changesSince(calRef(), token), { token, changed: [], deleted: [] });
      await second.backend.putObject(calRef(), 'b.ics', event('b'), {});
      assert.ok(Number(await second.backend.currentToken(calRef())) > Number(token));
    } finally {
      await second.close();
    }
  });
});
