// The litmus output parser decides whether the compliance run passed: a misread would hide failures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure, parseDebugLog, parseLitmusOutput } from './litmus-report.ts';

// Verbatim shape of litmus 0.13 on a pipe: "\r" before each progress line, the test name twice.
const STDOUT = [
  "-> running `copymove':",
  '\r 3. copy_simple........... \r 3. copy_simple........... pass',
  '\r 4. copy_overwrite........ \r 4. copy_overwrite........ FAIL (COPY overwrites collection: 409 Conflict)',
  '\r10. move_coll............. \r10. move_coll............. pass',
  "<- summary for `copymove': of 13 tests run: 12 passed, 1 failed. 92.3%",
  "-> running `locks':",
  '\r 2. options............... WARNING: server does not claim Class 2 compliance',
  '    ...................... pass (with 1 warning)',
  '    ......................  3. precond............... SKIPPED (locking tests skipped,',
  'server does not claim Class 2 compliance)',
  '-> 1 test was skipped.',
  "<- summary for `locks': of 3 tests run: 3 passed, 0 failed. 100.0%",
  "-> running `props':",
  '\r 0. init.................. \r 0. init.................. pass',
].join('\n');

const DEBUG_LOG = [
  'Sending request headers:',
  'COPY /dav/calendars/u/litmus/copysrc HTTP/1.1',
  'Depth: infinity',
  'Destination: http://127.0.0.1:1/dav/calendars/u/litmus/copycoll/',
  'Overwrite: T',
  'X-Litmus: copymove: 4 (copy_overwrite)',
  '',
  '[status-line] < HTTP/1.1 409 Conflict',
  'Read block (10 bytes):',
  '[conflict',
  ']',
].join('\r\n');

describe('litmus output parsing', () => {
  const suites = parseLitmusOutput(STDOUT);

  it('reads each suite summary and its FAIL lines', () => {
    assert.deepEqual(
      suites.map((s) => [s.suite, s.run, s.passed, s.failed]),
      [
        ['copymove', 13, 12, 1],
        ['locks', 3, 3, 0],
        ['props', 0, 0, 0],
      ],
    );
    assert.deepEqual(suites[0].failures, [
      { index: 4, name: 'copy_overwrite', message: 'COPY overwrites collection: 409 Conflict' },
    ]);
  });

  it('reads a skip reason spread over two lines, and warnings', () => {
    assert.deepEqual(suites[1].skipped, ['precond: locking tests skipped, server does not claim Class 2 compliance']);
    assert.deepEqual(suites[1].warnings, ['server does not claim Class 2 compliance']);
  });

  it('marks a suite that stopped before its summary', () => {
    assert.equal(suites[2].summary, '');
  });

  it('names the last request of a failed test from debug.log (CRLF lines)', () => {
    const text = describeFailure('copymove', suites[0].failures[0], parseDebugLog(DEBUG_LOG));
    assert.match(text, /last request: COPY \/dav\/calendars\/u\/litmus\/copysrc HTTP\/1\.1\n/);
    assert.match(text, /Overwrite: T/);
    assert.match(text, /response: HTTP\/1\.1 409 Conflict — conflict/);
  });
});
