// MountRouter: a home aggregates several backends; fixed collections go to their mount.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import { MountRouter } from './mounts.ts';

describe('MountRouter', () => {
  it('lists collections from every mount and routes fixed ids to their mount', async () => {
    const main = new MemoryBackend({ id: 'main' });
    const dir = new MemoryBackend({ id: 'dir' });
    await main.admin!.createCollection({ owner: 'alice', home: 'addressbooks', id: 'contacts' }, 'addressbook', {});
    await dir.admin!.createCollection({ owner: 'alice', home: 'addressbooks', id: 'directory' }, 'addressbook', {});
    // A collection the directory mount does not own is hidden, even if its backend has it.
    await dir.admin!.createCollection({ owner: 'alice', home: 'addressbooks', id: 'stray' }, 'addressbook', {});
    const r = new MountRouter([
      { id: 'default', backend: main },
      { id: 'ldap', backend: dir, homes: ['addressbooks'], collections: ['directory'] },
    ]);
    const list = await r.listCollections('alice', 'addressbooks');
    assert.deepEqual(list.map((c) => [c.info.ref.id, c.backend.id]).sort(), [
      ['contacts', 'main'],
      ['directory', 'dir'],
    ]);
    assert.equal(r.forCollection('alice', 'addressbooks', 'directory').id, 'dir');
    assert.equal(r.forCollection('alice', 'addressbooks', 'new-book').id, 'main');
    assert.equal(
      r.forCollection('alice', 'calendars', 'directory').id,
      'main',
      'the directory mount serves only address books',
    );
  });

  it('refuses two default mounts and a collection claimed twice', () => {
    const a = new MemoryBackend({ id: 'a' });
    const b = new MemoryBackend({ id: 'b' });
    assert.throws(
      () =>
        new MountRouter([
          { id: 'a', backend: a },
          { id: 'b', backend: b },
        ]),
      /more than one default mount/,
    );
    assert.throws(
      () =>
        new MountRouter([
          { id: 'a', backend: a },
          { id: 'x', backend: b, collections: ['d'] },
          { id: 'y', backend: b, collections: ['d'] },
        ]),
      /claimed by mounts/,
    );
  });
});
