// The modified-column change feed (feed-modified.ts) on SQLite, at the backend port: exact deltas from a
// high-water mark, same-second and late writes inside the window, and hard deletes turning the token
// invalid (the client resyncs) instead of being silently missed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SERVERS, type Server } from '../../../test/columns/databases.ts';
import { createLegacySchema, mapping } from '../../../test/columns/legacy-schema.ts';
import { createColumnsBackend } from './index.ts';
import { formatNaive, utcToNaive } from './local-time.ts';
import { MappingError, parseColumnsMapping } from './mapping.ts';

const REF = { owner: 'alice', home: 'calendars', id: 'calendar' } as const;
const at = (offsetSec: number) => formatNaive(utcToNaive('Europe/Berlin', Date.now() + offsetSec * 1000));
const INSERT = `INSERT INTO appointments (owner, uid, title, starts_at, ends_at, deleted, modified)
  VALUES ('alice', ?, 'Row', '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0, ?)`;

describe('columns modified-column feed (SQLite)', () => {
  let server: Server;
  before(async () => {
    server = await (SERVERS[0] as (typeof SERVERS)[number]).start();
  });
  after(() => server?.stop());

  async function setup() {
    const db = await server.fresh();
    await createLegacySchema(db.conn);
    const backend = await createColumnsBackend(db.conn, mapping, { id: 'm' });
    const since = async (token: string | null) => {
      const cs = await backend.changesSince?.(REF, token);
      assert.ok(cs && cs !== 'invalid-token', 'expected a change set');
      return { ...cs, changed: cs.changed.map((c) => c.name).sort(), deleted: [...cs.deleted].sort() };
    };
    return { db, backend, since };
  }

  it('`changes: auto` picks it for a mapping with modified, soft-delete and a generated key', async () => {
    const { db, backend } = await setup();
    try {
      assert.ok(backend.changesSince && backend.currentToken);
      assert.match(await backend.currentToken(REF), /^m1\.-\.0\.0\.$/);
    } finally {
      await db.close();
    }
  });

  it('same-second writes on lower keys and late commits inside the window are reported once', async () => {
    const { db, since } = await setup();
    try {
      const t = at(0);
      for (const uid of ['a', 'b', 'c']) await db.exec(INSERT, [uid, t]);
      const first = await since(null);
      assert.deepEqual(first.changed, ['1.ics', '2.ics', '3.ics']);
      assert.deepEqual((await since(first.token)).changed, [], 'nothing changed → empty delta');
      // Row 1 edited within the same second as the high-water mark; row 2 by a writer whose transaction
      // stamped an earlier time and committed late (30 s, inside the 120 s window).
      await db.exec(`UPDATE appointments SET title = 'same second', modified = ? WHERE id = 1`, [t]);
      await db.exec(`UPDATE appointments SET title = 'late', modified = ? WHERE id = 2`, [at(-30)]);
      const d = await since(first.token);
      assert.deepEqual([d.changed, d.deleted], [['1.ics', '2.ics'], []]);
      assert.deepEqual((await since(d.token)).changed, [], 'reported once');
      await db.exec(`UPDATE appointments SET deleted = 1, modified = ? WHERE id = 3`, [at(0)]);
      await db.exec(INSERT, ['d', null]); // a legacy insert without a modified value: new key > K
      const d2 = await since(d.token);
      assert.deepEqual([d2.changed, d2.deleted], [['4.ics'], ['3.ics']]);
    } finally {
      await db.close();
    }
  });

  it('a hard delete (or a row moved out of scope) makes older tokens invalid: the client resyncs', async () => {
    const { db, backend, since } = await setup();
    try {
      for (const uid of ['a', 'b']) await db.exec(INSERT, [uid, at(0)]);
      const first = await since(null);
      await db.exec('DELETE FROM appointments WHERE id = 1');
      assert.equal(await backend.changesSince?.(REF, first.token), 'invalid-token');
      const again = await since(null);
      assert.deepEqual(again.changed, ['2.ics']);
      await db.exec(`UPDATE appointments SET owner = 'bob' WHERE id = 2`);
      assert.equal(await backend.changesSince?.(REF, again.token), 'invalid-token');
      assert.equal(await backend.changesSince?.(REF, 'm1.garbage'), 'invalid-token');
      assert.equal(await backend.changesSince?.(REF, '17'), 'invalid-token');
    } finally {
      await db.close();
    }
  });

  it('`changes: modified` on a mapping that cannot support it is refused at start-up, naming the key', () => {
    const { softDelete: _s, ...noSoftDelete } = mapping;
    assert.throws(
      () => parseColumnsMapping({ ...noSoftDelete, changes: 'modified' }),
      (e: unknown) => e instanceof MappingError && /changes: the modified feed needs softDelete/.test(e.message),
    );
  });
});
