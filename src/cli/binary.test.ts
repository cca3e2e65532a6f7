// The real binary, as operators and test launchers use it: bin/davgate.js in a child process.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDataDir } from './test-runtime.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/davgate.js', import.meta.url));

const davgate = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', env: { ...process.env, USER: 'tester' } });

/** Resolves with the URL from the ready line. */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /^davgate listening on (http:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ready:\n${out}`)));
  });
}

describe('bin/davgate.js', () => {
  it('prints its version', () => {
    const r = davgate(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '0.1.0');
  });

  it('user add reads the password from a pipe; serve accepts it; SIGTERM stops it cleanly', async () => {
    const dir = await tempDataDir();
    const add = davgate(['user', 'add', 'alice', '--data-dir', dir], 'piped-secret\n');
    assert.equal(add.status, 0, add.stderr);
    assert.equal(davgate(['user', 'list', '--data-dir', dir]).stdout, 'alice\talice\n');

    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dir], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    try {
      const url = await readyUrl(child);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/dav\/$/);
      const auth = `Basic ${Buffer.from('alice:piped-secret').toString('base64')}`;
      const res = await fetch(url, { method: 'PROPFIND', headers: { Depth: '0', Authorization: auth } });
      assert.equal(res.status, 207);
      assert.doesNotMatch(stderr, /piped-secret/, 'the password is never logged');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.match(stderr, /davgate: SIGTERM, shutting down/);
  });

  it('is reachable as `npx davgate` in the repository', (t) => {
    try {
      execFileSync('npm', ['--version'], { stdio: 'ignore' });
    } catch {
      return t.skip('npm not on PATH');
    }
    // npm exec runs the root package's own bin; no flag before the name (npx would take it as its own).
    const r = spawnSync('npx', ['davgate', '--help'], { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^davgate — CalDAV\/CardDAV gateway$/m);
    assert.match(r.stdout, /davgate serve \[--config FILE\]/);
  });
});
