import { onEachServer } from '../../../test/columns/databases.ts';
import { contactMapping, createLegacySchema, mapping } from '../../../test/columns/legacy-schema.ts';
import { runBackendContract } from '../../contract/backend-contract.ts';
import { createColumnsBackend } from './index.ts';
import { installStatements, runStatements } from './triggers.ts';

onEachServer(`columns profile`, (server, name) => {
  for (const feed of ['snapshot', 'modified', 'triggers'] as const) {
    runBackendContract(`columns (${name}, ${feed} feed)`, async () => {
      const db = await server().fresh();
      await createLegacySchema(db.conn);
      if (feed === 'triggers') await runStatements(db.conn, installStatements(db.conn.dialect, mapping));
      const backend = await createColumnsBackend(db.conn, { ...mapping, changes: feed }, { id: 'columns-test' });
      return {
        backend,
        cleanup: () => db.close(),
        collection: { owner: 'contract-user', home: 'calendars', id: 'calendar' },
        calendarDataOnly: true,
      };
    });
    // The contacts entity (component VCARD): the suite stores vCards in its address book.
    runBackendContract(`columns contacts (${name}, ${feed} feed)`, async () => {
      const db = await server().fresh();
      await createLegacySchema(db.conn);
      if (feed === 'triggers') await runStatements(db.conn, installStatements(db.conn.dialect, contactMapping));
      const m = { ...contactMapping, changes: feed };
      return {
        backend: await createColumnsBackend(db.conn, m, { id: 'columns-contacts-test' }),
        cleanup: () => db.close(),
        collection: { owner: 'contract-user', home: 'addressbooks', id: 'contacts' },
        addressDataOnly: true,
      };
    });
  }
});
