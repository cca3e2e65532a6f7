// PostgreSQL migration 3 (schema-postgres.ts): a version 2 database holding data is upgraded in place, and
// afterwards an If-Match replacement of a vCard is a HOT update (it writes no index entry).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CollectionRef, PutInput } from '../../src/backend/types.ts';
import { SqlBackend } from './backend.ts';
import { migrate } from './migrations.ts';
import { nativeStore, openSqlStore } from './open.ts';
import { openSqlConnection } from './query/connect.ts';
import { SqlExec } from './query/exec.ts';
import { POSTGRES_MIGRATIONS } from './schema-postgres.ts';
import { collect } from './test-fixtures.ts';
import { POSTGRES, type TestServer } from './test-servers.ts';

const BOOK: CollectionRef = { owner: 'alice', home: 'addressbooks', id: 'contacts' };
const enc = new TextEncoder();
const card = (i: number, note: string): PutInput => ({
  body: enc.encode(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u-${i}\r\nFN:Card ${i}\r\nNOTE:${note}\r\nEND:VCARD\r\n`),
  contentType: 'text/vcard; charset=utf-8',
  uid: `u-${i}`,
});

describe('PostgreSQL migration 3: HOT updates of objects', async () => {
  const skip = await POSTGRES.skip();
  if (skip) return void it.skip(skip);
  let server: TestServer;
  before(async () => {
    server = await POSTGRES.start();
  });
  after(async () => {
    await server?.stop();
  });

  it('a version 2 database with objects upgrades: listing, etags and sync token unchanged, indexes replaced', async () => {
    const opts = await server.createDatabase();
    const conn = await openSqlConnection({ ...opts, plans: 'indexed' });
    const store = { close: () => conn.close() };
    try {
      assert.deepEqual(await migrate(conn, POSTGRES_MIGRATIONS.slice(0, 2)), [1, 2]);
      const v2 = new SqlBackend(new SqlExec(conn));
      await v2.admin.createCollection(BOOK, 'addressbook', {});
      for (let i = 0; i < 20; i++) await v2.putObject(BOOK, `c-${i}.vcf`, card(i, 'first'), {});
      const listed = await collect(v2.listObjects(BOOK));
      const token = await v2.currentToken(BOOK);

      const v3 = await nativeStore(conn);
      store.close = v3.close;
      const rows = await server.exec(opts.database, 'SELECT version FROM schema_version ORDER BY version');
      assert.deepEqual(
        rows.map((r) => Number(r.version)),
        [1, 2, 3],
      );
      const indexes = await server.exec(
        opts.database,
        "SELECT indexname FROM pg_indexes WHERE tablename = 'objects' ORDER BY indexname",
      );
      assert.deepEqual(
        indexes.map((r) => r.indexname),
        ['objects_collection_name_key', 'objects_name', 'objects_uid', 'objects_unindexed', 'objects_until'],
      );
      const [rel] = await server.exec(opts.database, "SELECT reloptions FROM pg_class WHERE relname = 'objects'");
      assert.deepEqual(rel.reloptions, ['fillfactor=80']);

      assert.deepEqual(await collect(v3.backend.listObjects(BOOK)), listed);
      assert.equal(await v3.backend.currentToken(BOOK), token);
      const put = await v3.backend.putObject(BOOK, 'c-3.vcf', card(3, 'second'), {
        ifMatch: listed.find((o) => o.name === 'c-3.vcf')?.etag,
      });
      const delta = await v3.backend.changesSince(BOOK, token);
      assert.notEqual(delta, 'invalid-token');
      assert.deepEqual(delta !== 'invalid-token' && delta.changed, [{ name: 'c-3.vcf', etag: put.etag }]);
    } finally {
      await store.close();
    }
  });

  it('RFC 6352 §6.3.2: If-Match replacements of vCards update no index (HOT), lookups by name still find them', async () => {
    const opts = await server.createDatabase();
    // One connection, so one backend holds every update's statistics until it is told to flush them.
    const store = await openSqlStore({ ...opts, pool: { max: 1 } });
    try {
      await store.backend.admin.createCollection(BOOK, 'addressbook', {});
      const etags: string[] = [];
      for (let i = 0; i < 5; i++)
        etags.push((await store.backend.putObject(BOOK, `c-${i}.vcf`, card(i, '0'), {})).etag);
      for (let round = 1; round <= 4; round++) {
        for (let i = 0; i < 5; i++) {
          const input = card(i, String(round));
          etags[i] = (await store.backend.putObject(BOOK, `c-${i}.vcf`, input, { ifMatch: etags[i] })).etag;
        }
      }
      await store.conn.pgPool?.query('SELECT pg_stat_force_next_flush()');
      const [t] = await server.exec(
        opts.database,
        "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'objects'",
      );
      assert.equal(Number(t.n_tup_upd), 20);
      assert.equal(Number(t.n_tup_hot_upd), 20);
      const got = await store.backend.getObjects(BOOK, ['c-2.vcf']);
      assert.equal(got[0].etag, etags[2]);
      assert.match(new TextDecoder().decode(got[0].body), /NOTE:4/);
    } finally {
      await store.close();
    }
  });
});
