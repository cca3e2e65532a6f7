// `davgate sql install-triggers` / `uninstall-triggers` run through the CLI (runCli) against the worked
// example's legacy schema on SQLite, PostgreSQL and MariaDB: after install a legacy insert (plain SQL from
// another client) lands in davgate_changes; uninstall removes triggers and table; a failed install
// leaves nothing behind.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { SqlConnection, SqlConnectionOptions } from '../../adapters/sql/query/connect.ts';
import { runCli } from '../../src/cli/run.ts';
import { captureIo } from '../../src/cli/test-io.ts';
import { testRuntime } from '../../src/cli/test-runtime.ts';
import { onEachServer } from './databases.ts';
import { createLegacySchema } from './legacy-schema.ts';

const MAPPING = fileURLToPath(new URL('./appointments.yaml', import.meta.url));

const INSERT = `INSERT INTO appointments (owner, uid, title, starts_at, ends_at, rec_type, deleted, version)
  VALUES ('alice', ?, 'Legacy', '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0, 0, 1)`;

function target(o: SqlConnectionOptions): string[] {
  if (o.dialect === 'sqlite') return ['--file', o.file];
  const scheme = o.dialect === 'postgres' ? 'postgres' : 'mysql';
  return ['--database-url', `${scheme}://${encodeURIComponent(o.user)}@${o.host}:${o.port}/${o.database}`];
}

async function cli(args: string[]) {
  const io = captureIo();
  const code = await runCli(args, testRuntime, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

async function triggerCount(conn: SqlConnection): Promise<number> {
  const q =
    conn.dialect === 'sqlite'
      ? sql<{
          n: unknown;
        }>`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'davgate_chg_%'`
      : conn.dialect === 'postgres'
        ? sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM pg_trigger WHERE tgname LIKE 'davgate_chg_%'`
        : sql<{
            n: unknown;
          }>`SELECT COUNT(*) AS n FROM information_schema.triggers WHERE trigger_schema = DATABASE() AND trigger_name LIKE 'davgate_chg_%'`;
  return Number((await q.execute(conn.db)).rows[0].n);
}

async function tableExists(conn: SqlConnection): Promise<boolean> {
  try {
    await sql`SELECT seq FROM davgate_changes WHERE 1 = 0`.execute(conn.db);
    return true;
  } catch {
    return false;
  }
}

onEachServer(`davgate sql`, (server, name) => {
  it('install-triggers records legacy writes; uninstall-triggers removes triggers and table', async () => {
    const db = await server().fresh();
    try {
      await createLegacySchema(db.conn);
      const flags = ['--mapping', MAPPING, ...target(db.options)];
      const inst = await cli(['sql', 'install-triggers', ...flags]);
      assert.equal(inst.code, 0, inst.err);
      assert.match(inst.out, /^installed change-capture triggers on \w+ .* for table appointments/);
      assert.match(inst.out, /trigger davgate_chg_appointment_attendees/);
      assert.equal(await triggerCount(db.conn), name === 'postgres' ? 3 : 9);
      // Repeating is harmless.
      assert.equal((await cli(['sql', 'install-triggers', ...flags])).code, 0);
      await db.exec(INSERT, ['legacy-1']);
      const rows = await sql<{
        tbl: string;
        obj_key: unknown;
        owner: string;
      }>`SELECT tbl, obj_key, owner FROM davgate_changes`.execute(db.conn.db);
      const id = (await sql<{ id: unknown }>`SELECT id FROM appointments`.execute(db.conn.db)).rows[0].id;
      assert.deepEqual(
        rows.rows.map((r) => [r.tbl, String(r.obj_key), r.owner]),
        [['appointments', String(id), 'alice']],
      );

      const un = await cli(['sql', 'uninstall-triggers', ...flags]);
      assert.equal(un.code, 0, un.err);
      assert.match(un.out, /removed change-capture triggers/);
      assert.match(un.out, /davgate_changes dropped/);
      assert.equal(await triggerCount(db.conn), 0);
      assert.equal(await tableExists(db.conn), false);
      await db.exec(INSERT, ['legacy-2']); // the legacy UI keeps working without them
    } finally {
      await db.close();
    }
  });

  it('trim-changes --keep N keeps the newest N change entries; without triggers it exits 1', async () => {
    const db = await server().fresh();
    try {
      await createLegacySchema(db.conn);
      const flags = ['--mapping', MAPPING, ...target(db.options)];
      const before = await cli(['sql', 'trim-changes', '--keep', '2', ...flags]);
      assert.equal(before.code, 1);
      assert.match(before.err, /no davgate_changes \(the triggers are not installed\)/);
      assert.equal((await cli(['sql', 'install-triggers', ...flags])).code, 0);
      for (const uid of ['t1', 't2', 't3', 't4', 't5']) await db.exec(INSERT, [uid]);
      const r = await cli(['sql', 'trim-changes', '--keep', '2', ...flags]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^trimmed davgate_changes on \w+ .*: removed 3 entries, kept the newest 2\./);
      const left = await sql<{ obj_key: unknown }>`SELECT obj_key FROM davgate_changes ORDER BY seq`.execute(
        db.conn.db,
      );
      const ids = await sql<{ id: unknown }>`SELECT id FROM appointments ORDER BY id`.execute(db.conn.db);
      assert.deepEqual(
        left.rows.map((x) => String(x.obj_key)),
        ids.rows.slice(3).map((x) => String(x.id)),
      );
      assert.match((await cli(['sql', 'trim-changes', '--keep', '10', ...flags])).out, /removed 0 entries/);
    } finally {
      await db.close();
    }
  });

  it('a failed install (mapped table missing) exits 1 with the reason and leaves nothing behind', async () => {
    const db = await server().fresh();
    try {
      const r = await cli(['sql', 'install-triggers', '--mapping', MAPPING, ...target(db.options)]);
      assert.equal(r.code, 1);
      assert.match(r.err, /^davgate: install-triggers failed on .*nothing installed: .*appointment/);
      assert.equal(await tableExists(db.conn), false);
      assert.equal(await triggerCount(db.conn), 0);
    } finally {
      await db.close();
    }
  });
});
