// `extras: { store: state }` (docs/sql-columns.md §Semantics, unmapped data): what the legacy schema has
// no column for — X-properties, VALARMs, ORGANIZER, the names clients chose, their last bytes — lives in
// davgate's state store instead of the side table, through the app (buildApp): with the memory store on
// SQLite, PostgreSQL and MariaDB, and with a real redis-server on SQLite. The side table is never created.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createColumnsBackend } from '../../adapters/sql/columns/index.ts';
import { MemoryStateStore } from '../../src/state/memory.ts';
import { openRedisState } from '../../src/state/redis-open.ts';
import type { StateStore } from '../../src/state/store.ts';
import { memoryLog, redisConfig } from '../integration/redis-state-support.ts';
import { hasRedis, type StartedRedis, startRedis } from '../support/redis.ts';
import { parseMultistatus } from '../support/xml-assert.ts';
import { onEachServer, SERVERS, type Server } from './databases.ts';
import { alarmOf, CAL, recKey, stateApp, stateMapping, withAlarm } from './state-extras-support.ts';

const REF = { owner: 'alice', home: 'calendars', id: 'calendar' } as const;
const SYNC = (token: string) =>
  `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

interface StoreUnderTest {
  open(): Promise<StateStore>;
  /** Keys of the columns profile the store holds now. */
  columnsKeys(store: StateStore): Promise<string[]>;
}

/** The scenarios, on the database `server()` and the state stores `sut` opens. */
function scenarios(server: () => Server, sut: () => StoreUnderTest) {
  it('RFC 5545 §3.8.8.2 / §3.6.6: X-properties and a VALARM round-trip through DAV and a legacy edit; no side table', async () => {
    const state = await sut().open();
    const app = await stateApp(server(), state);
    try {
      assert.equal((await app.put('standup.ics', withAlarm('alarm-1'))).status, 201);
      const stored = await app.get('standup.ics');
      assert.equal(stored.status, 200);
      // Unchanged rows serve the client's bytes (its PRODID and DTSTAMP).
      assert.match(stored.text, /PRODID:-\/\/test\/\/EN\r\n[\s\S]*DTSTAMP:20260101T000000Z/);
      assert.match(stored.text, alarmOf('-PT10M'));
      assert.deepEqual(await app.hrefs(), [`${CAL}standup.ics`], 'the client-chosen name, not 1.ics');
      assert.ok((await sut().columnsKeys(state)).includes(recKey(1)), 'kept in the state store');

      // The legacy UI edits the row: the stale shadow is ignored, the kept data is not.
      await app.db.exec(`UPDATE appointments SET title = 'Standup (moved)', version = version + 1 WHERE id = 1`);
      const edited = await app.get('standup.ics');
      assert.equal(edited.status, 200);
      assert.match(edited.text, /SUMMARY:Standup \(moved\)/);
      assert.doesNotMatch(edited.text, /PRODID:-\/\/test\/\/EN/, 'the client bytes no longer stand for the rows');
      assert.match(edited.text, /X-CLIENT-COLOR;X-P=1:teal/);
      assert.match(edited.text, /ORGANIZER;CN=Alice:mailto:alice@example.com/);
      assert.match(edited.text, alarmOf('-PT10M'));
      assert.deepEqual(await app.hrefs(), [`${CAL}standup.ics`], 'the name survives the legacy edit');

      // A second DAV write replaces the kept data.
      const etag = edited.headers.get('etag') ?? '';
      const again = await app.put('standup.ics', withAlarm('alarm-1', 'Standup', '-PT5M', 'navy'), {
        'If-Match': etag,
      });
      assert.equal(again.status, 204);
      const got = (await app.get('standup.ics')).text;
      assert.match(got, alarmOf('-PT5M'));
      assert.match(got, /X-CLIENT-COLOR;X-P=1:navy/);
      assert.doesNotMatch(got, /teal/);
      assert.deepEqual(await app.rows(), [{ id: 1, uid: 'alarm-1', title: 'Standup', version: 3 }]);

      // A gateway started again over the same database and state store serves the same object.
      const restarted = await createColumnsBackend(app.db.conn, stateMapping, { id: 'legacy', state });
      const [o] = await restarted.getObjects(REF, ['standup.ics']);
      assert.equal(new TextDecoder().decode(o.body), got);
      assert.equal(await app.sideTableExists(), false, 'davgate_columns_extra was never created');
    } finally {
      await app.db.close();
      await state.close();
    }
  });

  it('RFC 6578 §3.5: a DAV DELETE is reported under the client-chosen name; its kept data goes', async () => {
    const state = await sut().open();
    const app = await stateApp(server(), state, 'triggers');
    try {
      assert.equal((await app.put('lunch.ics', withAlarm('lunch-1', 'Lunch'))).status, 201);
      const sync = async (token: string) => {
        const r = await app.t.request('REPORT', CAL, { body: SYNC(token), headers: { Depth: '0' } });
        assert.equal(r.status, 207, r.text);
        const ms = parseMultistatus(r.text);
        return { ms, token: /<[^>]*sync-token>([^<]+)</.exec(r.text)?.[1] ?? '' };
      };
      const first = await sync('');
      assert.deepEqual([...first.ms.byHref.keys()], [`${CAL}lunch.ics`]);
      assert.equal((await app.t.request('DELETE', `${CAL}lunch.ics`)).status, 204);
      const delta = await sync(first.token);
      assert.equal(delta.ms.byHref.get(`${CAL}lunch.ics`)?.status, 404);
      const rec = JSON.parse((await state.get(recKey(1))) ?? '{}');
      assert.deepEqual(rec, {
        cur: { uid: 'lunch-1', name: 'lunch.ics', extras: null, shadow: null, shadow_of: null },
      });
      assert.equal((await app.get('lunch.ics')).status, 404);
      assert.equal(await app.sideTableExists(), false);
    } finally {
      await app.db.close();
      await state.close();
    }
  });

  it('a legacy hard delete and a new row with the same key: the old entry never resurfaces', async () => {
    const state = await sut().open();
    const app = await stateApp(server(), state);
    try {
      assert.equal((await app.put('standup.ics', withAlarm('alarm-1'))).status, 201);
      await app.db.exec('DELETE FROM appointments WHERE id = 1');
      await app.db.exec(
        `INSERT INTO appointments (id, owner, uid, title, starts_at, ends_at, deleted, modified, version)
         VALUES (1, 'alice', 'legacy-1', 'Legacy', '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0, '2026-05-01 08:00:00', 1)`,
      );
      assert.ok(await state.get(recKey(1)), 'the old entry is still there');
      assert.deepEqual(await app.hrefs(), [`${CAL}1.ics`]);
      const legacy = (await app.get('1.ics')).text;
      assert.match(legacy, /UID:legacy-1/);
      assert.doesNotMatch(legacy, /VALARM|X-CLIENT-COLOR|ORGANIZER/);
      assert.equal((await app.get('standup.ics')).status, 404);
    } finally {
      await app.db.close();
      await state.close();
    }
  });
}

const memory: StoreUnderTest = {
  open: async () => new MemoryStateStore(),
  columnsKeys: async (s) => {
    const keys = [];
    for (let id = 1; id <= 3; id++) if (await s.get(recKey(id))) keys.push(recKey(id));
    return keys;
  },
};
onEachServer('columns extras.store: state (memory state store)', (server) => scenarios(server, () => memory));

const skip = (await hasRedis()) ? false : 'redis-server is not installed (apt-get install redis-server)';
describe('columns extras.store: state (Redis state store) on sqlite', { skip }, () => {
  let server: Server;
  let redis: StartedRedis;
  let sut: StoreUnderTest;
  before(async () => {
    server = await SERVERS[0].start();
    redis = await startRedis();
    const r = redis;
    sut = {
      async open() {
        await r.command('FLUSHALL');
        return openRedisState(redisConfig({ url: r.url }), memoryLog());
      },
      columnsKeys: async () => (await r.command('KEYS', 'dg:columns:*')).split(/\s+/).filter(Boolean),
    };
  });
  after(async () => {
    await server?.stop();
    await redis?.cleanup();
  });
  scenarios(
    () => server,
    () => sut,
  );
});
