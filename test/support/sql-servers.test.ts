// The database launchers themselves: each starts a real server, hands out an isolated database that the
// query layer can use, survives an abrupt kill and restart, and removes everything on stop.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { openSqlConnection } from '../../adapters/sql/query/connect.ts';
import { hasMariadb, startMariadb } from './mariadb.ts';
import { hasPostgres, startPostgres } from './postgres.ts';

const launchers = [
  { name: 'postgres', has: hasPostgres, start: startPostgres },
  { name: 'mariadb', has: hasMariadb, start: startMariadb },
];

for (const l of launchers) {
  describe(`test support: ${l.name}`, async () => {
    const skip = (await l.has()) ? false : `${l.name} not installed (scripts/test.sh installs it)`;
    test('serves an isolated database to the query layer and cleans up', { skip }, async () => {
      const server = await l.start();
      try {
        const a = await openSqlConnection(await server.createDatabase());
        const b = await openSqlConnection(await server.createDatabase());
        await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(20))`.execute(a.db);
        await a.db.insertInto('t').values({ id: 1, v: 'x' }).execute();
        assert.deepEqual(await a.db.selectFrom('t').select('v').execute(), [{ v: 'x' }]);
        await assert.rejects(sql`SELECT * FROM t`.execute(b.db), 'databases are isolated');
        await a.close();
        await b.close();
        await server.kill();
        await server.start();
        const again = await openSqlConnection({ ...(await server.createDatabase()) });
        assert.equal((await sql<{ one: number }>`SELECT 1 AS one`.execute(again.db)).rows[0].one, 1);
        await again.close();
      } finally {
        await server.stop();
      }
      assert.equal(existsSync(server.dir), false, 'stop removes the directory');
    });
  });
}
