// Trimming the trigger change log (feed.ts trimChanges): the newest entries stay, a token older than the
// oldest kept entry is invalid (the client resyncs, RFC 6578 §3.2) instead of silently missing changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SERVERS, type Server } from '../../../test/columns/databases.ts';
import { createLegacySchema, mapping } from '../../../test/columns/legacy-schema.ts';
import { trimChanges } from './feed.ts';
import { createColumnsBackend } from './index.ts';
import { installStatements, runStatements } from './triggers.ts';

const REF = { owner: 'alice', home: 'calendars', id: 'calendar' } as const;
const INSERT = `INSERT INTO appointments (owner, uid, title, starts_at, ends_at, deleted)
  VALUES ('alice', ?, 'Row', '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0)`;

describe('columns trigger feed trimming (SQLite)', () => {
  let server: Server;
  before(async () => {
    server = await (SERVERS[0] as (typeof SERVERS)[number]).start();
  });
  after(() => server?.stop());

  it('keeps the newest N entries; older tokens become invalid, newer ones still answer exactly', async () => {
    const db = await server.fresh();
    try {
      await createLegacySchema(db.conn);
      await runStatements(db.conn, installStatements('sqlite', mapping));
      const backend = await createColumnsBackend(db.conn, mapping, { id: 't' });
      const token = async () => backend.currentToken?.(REF) ?? '';
      const old = await token(); // 0
      for (const uid of ['a', 'b', 'c']) await db.exec(INSERT, [uid]);
      const mid = await token(); // 3
      for (const uid of ['d', 'e']) await db.exec(INSERT, [uid]);
      assert.equal(await trimChanges(db.conn.db, 2), 3);
      assert.equal(await backend.changesSince?.(REF, old), 'invalid-token');
      const cs = await backend.changesSince?.(REF, mid);
      assert.ok(cs && cs !== 'invalid-token');
      assert.deepEqual(cs.changed.map((c) => c.name).sort(), ['4.ics', '5.ics']);
      assert.equal(await trimChanges(db.conn.db, 0), 1, 'at least one entry stays');
      assert.ok((await backend.changesSince?.(REF, await token())) !== 'invalid-token');
    } finally {
      await db.close();
    }
  });
});
