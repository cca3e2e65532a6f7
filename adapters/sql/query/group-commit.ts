// Group commit for the embedded SQLite store: the write transactions requested within one event-loop turn
// run in one BEGIN IMMEDIATE … COMMIT, each inside its own SAVEPOINT, so one failing write (a 412, a UID
// conflict) rolls back alone while the others share the commit — the WAL frames of the change counter, the
// collection row and the index pages are written once per group instead of once per PUT
// (docs/performance.md, issue 2 PUT). A write's promise settles only after the group's COMMIT: a write
// either lands whole or not at all, and nobody hears of a write that a failed COMMIT undid.
import type { Q } from './exec.ts';

interface Pending {
  fn: (q: Q) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

export class GroupCommit {
  readonly #transaction: <T>(fn: (q: Q) => Promise<T>) => Promise<T>;
  #queue: Pending[] = [];
  #scheduled = false;
  #running = false;

  /** `transaction` runs `fn` in one write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on a throw). */
  constructor(transaction: <T>(fn: (q: Q) => Promise<T>) => Promise<T>) {
    this.#transaction = transaction;
  }

  /** Runs `fn` in a write transaction, possibly shared with other writes of this turn. */
  submit<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#scheduled && !this.#running) {
        this.#scheduled = true;
        // After the poll phase: every request whose data arrived in this turn has queued its write by then.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    this.#scheduled = false;
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0);
        if (batch.length === 1) {
          const [w] = batch;
          await this.#transaction(w.fn).then(w.resolve, w.reject);
        } else {
          await this.#runGroup(batch);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #runGroup(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.#transaction(async (q) => {
        for (const w of batch) {
          await q.run('SAVEPOINT w');
          try {
            const value = await w.fn(q);
            await q.run('RELEASE w');
            outcomes.push({ ok: true, value });
          } catch (err) {
            await q.run('ROLLBACK TO w');
            await q.run('RELEASE w');
            outcomes.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const o = outcomes[i];
      if (o.ok) w.resolve(o.value);
      else w.reject(o.err);
    });
  }
}
