// A mapping file with `entities:` served as one backend (entities.ts): the serve path's parser
// (index.ts parseColumnsMapping) reads the file form, each entity's collection routes to its table, and the
// change feed is offered only when every entity has one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { SERVERS, type Server } from '../../../test/columns/databases.ts';
import { createLegacySchema } from '../../../test/columns/legacy-schema.ts';
import { createColumnsBackend, parseColumnsMapping } from './index.ts';

const yaml = (f: string) => parse(readFileSync(new URL(`../../../test/columns/${f}`, import.meta.url), 'utf8'));
const FILE = stringify({ entities: [yaml('appointments.yaml'), yaml('tasks.yaml')] });
const TODO =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:t1\r\nSUMMARY:T\r\nEND:VTODO\r\nEND:VCALENDAR\r\n';

describe('columns entities (SQLite)', () => {
  let server: Server;
  before(async () => {
    server = await (SERVERS[0] as (typeof SERVERS)[number]).start();
  });
  after(() => server?.stop());

  it('one backend lists both calendars and routes each to its own table', async () => {
    const db = await server.fresh();
    try {
      await createLegacySchema(db.conn);
      const backend = await createColumnsBackend(db.conn, parseColumnsMapping(FILE), { id: 'sql' });
      const cols = await backend.listCollections('alice', 'calendars');
      assert.deepEqual(
        cols.map((c) => [c.ref.id, c.components]),
        [
          ['calendar', ['VEVENT']],
          ['tasks', ['VTODO']],
        ],
      );
      const tasks = { owner: 'alice', home: 'calendars', id: 'tasks' } as const;
      const body = new TextEncoder().encode(TODO);
      await backend.putObject(tasks, 't1.ics', { body, contentType: 'text/calendar' }, {});
      assert.deepEqual(
        (await backend.getObjects(tasks, ['t1.ics'])).map((o) => o.name),
        ['t1.ics'],
      );
      const events = { ...tasks, id: 'calendar' };
      assert.deepEqual(await backend.getObjects(events, ['t1.ics']), []);
      await assert.rejects(backend.getObjects({ ...tasks, id: 'nope' }, ['x']), /no such collection/);
      assert.ok(backend.changesSince, 'both entities have the modified feed');
    } finally {
      await db.close();
    }
  });

  it('the feed is offered only when every entity has one', async () => {
    const db = await server.fresh();
    try {
      await createLegacySchema(db.conn);
      const [a, t] = parseColumnsMapping(FILE);
      const backend = await createColumnsBackend(db.conn, [a, { ...t, changes: 'snapshot' }]);
      assert.equal(backend.changesSince, undefined);
    } finally {
      await db.close();
    }
  });
});
