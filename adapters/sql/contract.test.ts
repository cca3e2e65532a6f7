// The shared backend contract (adapters/contract) on SqlBackend: in memory, and on a file so the WAL and
// on-disk paths run the same suite.
import { runBackendContract } from '../contract/backend-contract.ts';
import { openSqlite } from './open.ts';
import { tempDir } from './test-fixtures.ts';

runBackendContract('sql (sqlite :memory:)', async () => {
  const s = await openSqlite(':memory:');
  return { backend: s.backend, cleanup: async () => s.close() };
});

runBackendContract('sql (sqlite file)', async () => {
  const tmp = tempDir();
  const s = await openSqlite(tmp.file);
  return {
    backend: s.backend,
    cleanup: async () => {
      await s.close();
      tmp.remove();
    },
  };
});
