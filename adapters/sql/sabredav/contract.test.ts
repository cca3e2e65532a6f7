// The shared backend contract (adapters/contract) on the sabredav profile, on SQLite, PostgreSQL and MariaDB,
// each database created with SabreDAV's published schema.
import { runBackendContract } from '../../contract/backend-contract.ts';
import { createSabredavBackend } from './index.ts';
import { onEachDialect, openSabreDb } from './test-databases.ts';

onEachDialect(
  (d) => `backend contract: sabredav (${d})`,
  (d) =>
    runBackendContract(`sabredav (${d})`, async () => {
      const conn = await openSabreDb(d);
      const backend = await createSabredavBackend(conn, {});
      // SabreDAV has tables for calendars and address books only: no plain WebDAV collections.
      return { backend, cleanup: () => conn.close(), collectionKinds: ['calendar', 'addressbook'] };
    }),
);
