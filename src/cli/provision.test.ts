import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSqlite } from '../../adapters/sql/open.ts';
import { provisionUser } from './provision.ts';

describe('provisionUser: a new user gets a default calendar and address book', () => {
  it('creates calendars/calendar (VEVENT+VTODO, "Calendar") and addressbooks/contacts', async () => {
    const { backend, close } = await openSqlite(':memory:');
    try {
      const created = await provisionUser(backend, 'alice');
      assert.deepEqual(created, [
        { owner: 'alice', home: 'calendars', id: 'calendar' },
        { owner: 'alice', home: 'addressbooks', id: 'contacts' },
      ]);
      const cal = await backend.getCollection({ owner: 'alice', home: 'calendars', id: 'calendar' });
      assert.equal(cal?.kind, 'calendar');
      assert.equal(cal?.displayName, 'Calendar');
      assert.deepEqual([...(cal?.components ?? [])].sort(), ['VEVENT', 'VTODO']);
      const book = await backend.getCollection({ owner: 'alice', home: 'addressbooks', id: 'contacts' });
      assert.equal(book?.kind, 'addressbook');
      assert.equal(book?.displayName, 'Contacts');
    } finally {
      close();
    }
  });

  it('is idempotent: a second call creates nothing', async () => {
    const { backend, close } = await openSqlite(':memory:');
    try {
      await provisionUser(backend, 'alice');
      assert.deepEqual(await provisionUser(backend, 'alice'), []);
      assert.equal((await backend.listCollections('alice', 'calendars')).length, 1);
    } finally {
      close();
    }
  });

  it('leaves a home alone that already has a collection of that kind', async () => {
    const { backend, close } = await openSqlite(':memory:');
    try {
      await backend.admin?.createCollection({ owner: 'bob', home: 'calendars', id: 'work' }, 'calendar', {
        displayName: 'Work',
      });
      const created = await provisionUser(backend, 'bob');
      assert.deepEqual(created, [{ owner: 'bob', home: 'addressbooks', id: 'contacts' }]);
      assert.deepEqual(
        (await backend.listCollections('bob', 'calendars')).map((c) => c.ref.id),
        ['work'],
      );
    } finally {
      close();
    }
  });

  it('does nothing on a backend that cannot create collections', async () => {
    const { backend, close } = await openSqlite(':memory:');
    try {
      const readOnly = Object.create(backend, { admin: { value: undefined } });
      assert.deepEqual(await provisionUser(readOnly, 'carol'), []);
      assert.deepEqual(await backend.listCollections('carol', 'calendars'), []);
    } finally {
      close();
    }
  });
});
