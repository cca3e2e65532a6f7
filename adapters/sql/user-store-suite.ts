// SqlUserStore: the embedded default's users (src/auth/user-store.ts) on the SQLite database.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { BackendError } from '../../src/backend/port.ts';
import type { OpenedSqlStore } from './open.ts';

export function userStoreSuite(label: string, open: () => Promise<OpenedSqlStore>): void {
  describe(`SqlUserStore (${label})`, () => {
    let s: OpenedSqlStore;
    beforeEach(async () => {
      s = await open();
    });
    afterEach(() => s.close());

    test('create, get, list (sorted), passwordHash', async () => {
      await s.users.create({ name: 'bob', displayName: 'Bob' }, 'h-bob');
      await s.users.create({ name: 'alice', displayName: 'Alice', email: 'alice@example.org' }, 'h-alice');
      assert.deepEqual(await s.users.get('bob'), { name: 'bob', displayName: 'Bob' });
      assert.deepEqual(
        (await s.users.list()).map((u) => u.name),
        ['alice', 'bob'],
      );
      assert.equal((await s.users.get('alice'))?.email, 'alice@example.org');
      assert.equal(await s.users.passwordHash('alice'), 'h-alice');
      assert.equal(await s.users.get('carol'), undefined);
      assert.equal(await s.users.passwordHash('carol'), undefined);
    });

    test('creating a taken name throws and keeps the original user and hash', async () => {
      await s.users.create({ name: 'alice', displayName: 'Alice' }, 'original');
      await assert.rejects(
        s.users.create({ name: 'alice', displayName: 'Impostor' }, 'other'),
        (e: unknown) => e instanceof BackendError && e.code === 'exists',
      );
      assert.equal((await s.users.get('alice'))?.displayName, 'Alice');
      assert.equal(await s.users.passwordHash('alice'), 'original');
    });

    test('setPasswordHash and remove report whether the user existed', async () => {
      await s.users.create({ name: 'alice', displayName: 'Alice' }, 'old');
      assert.equal(await s.users.setPasswordHash('alice', 'new'), true);
      assert.equal(await s.users.passwordHash('alice'), 'new');
      assert.equal(await s.users.setPasswordHash('nobody', 'x'), false);
      assert.equal(await s.users.remove('alice'), true);
      assert.equal(await s.users.remove('alice'), false);
      assert.equal(await s.users.get('alice'), undefined);
    });

    test('removing a user leaves their collections alone (data removal is the backend’s job)', async () => {
      await s.users.create({ name: 'alice', displayName: 'Alice' }, 'h');
      const ref = { owner: 'alice', home: 'calendars' as const, id: 'cal' };
      await s.backend.admin.createCollection(ref, 'calendar', {});
      await s.users.remove('alice');
      assert.ok(await s.backend.getCollection(ref));
    });
  });
}
