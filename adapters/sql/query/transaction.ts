// One transaction on a held connection: `begin`, the caller's statements, COMMIT — or ROLLBACK and the
// original error when they fail (exec.ts for SQLite and Kysely's drivers, pg-runner.ts for pg).
import type { Q } from './exec.ts';

/** `onRollbackFailed` hears of a ROLLBACK that failed too (a lost connection: it has rolled back already). */
export async function inTransaction<T>(
  q: Q,
  begin: string,
  fn: (q: Q) => Promise<T>,
  onRollbackFailed: () => void = () => {},
): Promise<T> {
  await q.run(begin);
  try {
    const result = await fn(q);
    await q.run('COMMIT');
    return result;
  } catch (err) {
    // A lost connection has rolled back on the server already; the original error is the one to report.
    await q.run('ROLLBACK').catch(onRollbackFailed);
    throw err;
  }
}
