// The app over a fresh legacy database: the legacy schema, the trigger feed when asked for, the columns
// backend for `mappings` with that change feed, and buildApp on it (the columns suites' common setup).

import { createColumnsBackend } from '../../adapters/sql/columns/index.ts';
import type { ColumnsMapping } from '../../adapters/sql/columns/mapping.ts';
import { installStatements, runStatements } from '../../adapters/sql/columns/triggers.ts';
import type { Backend } from '../../src/backend/port.ts';
import type { StateStore } from '../../src/state/store.ts';
import { createTestApp } from '../support/app.ts';
import type { Db, Server } from './databases.ts';
import { createLegacySchema } from './legacy-schema.ts';

export type Feed = 'snapshot' | 'modified' | 'triggers';

/** A VCALENDAR with one VEVENT of `lines` (CRLF line ends, as clients send). */
export const ics = (lines: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** `state`: the app's state store, also handed to the backend (for `extras: { store: state }`). */
export async function legacyApp(
  server: Server,
  mappings: ColumnsMapping | readonly ColumnsMapping[],
  feed: Feed,
  opts: { state?: StateStore } = {},
) {
  const db: Db = await server.fresh();
  await createLegacySchema(db.conn);
  if (feed === 'triggers') await runStatements(db.conn, installStatements(db.conn.dialect, mappings));
  const withFeed = Array.isArray(mappings)
    ? mappings.map((m: ColumnsMapping) => ({ ...m, changes: feed }))
    : { ...(mappings as ColumnsMapping), changes: feed };
  const backend: Backend = await createColumnsBackend(db.conn, withFeed, { id: 'legacy', state: opts.state });
  const t = await createTestApp({ deps: { backend, ...(opts.state && { state: opts.state }) } });
  return { db, backend, t };
}
