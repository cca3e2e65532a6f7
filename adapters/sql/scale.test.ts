// Sanity at the size of a real calendar (3,500+ events, as long-lived accounts have): inserting, listing
// names+etags, a full initial sync and a batched multiget all work and stay consistent. Durations are
// logged as diagnostics, not asserted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqlite } from './open.ts';
import { calRef, collect, event, tempDir } from './test-fixtures.ts';

const COUNT = 3_600;

test('3,600 objects: insert, list (names + etags), initial sync and multiget agree', async (t) => {
  const tmp = tempDir();
  const s = await openSqlite(tmp.file);
  try {
    const ref = calRef('big');
    await s.backend.admin.createCollection(ref, 'calendar', {});
    const etags = new Map<string, string>();
    let t0 = performance.now();
    for (let i = 0; i < COUNT; i++) {
      const name = `event-${String(i).padStart(5, '0')}.ics`;
      etags.set(name, (await s.backend.putObject(ref, name, event(`uid-${i}`, `Event ${i}`), {})).etag);
    }
    t.diagnostic(`insert ${COUNT}: ${(performance.now() - t0).toFixed(0)} ms`);

    t0 = performance.now();
    const listed = await collect(s.backend.listObjects(ref));
    t.diagnostic(`listObjects: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.equal(listed.length, COUNT);
    assert.deepEqual(new Map(listed.map((o) => [o.name, o.etag])), etags);

    const sync = await s.backend.changesSince(ref, null);
    assert.ok(sync !== 'invalid-token');
    assert.equal(sync.changed.length, COUNT);

    t0 = performance.now();
    const got = await s.backend.getObjects(ref, [...etags.keys()]);
    t.diagnostic(`getObjects ${COUNT}: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.equal(got.length, COUNT);
    assert.ok(got.every((o) => o.etag === etags.get(o.name)));

    // The list query is answered from the covering index: it never reads the rows that hold bodies.
    const plan = s.db
      .prepare('EXPLAIN QUERY PLAN SELECT name, etag FROM objects WHERE collection = ? ORDER BY name')
      .all(1)
      .map((r) => String(r.detail))
      .join('\n');
    t.diagnostic(plan);
    assert.match(plan, /USING COVERING INDEX objects_list/);
  } finally {
    await s.close();
    tmp.remove();
  }
});
