// The trigger feed's epoch (feed.ts): uninstalling and reinstalling the triggers restarts davgate_changes'
// seq at 1, so a token from the old install could name a seq the new log has reached and silently skip
// changes. Tokens carry the install's random epoch; one from another epoch is invalid (RFC 6578 §3.2:
// the client resyncs). Reinstalling over a live install keeps the epoch and the tokens.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { onEachServer } from '../../../test/columns/databases.ts';
import { createLegacySchema, mapping } from '../../../test/columns/legacy-schema.ts';
import { createColumnsBackend } from './index.ts';
import { installStatements, runStatements, uninstallStatements } from './triggers.ts';

const REF = { owner: 'alice', home: 'calendars', id: 'calendar' } as const;
const INSERT = `INSERT INTO appointments (owner, uid, title, starts_at, ends_at, deleted)
  VALUES ('alice', ?, 'Row', '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0)`;

onEachServer(`columns trigger feed epoch`, (server) => {
  it('a token from before an uninstall + reinstall is invalid, even once the new seq passes it', async () => {
    const db = await server().fresh();
    try {
      await createLegacySchema(db.conn);
      const install = () => runStatements(db.conn, installStatements(db.conn.dialect, mapping));
      await install();
      const backend = await createColumnsBackend(db.conn, mapping, { id: 't' });
      const token = async () => (await backend.currentToken?.(REF)) ?? '';
      for (const uid of ['a', 'b']) await db.exec(INSERT, [uid]);
      const old = await token();
      await install(); // again over the live install: same epoch, token still good
      assert.equal(await token(), old);
      const same = await backend.changesSince?.(REF, old);
      assert.ok(same && same !== 'invalid-token');
      assert.deepEqual(same.changed, []);

      await runStatements(db.conn, uninstallStatements(db.conn.dialect, mapping));
      await db.exec(INSERT, ['missed']); // no triggers: not logged
      await install();
      for (const uid of ['c', 'd', 'e']) await db.exec(INSERT, [uid]);
      const fresh = await token();
      assert.notEqual(fresh.split('.')[0], old.split('.')[0], 'a new install has a new epoch');
      assert.equal(await backend.changesSince?.(REF, old), 'invalid-token');
      assert.equal(await backend.changesSince?.(REF, old.replace(/^[^.]*\./, '')), 'invalid-token', 'bare seq');
      const full = await backend.changesSince?.(REF, null);
      assert.ok(full && full !== 'invalid-token');
      assert.equal(full.changed.length, 6, 'the resync lists every row, the unlogged one too');
      assert.equal(full.token, fresh);
    } finally {
      await db.close();
    }
  });
});
