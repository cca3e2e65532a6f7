// litmus (the Debian package, neon's WebDAV compliance suite) against a collection in a user's
// calendar home of the real server. Acceptance (issue 2): basic, copymove, props and http pass;
// locks passes or is skipped because class 2 is not advertised (RFC 4918 §18.2).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasExecutable, type RunningServer, startServer } from '../support/server.ts';
import { describeFailure, parseDebugLog, parseLitmusOutput, type SuiteResult } from './litmus-report.ts';

const SUITES = ['basic', 'copymove', 'props', 'http', 'locks'] as const;
const TIMEOUT_MS = 180_000;
const skip = (await hasExecutable('litmus')) ? false : 'litmus is not installed (Debian package "litmus")';

function runLitmus(url: string, user: string, password: string, cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    // -k: keep going after a failing suite so every suite reports. litmus writes debug.log in cwd.
    const child = spawn('litmus', ['-k', url, user, password], {
      cwd,
      env: { ...process.env, TESTS: SUITES.join(' ') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('litmus 0.13 against /dav/calendars/USER/ (RFC 4918)', { skip }, () => {
  let server: RunningServer;
  let work: string;
  let results: SuiteResult[] = [];
  let debugLog = '';
  let raw = '';

  before(async () => {
    server = await startServer({ users: ['litmus'] });
    work = await mkdtemp(join(tmpdir(), 'davgate-litmus-'));
    const [user] = server.users;
    const started = Date.now();
    const run = await runLitmus(`${server.url}calendars/${user.name}/`, user.name, user.password, work);
    raw = `${run.stdout}\n${run.stderr}`;
    results = parseLitmusOutput(run.stdout);
    debugLog = await readFile(join(work, 'debug.log'), 'utf8').catch(() => '');
    console.log(`litmus finished in ${Date.now() - started} ms (exit ${run.code}):`);
    for (const r of results) console.log(`  ${r.summary || `${r.suite}: no summary (suite aborted)`}`);
  });

  after(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  function suite(name: string): SuiteResult {
    const r = results.find((s) => s.suite === name);
    assert.ok(r, `litmus did not run the ${name} suite:\n${raw.slice(-4000)}`);
    assert.ok(r.summary, `the ${name} suite aborted before its summary:\n${raw.slice(-4000)}`);
    return r;
  }

  /** Warnings, errors and 5xx answers from the server's log, the rest is noise here. */
  function serverProblems(): string {
    const lines = server
      .logs()
      .split('\n')
      .filter((l) => /"level":"(warn|error)"|"status":5\d\d/.test(l));
    return lines.length ? `\n\n--- server warnings/errors ---\n${lines.slice(-20).join('\n')}` : '';
  }

  function assertNoFailures(r: SuiteResult): void {
    const trace = parseDebugLog(debugLog);
    const detail = r.failures.map((f) => describeFailure(r.suite, f, trace)).join('\n\n');
    assert.equal(r.failed, 0, `${r.summary}\n\n${detail}${serverProblems()}`);
    assert.equal(r.passed, r.run, r.summary);
    assert.ok(r.run > 2, `${r.suite} ran only ${r.run} tests`);
  }

  for (const name of ['basic', 'copymove', 'props', 'http'] as const) {
    it(`${name}: every test passes`, () => assertNoFailures(suite(name)));
  }

  it('locks: passes, or its tests are skipped because class 2 is not advertised', () => {
    const r = suite('locks');
    assertNoFailures(r);
    if (r.skipped.length > 0) {
      assert.match(r.skipped.join('\n'), /does not claim Class 2 compliance/);
      assert.ok(
        r.warnings.some((w) => /does not claim Class 2 compliance/.test(w)),
        'OPTIONS does not advertise class 2',
      );
    }
  });
});
