// Group commit on SQLite (query/group-commit.ts): writes requested in one event-loop turn share a COMMIT,
// yet each keeps its own outcome — a stale If-Match (RFC 9110 §13.1.1) or a UID conflict (RFC 4791
// §5.3.2.1) fails alone, nothing of it is written, and every other write lands with its own change seq.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackendError } from '../../src/backend/port.ts';
import { openSqlite } from './open.ts';
import { calRef, collect, event } from './test-fixtures.ts';

async function store() {
  const s = await openSqlite(':memory:');
  await s.backend.admin.createCollection(calRef(), 'calendar', { displayName: 'Cal' });
  return s;
}

test('group commit: a stale If-Match among concurrent writes → 412 alone, the others land', async () => {
  const s = await store();
  try {
    const b = s.backend;
    const first = await b.putObject(calRef(), 'x.ics', event('x'), {});
    await b.putObject(calRef(), 'x.ics', event('x', 'moved on'), { ifMatch: first.etag });
    const token = await b.currentToken(calRef());
    const results = await Promise.allSettled([
      b.putObject(calRef(), 'a.ics', event('a'), { ifNoneMatchAny: true }),
      b.putObject(calRef(), 'x.ics', event('x', 'stale'), { ifMatch: first.etag }),
      b.putObject(calRef(), 'b.ics', event('b'), { ifNoneMatchAny: true }),
      b.putObject(calRef(), 'c.ics', event('a'), {}), // UID a is taken by a.ics in the same group
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
    );
    const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as BackendError).code : 'ok'));
    assert.deepEqual(reasons, ['ok', 'precondition-failed', 'ok', 'conflict']);
    assert.ok(results[1].status === 'rejected' && results[1].reason instanceof BackendError);
    const names = (await collect(b.listObjects(calRef()))).map((o) => o.name).sort();
    assert.deepEqual(names, ['a.ics', 'b.ics', 'x.ics']);
    const [x] = await b.getObjects(calRef(), ['x.ics']);
    assert.match(new TextDecoder().decode(x.body), /SUMMARY:moved on/);
    const delta = await b.changesSince(calRef(), token);
    assert.ok(delta !== 'invalid-token');
    assert.deepEqual(delta.changed.map((c) => c.name).sort(), ['a.ics', 'b.ics']);
    assert.ok(Number(delta.token) >= Number(token) + 2);
  } finally {
    await s.close();
  }
});

test('group commit: concurrent conditional writes of one object → exactly one wins, no lost update', async () => {
  const s = await store();
  try {
    const b = s.backend;
    const first = await b.putObject(calRef(), 'n.ics', event('n', 'v0'), {});
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        b.putObject(calRef(), 'n.ics', event('n', `v${i + 1}`), { ifMatch: first.etag }),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i + 1] : []));
    assert.equal(won.length, 1);
    const [n] = await b.getObjects(calRef(), ['n.ics']);
    assert.match(new TextDecoder().decode(n.body), new RegExp(`SUMMARY:v${won[0]}\\r\\n`));
  } finally {
    await s.close();
  }
});
