// pg-runner.ts against a throw-away PostgreSQL: named statements across pooled connections, affected-row
// counts as Kysely's dialect reported them, transactions that commit or roll back whole (outages: the
// network suite, adapters/sql/network-suite.ts, through the store).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { POSTGRES, type TestServer } from '../test-servers.ts';
import { openSqlConnection, type SqlConnection } from './connect.ts';
import { SqlExec } from './exec.ts';

const skip = await POSTGRES.skip();

describe('PgRunner (postgres)', { skip }, () => {
  let server: TestServer;
  let conn: SqlConnection;
  let q: SqlExec;
  before(async () => {
    server = await POSTGRES.start();
    conn = await openSqlConnection({ ...(await server.createDatabase()), pool: { max: 3 } });
    q = new SqlExec(conn);
    await q.run('CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL, b BYTEA)');
  });
  after(async () => {
    await conn?.close();
    await server?.stop();
  });

  test('statements run often (named, prepared per connection) answer like the first runs, on every connection', async () => {
    await q.run('INSERT INTO kv (k, v, b) VALUES (:k, :v, :b)', { k: 'a', v: 1, b: new Uint8Array([0, 255]) });
    // More concurrent runs than pooled connections: each connection prepares the statement once.
    const rows = await Promise.all(
      Array.from({ length: 20 }, () => q.get('SELECT v, b FROM kv WHERE k = :k', { k: 'a' })),
    );
    for (const r of rows) assert.deepEqual(r, { v: 1, b: Buffer.from([0, 255]) });
    assert.equal(await q.get('SELECT v FROM kv WHERE k = :k', { k: 'none' }), undefined);
  });

  test('plans: each run planned by default; indexed sessions scan no table and keep generic plans', async () => {
    const setting = async (c: SqlConnection, name: string) =>
      String((await new SqlExec(c).get(`SELECT current_setting('${name}') AS v`))?.v);
    assert.equal(await setting(conn, 'plan_cache_mode'), 'force_custom_plan');
    assert.equal(await setting(conn, 'enable_seqscan'), 'on');
    const indexed = await openSqlConnection({ ...(await server.createDatabase()), pool: { max: 1 }, plans: 'indexed' });
    try {
      assert.equal(await setting(indexed, 'plan_cache_mode'), 'auto');
      assert.equal(await setting(indexed, 'enable_seqscan'), 'off');
    } finally {
      await indexed.close();
    }
  });

  test('run counts rows of INSERT, UPDATE and DELETE, not of SELECT', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal(await q.run('UPDATE kv SET v = v + 1 WHERE k = ?', ['a']), 1);
      assert.equal(await q.run('UPDATE kv SET v = v + 1 WHERE k = ?', ['missing']), 0);
    }
    assert.equal(await q.run('SELECT v FROM kv'), 0);
    assert.equal((await q.get('SELECT v FROM kv WHERE k = ?', ['a']))?.v, 6);
  });

  test('a transaction commits whole, or rolls back whole when its function fails', async () => {
    await q.write(async (t) => {
      await t.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['t1', 1]);
      await t.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['t2', 2]);
    });
    await assert.rejects(
      q.write(async (t) => {
        await t.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['t3', 3]);
        await t.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['t1', 9]); // duplicate key
      }),
      (e: { code?: string }) => e.code === '23505',
    );
    const keys = (await q.all("SELECT k FROM kv WHERE k LIKE 't%' ORDER BY k")).map((r) => r.k);
    assert.deepEqual(keys, ['t1', 't2']);
    // The pool still serves after the failed transaction (its connection went back clean).
    assert.equal((await Promise.all([1, 2, 3, 4].map(() => q.all('SELECT k FROM kv')))).length, 4);
  });
});
