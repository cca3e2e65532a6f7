// The native store on a network database (postgres.test.ts, mariadb.test.ts run it, one server per file,
// a fresh database per subject): the shared backend contract, migrations (recorded once, two processes at
// once), writes against a concurrent writer of the same tables (412, never a lost update; 409
// no-uid-conflict), and a database outage mid-request (503 + Retry-After, nothing half-written, recovery).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BackendError } from '../../src/backend/port.ts';
import type { CollectionRef } from '../../src/backend/types.ts';
import { createTestApp, ICS } from '../../test/support/app.ts';
import { runBackendContract } from '../contract/backend-contract.ts';
import { backendSuite } from './backend-suite.ts';
import { changesSuite } from './changes-suite.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { type OpenedSqlStore, openSqlStore } from './open.ts';
import type { ServerKind, TestServer } from './test-servers.ts';
import { userStoreSuite } from './user-store-suite.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const CAL: CollectionRef = { owner: 'alice', home: 'calendars', id: 'calendar' };
const URL_CAL = '/dav/calendars/alice/calendar/';

export function nativeStoreOn(kind: ServerKind): void {
  describe(`native SQL store on ${kind.name}`, async () => {
    const skip = await kind.skip();
    if (skip) return void it.skip(skip);
    let server: TestServer;
    const open: OpenedSqlStore[] = [];
    before(async () => {
      server = await kind.start();
    });
    after(async () => {
      for (const s of open) await s.close().catch(() => {});
      await server?.stop();
    });
    /** A fresh database with the native store on it (closed after the file). */
    const fresh = async () => {
      const opts = await server.createDatabase();
      const store = await openSqlStore({ ...opts, pool: { max: 10, connectTimeoutMs: 2000 } });
      open.push(store);
      return { opts, store };
    };
    /** The app over the store, with alice's calendar created in it. */
    const appOn = async (store: OpenedSqlStore) => {
      await store.backend.admin.createCollection(CAL, 'calendar', { components: ['VEVENT', 'VTODO'] });
      return createTestApp({ deps: { backend: store.backend } });
    };

    // The adapter's own suites (also run on SQLite by changes/sqlite-backend/user-store.test.ts).
    const freshStore = async () => openSqlStore(await server.createDatabase());
    backendSuite(kind.name, freshStore);
    changesSuite(kind.name, freshStore);
    userStoreSuite(kind.name, freshStore);

    runBackendContract(`sql native (${kind.name})`, async () => {
      const opts = await server.createDatabase();
      const store = await openSqlStore(opts);
      return { backend: store.backend, cleanup: () => store.close() };
    });

    it('migrations: every version recorded once; reopening and two processes at once apply nothing twice', async () => {
      const opts = await server.createDatabase();
      const [a, b] = await Promise.all([openSqlStore(opts), openSqlStore(opts)]);
      open.push(a, b);
      const rows = await server.exec(opts.database, 'SELECT version FROM schema_version ORDER BY version');
      assert.deepEqual(
        rows.map((r) => Number(r.version)),
        MIGRATIONS[opts.dialect].map((m) => m.version),
      );
      assert.deepEqual(await migrate(a.conn), []);
      await server.exec(opts.database, 'INSERT INTO schema_version VALUES (99, ?, 0)', ['future']);
      await assert.rejects(openSqlStore(opts), /newer/);
    });

    it('RFC 9110 §13.1.1: a change by the groupware between GET and PUT → 412, the groupware version stays', async () => {
      const { opts, store } = await fresh();
      const t = await appOn(store);
      const created = await t.request('PUT', `${URL_CAL}a.ics`, {
        body: ICS('a', 'client'),
        headers: { 'Content-Type': 'text/calendar' },
      });
      assert.equal(created.status, 201);
      const etag = created.headers.get('etag') ?? '';
      await server.exec(opts.database, "UPDATE objects SET body = ?, etag = 'groupware-1' WHERE name = 'a.ics'", [
        Buffer.from(ICS('a', 'groupware')),
      ]);
      const stale = await t.request('PUT', `${URL_CAL}a.ics`, {
        body: ICS('a', 'client again'),
        headers: { 'Content-Type': 'text/calendar', 'If-Match': etag },
      });
      assert.equal(stale.status, 412);
      const got = await t.request('GET', `${URL_CAL}a.ics`);
      assert.match(got.text, /SUMMARY:groupware/);
      assert.equal(got.headers.get('etag'), '"groupware-1"');
    });

    it('RFC 4791 §5.3.2.1: a UID held by another object → 403 no-uid-conflict, nothing written', async () => {
      const { store } = await fresh();
      const t = await appOn(store);
      const h = { 'Content-Type': 'text/calendar' };
      assert.equal((await t.request('PUT', `${URL_CAL}a.ics`, { body: ICS('same'), headers: h })).status, 201);
      const clash = await t.request('PUT', `${URL_CAL}b.ics`, { body: ICS('same'), headers: h });
      assert.equal(clash.status, 403); // the core's status for this precondition (test/protocol/rfc4918/objects.test.ts)
      assert.match(clash.text, /no-uid-conflict/);
      assert.equal((await t.request('GET', `${URL_CAL}b.ics`)).status, 404);
    });

    it('8 DAV writers and the groupware incrementing shared counters: every successful write counts', async () => {
      const { opts, store } = await fresh();
      const ref: CollectionRef = { owner: 'alice', home: 'calendars', id: 'counters' };
      await store.backend.admin.createCollection(ref, 'plain', {});
      const names = ['c0.txt', 'c1.txt', 'c2.txt'];
      for (const n of names)
        await store.backend.putObject(ref, n, { body: enc.encode('0'), contentType: 'text/plain' }, {});
      let davDone = 0;
      let conflicts = 0;
      const dav = async (w: number) => {
        for (let i = 0; i < 15; i++) {
          const name = names[(w + i) % names.length];
          for (;;) {
            const [cur] = await store.backend.getObjects(ref, [name]);
            const next = enc.encode(String(Number(dec.decode(cur.body)) + 1));
            try {
              await store.backend.putObject(
                ref,
                name,
                { body: next, contentType: 'text/plain' },
                { ifMatch: cur.etag },
              );
              davDone++;
              break;
            } catch (err) {
              if (!(err instanceof BackendError && err.code === 'precondition-failed')) throw err;
              conflicts++;
            }
          }
        }
      };
      // The groupware: its own transaction, row lock, read-modify-write, new version in the etag column.
      const groupware = async () => {
        const s = await server.session(opts.database);
        try {
          for (let i = 0; i < 15; i++) {
            const name = names[i % names.length];
            await s.exec(kind.name === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
            const rows = (await s.exec('SELECT body FROM objects WHERE name = ? FOR UPDATE', [name])) as {
              body: Uint8Array;
            }[];
            const next = String(Number(dec.decode(rows[0].body)) + 1);
            await s.exec('UPDATE objects SET body = ?, etag = ? WHERE name = ?', [Buffer.from(next), `gw-${i}`, name]);
            await s.exec('COMMIT');
          }
        } finally {
          await s.end();
        }
      };
      await Promise.all([...Array.from({ length: 8 }, (_, w) => dav(w)), groupware()]);
      const got = await store.backend.getObjects(ref, names);
      const total = got.reduce((sum, o) => sum + Number(dec.decode(o.body)), 0);
      assert.equal(davDone, 8 * 15);
      assert.equal(total, 8 * 15 + 15, `no lost update (${conflicts} writes retried after 412)`);
    });

    it('database outage mid-request: 503 with Retry-After, nothing half-written, recovery after restart', async () => {
      const opts = await server.createDatabase();
      await server.durable(opts.database);
      const store = await openSqlStore({ ...opts, pool: { max: 10, connectTimeoutMs: 2000 } });
      open.push(store);
      const t = await appOn(store);
      const h = { 'Content-Type': 'text/calendar' };
      assert.equal((await t.request('PUT', `${URL_CAL}a.ics`, { body: ICS('a'), headers: h })).status, 201);
      const token = await store.backend.currentToken(CAL);
      // Another session holds the collection's row lock, so the PUT waits inside its transaction.
      const holder = await server.session(opts.database);
      await holder.exec(kind.name === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
      await holder.exec("SELECT cid FROM collections WHERE id = 'calendar' FOR UPDATE");
      const pending = t.request('PUT', `${URL_CAL}b.ics`, { body: ICS('b'), headers: h });
      await new Promise((r) => setTimeout(r, 200));
      await server.kill();
      const during = await pending;
      assert.equal(during.status, 503, during.text);
      assert.ok(Number(during.headers.get('retry-after')) > 0, 'Retry-After');
      const down = await t.request('GET', `${URL_CAL}a.ics`);
      assert.equal(down.status, 503);
      await holder.end();
      await server.start();
      // Pooled connections died with the server: each is found broken once (503) and replaced.
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) status = (await t.request('GET', `${URL_CAL}a.ics`)).status;
      assert.equal(status, 200);
      assert.equal((await t.request('GET', `${URL_CAL}b.ics`)).status, 404, 'the interrupted PUT left nothing');
      assert.equal(await store.backend.currentToken(CAL), token, 'nor a change-log entry');
      const again = await t.request('PUT', `${URL_CAL}b.ics`, { body: ICS('b'), headers: h });
      assert.equal(again.status, 201);
    });
  });
}
