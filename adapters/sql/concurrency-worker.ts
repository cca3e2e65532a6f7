// Worker for concurrency.test.ts: its own connection to the database file, started in step with the
// others through a shared barrier so writes really overlap.
import { parentPort, workerData } from 'node:worker_threads';
import { BackendError } from '../../src/backend/port.ts';
import type { CollectionRef } from '../../src/backend/types.ts';
import { openSqlite } from './open.ts';

export interface WorkerJob {
  file: string;
  ref: CollectionRef;
  /** Int32Array over a SharedArrayBuffer: [0] counts workers at the barrier. */
  barrier: SharedArrayBuffer;
  parties: number;
  /** 'race': one conditional PUT with `ifMatch`. 'increment': `count` read-modify-write cycles with retry. */
  mode: 'race' | 'increment';
  name: string;
  ifMatch?: string;
  body?: string;
  count?: number;
}

export type WorkerResult = { ok: true; etag?: string; retries?: number } | { ok: false; code: string; message: string };

const enc = new TextEncoder();
const dec = new TextDecoder();
const job = workerData as WorkerJob;

async function run(): Promise<WorkerResult> {
  const s = await openSqlite(job.file, { busyTimeoutMs: 10_000 });
  try {
    const flag = new Int32Array(job.barrier);
    Atomics.add(flag, 0, 1);
    while (Atomics.load(flag, 0) < job.parties) Atomics.wait(flag, 0, Atomics.load(flag, 0), 5);
    if (job.mode === 'race') {
      const r = await s.backend.putObject(
        job.ref,
        job.name,
        { body: enc.encode(job.body ?? ''), contentType: 'text/plain' },
        { ifMatch: job.ifMatch },
      );
      return { ok: true, etag: r.etag };
    }
    let retries = 0;
    for (let done = 0; done < (job.count ?? 0); ) {
      const [cur] = await s.backend.getObjects(job.ref, [job.name]);
      const next = String(Number(dec.decode(cur.body)) + 1);
      try {
        await s.backend.putObject(
          job.ref,
          job.name,
          { body: enc.encode(next), contentType: 'text/plain' },
          { ifMatch: cur.etag },
        );
        done++;
      } catch (err) {
        if (!(err instanceof BackendError && err.code === 'precondition-failed')) throw err;
        retries++;
      }
    }
    return { ok: true, retries };
  } catch (err) {
    if (err instanceof BackendError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'error', message: String(err) };
  } finally {
    await s.close();
  }
}

parentPort?.postMessage(await run());
