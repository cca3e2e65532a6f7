// `davgate serve` with `storage.profile: columns` and a mapping that keeps unmapped data in the state store
// (`extras: { store: state }`): the server hands the state store it runs with to the columns backend, so a
// VALARM put through DAV lands there and the legacy database gets no side table; a mapping that names both
// an extras column and a store stops the start with the key named.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openSqlConnection } from '../../adapters/sql/query/connect.ts';
import { createLegacySchema } from '../../test/columns/legacy-schema.ts';
import { withAlarm } from '../../test/columns/state-extras-support.ts';
import { configSchema } from '../config/schema.ts';
import { MemoryStateStore } from '../state/memory.ts';
import { startServer } from './serve.ts';
import { captureIo } from './test-io.ts';
import { tempDataDir, testRuntime } from './test-runtime.ts';

const APPOINTMENTS = readFileSync(new URL('../../test/columns/appointments.yaml', import.meta.url), 'utf8');

async function legacySetup(extras: string) {
  const dir = await tempDataDir();
  const file = join(dir, 'groupware.sqlite');
  const conn = await openSqlConnection({ dialect: 'sqlite', file });
  await createLegacySchema(conn);
  await conn.close();
  await writeFile(join(dir, 'map.yaml'), `${APPOINTMENTS}extras: ${extras}\n`);
  const config = configSchema.parse({
    server: { port: 0 },
    storage: { kind: 'sqlite', dataDir: dir, file, profile: 'columns', mapping: join(dir, 'map.yaml') },
  });
  return { file, config };
}

describe('davgate serve: columns profile with extras.store: state', () => {
  it('the server hands its state store to the columns backend: a VALARM lands there, no side table', async () => {
    const { file, config } = await legacySetup('{ store: state }');
    const state = new MemoryStateStore();
    const io = captureIo({ env: { USER: 'alice' } });
    const running = await startServer(config, { ...testRuntime, createState: () => state }, io);
    try {
      const password = /password: +(\S+)/.exec(io.stdout.join('\n'))?.[1] ?? '';
      const auth = `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`;
      const url = `${running.url}calendars/alice/calendar/standup.ics`;
      const body = withAlarm('alarm-1');
      const put = await fetch(url, {
        method: 'PUT',
        body,
        headers: { Authorization: auth, 'Content-Type': 'text/calendar' },
      });
      assert.equal(put.status, 201, await put.text());
      assert.match(await (await fetch(url, { headers: { Authorization: auth } })).text(), /BEGIN:VALARM/);
      assert.match((await state.get('dg:columns:sql:appointments:rec:1')) ?? '', /VALARM/);
    } finally {
      await running.close();
    }
    const conn = await openSqlConnection({ dialect: 'sqlite', file });
    try {
      const tables = (await conn.db.introspection.getTables()).map((t) => t.name);
      assert.ok(tables.includes('appointments'));
      assert.ok(!tables.includes('davgate_columns_extra'), tables.join(', '));
    } finally {
      await conn.close();
    }
  });

  it('a mapping with an extras column and a store is refused at start, naming the key', async () => {
    const { config } = await legacySetup('{ column: notes, store: state }');
    await assert.rejects(
      startServer(config, testRuntime, captureIo({ env: { USER: 'alice' } })),
      /extras\.store: give either `extras\.column` \(a column of the table\) or `extras\.store` \(side-table or state\), not both/,
    );
  });
});
