// Backend failure is never silent success: an unavailable backend answers 503 with Retry-After and
// nothing is written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Backend, BackendError } from '../../../src/backend/port.ts';
import { createTestApp, ICS } from '../../support/app.ts';

function flaky(inner: Backend, down: { value: boolean }): Backend {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'listObjects') return typeof v === 'function' ? v.bind(target) : v;
      return (...args: unknown[]) => {
        if (down.value && (prop === 'putObject' || prop === 'getObjects'))
          return Promise.reject(new BackendError('unavailable', 'database unreachable'));
        return v.apply(target, args);
      };
    },
  });
}

describe('backend outage', () => {
  it('PUT and GET answer 503 with Retry-After while the backend is down, and work again after', async () => {
    const down = { value: false };
    const t = await createTestApp({ wrapBackend: (b) => flaky(b, down) });
    down.value = true;
    const put = await t.request('PUT', '/dav/calendars/alice/calendar/x.ics', {
      body: ICS('x'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal(put.status, 503);
    assert.ok(Number(put.headers.get('retry-after')) > 0);
    const get = await t.request('GET', '/dav/calendars/alice/calendar/x.ics');
    assert.equal(get.status, 503);
    down.value = false;
    assert.equal(
      (await t.request('GET', '/dav/calendars/alice/calendar/x.ics')).status,
      404,
      'nothing was half-written',
    );
    assert.equal(
      (
        await t.request('PUT', '/dav/calendars/alice/calendar/x.ics', {
          body: ICS('x'),
          headers: { 'Content-Type': 'text/calendar' },
        })
      ).status,
      201,
    );
  });
});
