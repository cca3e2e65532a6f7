// The shared backend contract (adapters/contract) on the sabredav profile, on SQLite, PostgreSQL and MariaDB,
// each database created with SabreDAV's published schema.
import { after, describe } from 'node:test';
import { runBackendContract } from '../../contract/backend-contract.ts';
import { createSabredavBackend } from './index.ts';
import { DIALECTS, openSabreDb, skipReason, stopSabreServers } from './test-databases.ts';

after(stopSabreServers);

for (const d of DIALECTS) {
  const skip = await skipReason(d);
  if (skip) {
    describe(`backend contract: sabredav (${d})`, { skip }, () => {});
    continue;
  }
  runBackendContract(`sabredav (${d})`, async () => {
    const conn = await openSabreDb(d);
    const backend = await createSabredavBackend(conn, {});
    return { backend, cleanup: () => conn.close() };
  });
}
