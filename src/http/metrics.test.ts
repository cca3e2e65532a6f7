// /metrics: requests per client profile in the Prometheus text format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp } from '../../test/support/app.ts';
import { RequestMetrics } from './metrics.ts';

describe('request metrics per profile', () => {
  it('counts per profile, method and status class; unknown clients as "none", odd methods as OTHER', () => {
    const m = new RequestMetrics();
    m.record(['thunderbird'], 'propfind', 207);
    m.record(['thunderbird'], 'PROPFIND', 207);
    m.record([], 'PUT', 412);
    m.record(['apple-contacts', 'rule-1'], 'BREW', 501);
    const text = m.render();
    assert.match(text, /^# TYPE davgate_requests_total counter$/m);
    assert.match(text, /^davgate_requests_total\{profile="thunderbird",method="PROPFIND",status="2xx"\} 2$/m);
    assert.match(text, /^davgate_requests_total\{profile="none",method="PUT",status="4xx"\} 1$/m);
    assert.match(text, /^davgate_requests_total\{profile="rule-1",method="OTHER",status="5xx"\} 1$/m);
    assert.equal(m.total('apple-contacts'), 1);
    assert.equal(m.total('nobody'), 0);
  });

  it('GET /metrics serves the counters of DAV requests (not of /metrics itself), without authentication', async () => {
    const t = await createTestApp();
    await t.request('OPTIONS', '/dav/', { headers: { 'User-Agent': 'DAVx5/4.4.3.2-ose (at.bitfire.davdroid)' } });
    await t.request('PROPFIND', '/dav/', { headers: { 'User-Agent': 'curl/8', Depth: '0' }, user: null });
    const r = await t.app.request('http://localhost/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    assert.match(text, /profile="davx5",method="OPTIONS",status="2xx"\} 1/);
    assert.match(text, /profile="none",method="PROPFIND",status="4xx"\} 1/);
    assert.doesNotMatch(text, /method="GET"/);
  });
});
