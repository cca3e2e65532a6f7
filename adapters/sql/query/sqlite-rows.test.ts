import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { prepareSqlite, sqliteAll, sqliteGet } from './sqlite-rows.ts';

function db(): DatabaseSync {
  const d = new DatabaseSync(':memory:');
  d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, body BLOB, n REAL, gone TEXT);
    INSERT INTO t VALUES (1, 'a', x'00ff', 1.5, NULL), (2, 'b', x'', 2, 'x');`);
  return d;
}

describe('SQLite rows built from arrays', () => {
  it('gives the same rows as node:sqlite’s own objects: keys in column order, values and types', () => {
    const d = db();
    const sql = 'SELECT id, name, body, n, gone FROM t ORDER BY id';
    const own = d.prepare(sql).all();
    const s = prepareSqlite(d, sql);
    assert.deepEqual(s.names, ['id', 'name', 'body', 'n', 'gone']);
    const rows = sqliteAll(s, []);
    assert.equal(rows.length, 2);
    for (let i = 0; i < rows.length; i++) {
      assert.deepEqual(Object.keys(rows[i]), Object.keys(own[i]));
      for (const k of Object.keys(own[i])) assert.deepEqual(rows[i][k], own[i][k], k);
    }
    assert.ok(rows[0].body instanceof Uint8Array);
    assert.equal(rows[0].gone, null);
  });

  it('one row, and undefined when there is none', () => {
    const d = db();
    const s = prepareSqlite(d, 'SELECT name, n FROM t WHERE id = ?');
    assert.deepEqual({ ...sqliteGet(s, [2]) }, { name: 'b', n: 2 });
    assert.equal(sqliteGet(s, [3]), undefined);
  });

  it('a repeated column name keeps the last value, as node:sqlite does', () => {
    const d = db();
    const sql = 'SELECT name AS v, id AS v FROM t WHERE id = 1';
    const s = prepareSqlite(d, sql);
    assert.deepEqual({ ...sqliteGet(s, []) }, { ...(d.prepare(sql).get() as object) });
  });

  it('statements without result columns and a column named __proto__ are left as node:sqlite runs them', () => {
    const d = db();
    const write = prepareSqlite(d, 'UPDATE t SET n = n + 1 WHERE id = ?');
    assert.equal(write.names, undefined);
    assert.equal(Number(write.st.run(1).changes), 1);
    const odd = prepareSqlite(d, 'SELECT name AS "__proto__" FROM t WHERE id = 1');
    assert.equal(odd.names, undefined);
    const row = sqliteGet(odd, []) as Record<string, unknown>;
    assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 'a');
  });
});

describe('SQLite rows after a schema change', () => {
  it('a statement whose result columns grew (SELECT * after ALTER TABLE) names the new column too', () => {
    const d = db();
    const s = prepareSqlite(d, 'SELECT * FROM t WHERE id = 1');
    assert.deepEqual(Object.keys(sqliteGet(s, []) ?? {}), ['id', 'name', 'body', 'n', 'gone']);
    d.exec("ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'e'");
    const row = sqliteGet(s, []) ?? {};
    assert.deepEqual(Object.keys(row), ['id', 'name', 'body', 'n', 'gone', 'extra']);
    assert.equal(row.extra, 'e');
    assert.deepEqual(
      sqliteAll(s, []).map((r) => r.extra),
      ['e'],
    );
  });
});
