// Optimistic locking of column-mapped writes (issue 5: "UPDATE … WHERE version = ?"): a schema without a
// version column is locked on the modified value read, so a legacy edit between read and write fails the
// conditional UPDATE (→ 412) instead of being overwritten. SQLite; the other databases run the same SQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { BackendError } from '../../../src/backend/port.ts';
import { SERVERS, type Server } from '../../../test/columns/databases.ts';
import { createLegacySchema, mapping } from '../../../test/columns/legacy-schema.ts';
import { createColumnsBackend } from './index.ts';
import { loadObjects } from './read.ts';
import { sideTable } from './side-table.ts';
import { update } from './write.ts';

const REF = { owner: 'alice', home: 'calendars', id: 'calendar' } as const;
const { version: _v, ...noVersion } = mapping;
const INSERT = `INSERT INTO appointments (owner, uid, title, starts_at, ends_at, deleted, modified)
  VALUES ('alice', 'u1', 'Row', '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0, '2026-05-01 08:00:00')`;

describe('columns optimistic locking without a version column (SQLite)', () => {
  let server: Server;
  before(async () => {
    server = await (SERVERS[0] as (typeof SERVERS)[number]).start();
  });
  after(() => server?.stop());

  it('UPDATE … WHERE modified = <value read>: a legacy edit in between → precondition-failed', async () => {
    const db = await server.fresh();
    try {
      await createLegacySchema(db.conn);
      await db.exec(INSERT);
      await createColumnsBackend(db.conn, noVersion); // creates davgate's side table
      const [cur] = await loadObjects(db.conn.db, noVersion, sideTable, REF);
      assert.equal(String(cur.modified), '2026-05-01 08:00:00');
      await db.exec(`UPDATE appointments SET title = 'legacy', modified = '2026-05-01 08:05:00' WHERE id = 1`);
      await assert.rejects(
        update(db.conn.db, noVersion, cur, { title: 'dav' }),
        (e: unknown) => e instanceof BackendError && e.code === 'precondition-failed',
      );
      const title = (await sql<{ title: string }>`SELECT title FROM appointments`.execute(db.conn.db)).rows[0].title;
      assert.equal(title, 'legacy', 'the legacy edit is not overwritten');
      const [fresh] = await loadObjects(db.conn.db, noVersion, sideTable, REF);
      assert.equal(await update(db.conn.db, noVersion, fresh, { title: 'dav' }), '1');
    } finally {
      await db.close();
    }
  });

  it('PUT and DELETE through the backend still work on such a schema', async () => {
    const db = await server.fresh();
    try {
      await createLegacySchema(db.conn);
      await db.exec(INSERT);
      const backend = await createColumnsBackend(db.conn, noVersion, { id: 'nv' });
      const [o] = await backend.getObjects(REF, ['1.ics']);
      const body = new TextEncoder().encode(new TextDecoder().decode(o.body).replace('SUMMARY:Row', 'SUMMARY:Via DAV'));
      const put = await backend.putObject(REF, '1.ics', { body, contentType: 'text/calendar' }, { ifMatch: o.etag });
      assert.equal(put.created, false);
      await backend.deleteObject(REF, '1.ics', { ifMatch: put.etag });
      assert.deepEqual(await backend.getObjects(REF, ['1.ics']), []);
    } finally {
      await db.close();
    }
  });
});
