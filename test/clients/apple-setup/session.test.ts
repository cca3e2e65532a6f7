// Apple account setup (macOS 26 / iOS 14 accountsd): it may not follow the redirect of
// /.well-known/caldav and probes /, /principals/ and a Google-style path instead (quirks Q01,
// nextcloud/documentation#13945, sabre-io/Baikal#1030). Setup only discovers; the calendar agent
// (dataaccessd) then syncs under its own profile, which /metrics shows per profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dav } from '../../../src/dav/xml/names.ts';
import { RequestMetrics } from '../../../src/http/metrics.ts';
import { hrefsIn } from '../../support/xml-assert.ts';
import { event } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const SETUP = 'macOS/26.1 (25B78) accountsd/1.0';
const AGENT = 'macOS/26.1 (25B78) dataaccessd/1.0';
const APPLE = { 'Content-Type': 'text/xml', Accept: '*/*', Brief: 't', Prefer: 'return=minimal' };

describe('Apple account setup (accountsd)', () => {
  it('every probe of the fallback list is answered with current-user-principal; then the agent syncs', async () => {
    const metrics = new RequestMetrics();
    const s = await startSession({ userAgent: SETUP, headers: APPLE, app: { deps: { metrics } } });
    const body = fixture('apple-ios-01-wellknown-propfind.xml');

    // Unauthenticated first (Apple connects anonymously): 401 with a Basic challenge, never 403.
    const anon = await s.send('PROPFIND', '/.well-known/caldav', { body, headers: { Depth: '0' }, user: null });
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate') ?? '', /^Basic /);

    for (const probe of ['/.well-known/caldav', '/', '/principals/', '/calendar/dav/alice/user/', '/caldav/v2/']) {
      const r = await s.send('PROPFIND', probe, { body, headers: { Depth: '0' } });
      const resp = responseFor(multistatus(r, probe), probe);
      assert.deepEqual(hrefsIn(found(resp, dav('current-user-principal'))), ['/dav/principals/alice/'], probe);
    }
    // A GET on the well-known URI still redirects (RFC 6764 §5).
    const get = await s.send('GET', '/.well-known/caldav');
    assert.equal(get.status, 301);

    // Hand-off: the calendar agent discovers the home, syncs, changes and re-syncs.
    const agent = async (
      method: string,
      path: string,
      init: { body?: string; headers?: Record<string, string> } = {},
    ) => s.t.request(method, path, { ...init, headers: { ...APPLE, 'User-Agent': AGENT, ...init.headers } });
    const p = multistatus(
      await agent('PROPFIND', '/dav/principals/alice/', {
        body: fixture('apple-calendaragent-02-principal-propfind.xml'),
        headers: { Depth: '0' },
      }),
    );
    assert.ok(p.byHref.has('/dav/principals/alice/'));
    const sync = (t: string) =>
      `<A:sync-collection xmlns:A="DAV:"><A:sync-token>${t}</A:sync-token><A:sync-level>1</A:sync-level><A:prop><A:getetag/></A:prop></A:sync-collection>`;
    const first = await agent('REPORT', '/dav/calendars/alice/calendar/', { body: sync(''), headers: { Depth: '1' } });
    const tok = /<d:sync-token>([^<]+)</.exec(first.text)?.[1] ?? '';
    await agent('PUT', '/dav/calendars/alice/calendar/mac.ics', {
      body: event({ uid: 'mac' }),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    const again = multistatus(
      await agent('REPORT', '/dav/calendars/alice/calendar/', { body: sync(tok), headers: { Depth: '1' } }),
    );
    assert.deepEqual(
      again.responses.map((r) => r.href),
      ['/dav/calendars/alice/calendar/mac.ics'],
    );

    // Requests per profile: the setup probes (incl. the unauthenticated one) and the agent's requests.
    assert.equal(metrics.total('apple-setup'), 7);
    assert.equal(metrics.total('apple-calendar'), 4);
    const text = await (await s.t.app.request('http://localhost/metrics')).text();
    assert.match(text, /^davgate_requests_total\{profile="apple-setup",method="PROPFIND",status="4xx"\} 1$/m);
    assert.match(text, /^davgate_requests_total\{profile="apple-calendar",method="REPORT",status="2xx"\} 2$/m);
  });
});
