import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackendUnavailableError, DavError } from './dav-error.ts';

test('DavError: a client error carries status, condition and message but no stack frames', () => {
  const e = new DavError(412, undefined, 'If-Match failed');
  assert.ok(e instanceof Error);
  assert.equal(e.status, 412);
  assert.equal(e.message, 'If-Match failed');
  assert.equal(e.stack, 'Error: If-Match failed');
});

test('DavError: a server error keeps its stack, and the stack limit is left as it was', () => {
  const limit = Error.stackTraceLimit;
  const e = new BackendUnavailableError('down');
  assert.equal(e.status, 503);
  assert.deepEqual(e.headers, { 'Retry-After': '5' });
  assert.match(e.stack ?? '', /\n\s+at /);
  new DavError(404);
  assert.equal(Error.stackTraceLimit, limit);
});
