// `davgate sql …` usage and validation (no database needed): every mistake is one line naming it,
// exit 2. The commands against real databases are in test/columns/sql-cli.test.ts.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from './run.ts';
import { captureIo } from './test-io.ts';
import { testRuntime } from './test-runtime.ts';

const MAPPING = fileURLToPath(new URL('../../test/columns/appointments.yaml', import.meta.url));

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo({ env });
  const code = await runCli(args, testRuntime, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('davgate sql', () => {
  it('help: listed in the main help; `sql --help` exits 0, bare `sql` exits 2', async () => {
    assert.match((await run(['--help'])).out, /davgate sql install-triggers\|uninstall-triggers/);
    const help = await run(['sql', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--database-url URL/);
    assert.equal((await run(['sql'])).code, 2);
  });

  it('an unknown action is named', async () => {
    const r = await run(['sql', 'install-trigger', '--mapping', MAPPING, '--file', '/tmp/x.db']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^davgate: unknown sql action "install-trigger"/);
  });

  it('flags: exactly one of --database-url and --file; URLs are checked', async () => {
    const both = await run(['sql', 'install-triggers', '--mapping', MAPPING, '--file', 'a', '--database-url', 'x']);
    assert.equal(both.code, 2);
    assert.match(both.err, /expected postgres:\/\/user@host:port\/db/);
    const none = await run(['sql', 'install-triggers', '--mapping', MAPPING]);
    assert.equal(none.code, 2);
    assert.match(none.err, /give exactly one of --database-url .* or --file/);
    const noDb = await run(['sql', 'install-triggers', '--mapping', MAPPING, '--database-url', 'postgres://h:5432/']);
    assert.match(noDb.err, /the URL names no database/);
    const orphan = await run(['sql', 'install-triggers', '--file', 'a.db']);
    assert.match(orphan.err, /--database-url and --file need --mapping FILE/);
  });

  it('a missing password variable and an invalid mapping are reported before connecting', async () => {
    const url = ['--database-url', 'postgres://u@127.0.0.1:1/db', '--password-env', 'PGPASS_X'];
    const pw = await run(['sql', 'install-triggers', '--mapping', MAPPING, ...url]);
    assert.equal(pw.code, 2);
    assert.match(pw.err, /environment variable PGPASS_X .* is not set/);
    const dir = await mkdtemp(join(tmpdir(), 'davgate-sql-'));
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'table: appointments\nkey: { column: id }\n');
    const r = await run(['sql', 'install-triggers', '--mapping', bad, '--file', join(dir, 'x.db')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid columns mapping/);
    assert.match(r.err, /\n *uid: /);
  });

  it('trim-changes: --keep N is required, a whole number ≥ 1, and belongs to trim-changes only', async () => {
    const db = ['--mapping', MAPPING, '--file', '/nonexistent/x.db'];
    const none = await run(['sql', 'trim-changes', ...db]);
    assert.equal(none.code, 2);
    assert.match(none.err, /^davgate: trim-changes needs --keep N/);
    for (const bad of ['0', '-3', '1.5', 'ten']) {
      const r = await run(['sql', 'trim-changes', `--keep=${bad}`, ...db]);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, new RegExp(`--keep ${bad.replace('.', '\\.')}: expected a whole number`));
    }
    const misplaced = await run(['sql', 'install-triggers', '--keep', '5', ...db]);
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.err, /--keep belongs to `davgate sql trim-changes`/);
    assert.match((await run(['sql', '--help'])).out, /davgate sql trim-changes --keep N/);
  });

  it('a configuration whose storage serves no column mapping says so', async () => {
    const r = await run(['sql', 'install-triggers']);
    assert.equal(r.code, 2);
    assert.match(r.err, /storage section of the configuration serves no column mapping .*storage\.profile/);
  });

  it('an unreachable database exits 1 naming it', async () => {
    const url = ['--database-url', 'postgres://u@127.0.0.1:1/db'];
    const r = await run(['sql', 'uninstall-triggers', '--mapping', MAPPING, ...url]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^davgate: cannot connect to the postgres database/);
  });
});
