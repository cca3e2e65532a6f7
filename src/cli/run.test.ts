import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCli } from './run.ts';
import { captureIo } from './test-io.ts';
import { testRuntime } from './test-runtime.ts';

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo({ env });
  const code = await runCli(args, testRuntime, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('davgate command line', () => {
  it('--help and --version', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /davgate serve \[--config FILE\] \[--port N\]/);
    const version = await run(['--version']);
    assert.deepEqual([version.code, version.out], [0, '0.1.0']);
  });

  it('no command prints usage and exits 2; an unknown command names it', async () => {
    assert.equal((await run([])).code, 2);
    const r = await run(['serv']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^davgate: unknown command "serv"/);
  });

  it('check: a valid configuration exits 0 and says where things go', async () => {
    const r = await run(['check', '--port', '9000', '--data-dir', '/srv/dav']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^configuration OK \(no file: embedded default\)$/m);
    assert.match(r.out, /listen: +http:\/\/127\.0\.0\.1:9000\/dav\//);
    assert.match(r.out, /storage: +sqlite \/srv\/dav\/davgate\.sqlite/);
  });

  it('check --print writes the effective configuration as YAML', async () => {
    const r = await run(['check', '--print'], { DAVGATE_AUTH_REALM: 'home' });
    assert.equal(r.code, 0);
    const printed = parse(r.out);
    assert.equal(printed.auth.realm, 'home');
    assert.equal(printed.server.port, 8008);
  });

  it('a bad value stops start-up with a message naming the key (serve and check alike)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davgate-run-'));
    const file = join(dir, 'davgate.yaml');
    await writeFile(file, 'server:\n  port: high\n');
    for (const command of ['serve', 'check']) {
      const r = await run([command, '--config', file]);
      assert.equal(r.code, 2);
      assert.equal(r.err, `config error: server.port: expected number, received string (in ${file})`);
    }
  });

  it('flags override the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davgate-run-'));
    const file = join(dir, 'davgate.yaml');
    await writeFile(file, 'server:\n  port: 7000\n  host: 127.0.0.2\n');
    const r = await run(['check', '--config', file, '--port', '7001', '--print']);
    assert.equal(parse(r.out).server.port, 7001);
    assert.equal(parse(r.out).server.host, '127.0.0.2');
  });

  it('unknown flags and missing flag values are usage errors', async () => {
    const unknown = await run(['serve', '--prot', '1']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--prot/);
    assert.equal((await run(['serve', '--port'])).code, 2);
  });

  it('warns about unknown DAVGATE_ variables', async () => {
    const r = await run(['check'], { DAVGATE_SERVER_PROT: '1' });
    assert.equal(r.code, 0);
    assert.equal(r.err, 'warning: ignoring unknown environment variable DAVGATE_SERVER_PROT');
  });
});
