import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile, pgStatementName, translate, translated } from './statements.ts';

test('translate: :name and ? placeholders per dialect, string literals and :: casts left alone', () => {
  const t = translate(`SELECT ':x', a::text FROM "t" WHERE a = :a AND b = :b AND c = :a`, 'postgres');
  assert.equal(t.sql, `SELECT ':x', a::text FROM "t" WHERE a = $1 AND b = $2 AND c = $3`);
  assert.deepEqual(t.names, ['a', 'b', 'a']);
  assert.equal(translate('SELECT "a" FROM t WHERE b = ?', 'mysql').sql, 'SELECT `a` FROM t WHERE b = ?');
});

test('compile: named parameters in placeholder order, byte arrays as Buffers for network drivers', () => {
  const body = new Uint8Array([1, 2, 3]);
  const c = compile('postgres', 'UPDATE t SET body = :body WHERE id = :id AND v = :id', { id: 7, body });
  assert.deepEqual(c.parameters.slice(1), [7, 7]);
  assert.ok(Buffer.isBuffer(c.parameters[0]));
  assert.equal(compile('sqlite', 'SELECT ?', [body]).parameters[0], body);
});

test('pgStatementName: a data statement is named after a few runs and keeps its name; control statements never', () => {
  const t = translated('postgres', 'SELECT 1 AS statements_test WHERE 1 = ?');
  const names = Array.from({ length: 5 }, () => pgStatementName(t));
  assert.deepEqual(names.slice(0, 2), [undefined, undefined]);
  assert.match(names[2] ?? '', /^davgate_\d+$/);
  assert.ok(names.slice(2).every((n) => n === names[2]));
  const other = translated('postgres', 'SELECT 2 AS statements_test WHERE 1 = ?');
  for (let i = 0; i < 3; i++) pgStatementName(other);
  assert.notEqual(pgStatementName(other), names[2]);
  const begin = translated('postgres', 'BEGIN ISOLATION LEVEL REPEATABLE READ');
  for (let i = 0; i < 5; i++) assert.equal(pgStatementName(begin), undefined);
});
