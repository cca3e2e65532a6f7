// Key-based hrefs (`href.strategy: key`) against client-chosen names: a client may create `7.ics`, which
// lands in row 3; when the legacy UI later inserts row 7, it must appear under its own name (`row-7.ics`),
// never as a second resource at `7.ics` (RFC 4918 §5.1: one URL, one resource). SQLite; names kept in the
// side table and in the state store (`extras: { store: state }`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStateStore } from '../../../src/state/memory.ts';
import { SERVERS, type Server } from '../../../test/columns/databases.ts';
import { createLegacySchema, mapping } from '../../../test/columns/legacy-schema.ts';
import { ics } from '../../contract/support.ts';
import { createColumnsBackend } from './index.ts';

const REF = { owner: 'alice', home: 'calendars', id: 'calendar' } as const;
const INSERT = `INSERT INTO appointments (id, owner, uid, title, starts_at, ends_at, deleted, modified)
  VALUES (?, 'alice', ?, 'Legacy', '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0, '2026-05-01 08:00:00')`;

describe('columns key-based hrefs (SQLite)', () => {
  let server: Server;
  before(async () => {
    server = await (SERVERS[0] as (typeof SERVERS)[number]).start();
  });
  after(() => server?.stop());

  for (const [changes, store] of [
    ['snapshot', 'side-table'],
    ['modified', 'side-table'],
    ['modified', 'state'],
  ] as const) {
    const where = store === 'state' ? ', names in the state store' : '';
    it(`a client's 7.ics and a later legacy row 7 are two resources with two names (${changes} feed${where})`, async () => {
      const db = await server.fresh();
      try {
        await createLegacySchema(db.conn);
        const m = { ...mapping, changes, extras: { store } };
        const backend = await createColumnsBackend(db.conn, m, { id: 'h', state: new MemoryStateStore() });
        await backend.putObject(REF, '7.ics', ics('client-7', 'From client'), {});
        await db.exec(INSERT, [7, 'legacy-7']);
        const listed = [];
        for await (const o of backend.listObjects(REF)) listed.push(o.name);
        assert.deepEqual(listed.sort(), ['7.ics', 'row-7.ics']);
        const [client] = await backend.getObjects(REF, ['7.ics']);
        assert.match(new TextDecoder().decode(client.body), /UID:client-7/);
        const [legacy] = await backend.getObjects(REF, ['row-7.ics']);
        assert.match(new TextDecoder().decode(legacy.body), /UID:legacy-7/);
        assert.equal(await backend.findByUid?.(REF, 'legacy-7'), 'row-7.ics');
        // Writes go to the right row.
        await backend.putObject(REF, 'row-7.ics', ics('legacy-7', 'Edited via DAV'), { ifMatch: legacy.etag });
        const [again] = await backend.getObjects(REF, ['7.ics']);
        assert.match(new TextDecoder().decode(again.body), /SUMMARY:From client/);
        const cs = await backend.changesSince?.(REF, null);
        if (cs && cs !== 'invalid-token')
          assert.deepEqual(cs.changed.map((c) => c.name).sort(), ['7.ics', 'row-7.ics']);
      } finally {
        await db.close();
      }
    });
  }
});
