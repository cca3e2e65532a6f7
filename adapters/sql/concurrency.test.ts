// Several connections (worker threads, as several processes would) writing one SQLite file: conditional
// writes are atomic with their precondition check (RFC 9110 §13.1.1), so no update is ever lost, and a
// write that cannot get the lock in time is 'unavailable' (→ 503), not a hang or a corrupt write.
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { BackendError } from '../../src/backend/port.ts';
import type { WorkerJob, WorkerResult } from './concurrency-worker.ts';
import { openSqlite } from './open.ts';
import { calRef, collect, tempDir } from './test-fixtures.ts';

const enc = new TextEncoder();
const WORKER = new URL('./concurrency-worker.ts', import.meta.url);

function runWorkers(jobs: Omit<WorkerJob, 'barrier' | 'parties'>[]): Promise<WorkerResult[]> {
  const barrier = new SharedArrayBuffer(4);
  return Promise.all(
    jobs.map(
      (job) =>
        new Promise<WorkerResult>((resolve, reject) => {
          const w = new Worker(WORKER, { workerData: { ...job, barrier, parties: jobs.length } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
}

describe('SQLite concurrent writers', () => {
  let tmp: ReturnType<typeof tempDir>;
  const ref = calRef('shared');
  beforeEach(async () => {
    tmp = tempDir();
    const s = await openSqlite(tmp.file);
    await s.backend.admin.createCollection(ref, 'plain', {});
    await s.close();
  });
  afterEach(() => tmp.remove());

  test('two connections PUT the same object with the same If-Match: one wins, the other gets precondition-failed', async () => {
    for (let round = 0; round < 5; round++) {
      const s = await openSqlite(tmp.file);
      const base = await s.backend.putObject(
        ref,
        'doc.txt',
        { body: enc.encode(`base ${round}`), contentType: 'text/plain' },
        {},
      );
      await s.close();
      const results = await runWorkers([
        { file: tmp.file, ref, mode: 'race', name: 'doc.txt', ifMatch: base.etag, body: `A ${round}` },
        { file: tmp.file, ref, mode: 'race', name: 'doc.txt', ifMatch: base.etag, body: `B ${round}` },
      ]);
      const winners = results.filter((r) => r.ok);
      const losers = results.filter((r) => !r.ok);
      assert.equal(winners.length, 1, JSON.stringify(results));
      assert.equal(losers.length, 1);
      assert.equal(losers[0].ok === false && losers[0].code, 'precondition-failed');
      const check = await openSqlite(tmp.file);
      const [doc] = await collect(check.backend.listObjects(ref));
      assert.equal(doc.etag, winners[0].ok && winners[0].etag);
      await check.close();
    }
  });

  test('optimistic read-modify-write from three connections loses no update', async () => {
    const s = await openSqlite(tmp.file);
    await s.backend.putObject(ref, 'counter.txt', { body: enc.encode('0'), contentType: 'text/plain' }, {});
    const t0 = Number(await s.backend.currentToken(ref));
    await s.close();
    const job = { file: tmp.file, ref, mode: 'increment' as const, name: 'counter.txt', count: 40 };
    const results = await runWorkers([job, job, job]);
    assert.ok(
      results.every((r) => r.ok),
      JSON.stringify(results),
    );
    const check = await openSqlite(tmp.file);
    const [doc] = await check.backend.getObjects(ref, ['counter.txt']);
    assert.equal(new TextDecoder().decode(doc.body), '120');
    // Every successful write logged exactly one change.
    assert.equal(Number(await check.backend.currentToken(ref)) - t0, 120);
    await check.close();
  });

  test('a write blocked by another connection past the busy timeout → unavailable, and nothing is written', async () => {
    const holder = new DatabaseSync(tmp.file);
    const s = await openSqlite(tmp.file, { busyTimeoutMs: 50 });
    try {
      holder.exec('BEGIN IMMEDIATE');
      await assert.rejects(
        s.backend.putObject(ref, 'x.txt', { body: enc.encode('x'), contentType: 'text/plain' }, {}),
        (e: unknown) => e instanceof BackendError && e.code === 'unavailable',
      );
      holder.exec('COMMIT');
      assert.deepEqual(await s.backend.getObjects(ref, ['x.txt']), []);
      const ok = await s.backend.putObject(ref, 'x.txt', { body: enc.encode('x'), contentType: 'text/plain' }, {});
      assert.equal(ok.created, true);
    } finally {
      await s.close();
      holder.close();
    }
  });
});
