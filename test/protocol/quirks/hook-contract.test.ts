// The hook contract beyond hooks.test.ts: response hooks see error answers and the request, payloadIn
// gets the stored text it replaces, ignorableWrite is asked only for read-only objects, and profiles
// are detected before authentication.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QuirkProfile } from '../../../src/quirks/profile.ts';
import { createTestApp, ICS } from '../../support/app.ts';

const CAL = '/dav/calendars/alice/calendar/';
const UA = { 'User-Agent': 'HookProbe/1.0' };

function probe(calls: string[]): QuirkProfile {
  return {
    id: 'hook-probe',
    description: 'test profile recording what its hooks see',
    evidence: ['test only'],
    match: /HookProbe\//,
    options: {},
    payloadIn: (_type, body, existing) => {
      calls.push(`in:${existing === undefined ? 'new' : /SUMMARY:(\w+)/.exec(existing)?.[1]}`);
      return body;
    },
    ignorableWrite: (existing, incoming) => {
      calls.push('ignorable?');
      return existing.replace('SUMMARY:old', '') === incoming.replace('SUMMARY:ack', '');
    },
    response: (res, req) => {
      calls.push(`res:${req.method}:${res.status}`);
      const r = new Response(res.body, res);
      r.headers.set('X-Probe-Status', String(res.status));
      return r;
    },
  };
}

describe('quirk hook contract', () => {
  it('response hooks run on error answers too, with the request they answer', async () => {
    const calls: string[] = [];
    const t = await createTestApp({ profiles: [probe(calls)] });
    const r = await t.request('REPORT', CAL, {
      body: '<d:sync-collection xmlns:d="DAV:"><d:sync-token>bogus</d:sync-token><d:prop/></d:sync-collection>',
      headers: UA,
    });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('x-probe-status'), '403');
    assert.deepEqual(calls, ['res:REPORT:403']);
  });

  it('payloadIn gets the stored text of the object it replaces (undefined for a new one)', async () => {
    const calls: string[] = [];
    const t = await createTestApp({ profiles: [probe(calls)] });
    await t.request('PUT', `${CAL}x.ics`, {
      body: ICS('x', 'first'),
      headers: { ...UA, 'Content-Type': 'text/calendar' },
    });
    await t.request('PUT', `${CAL}x.ics`, {
      body: ICS('x', 'second'),
      headers: { ...UA, 'Content-Type': 'text/calendar' },
    });
    assert.deepEqual(
      calls.filter((c) => c.startsWith('in:')),
      ['in:new', 'in:first'],
    );
  });

  it('ignorableWrite is consulted only for read-only objects, and a yes is a 204 without writing', async () => {
    const calls: string[] = [];
    const t = await createTestApp({ profiles: [probe(calls)] });
    const ref = { owner: 'alice', home: 'calendars' as const, id: 'ro' };
    await t.backend.seedCollection(ref, 'calendar', {}, true);
    await t.backend.seedObject(ref, 'a.ics', {
      body: new TextEncoder().encode(ICS('a', 'old')),
      contentType: 'text/calendar',
      uid: 'a',
    });
    const ok = await t.request('PUT', '/dav/calendars/alice/ro/a.ics', {
      body: ICS('a', 'ack'),
      headers: { ...UA, 'Content-Type': 'text/calendar' },
    });
    assert.equal(ok.status, 204);
    assert.match((await t.request('GET', '/dav/calendars/alice/ro/a.ics')).text, /SUMMARY:old/);
    const no = await t.request('PUT', '/dav/calendars/alice/ro/a.ics', {
      body: ICS('a', 'edit'),
      headers: { ...UA, 'Content-Type': 'text/calendar' },
    });
    assert.equal(no.status, 403);
    calls.length = 0;
    await t.request('PUT', `${CAL}w.ics`, { body: ICS('w'), headers: { ...UA, 'Content-Type': 'text/calendar' } });
    assert.ok(!calls.includes('ignorable?'), 'not asked for writable objects');
  });

  it('an unauthenticated request is already attributed to the client (and its response hooks do not run outside DAV handling)', async () => {
    const calls: string[] = [];
    const lines: string[] = [];
    const { createLogger } = await import('../../../src/http/logger.ts');
    const t = await createTestApp({
      profiles: [probe(calls)],
      deps: { log: createLogger('info', (l) => lines.push(l)) },
    });
    const r = await t.request('PROPFIND', '/dav/', { headers: { ...UA, Depth: '0' }, user: null });
    assert.equal(r.status, 401);
    assert.deepEqual(JSON.parse(lines[lines.length - 1]).quirks, ['hook-probe']);
  });
});
