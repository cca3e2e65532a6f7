// The quirk pipeline: a profile matched by User-Agent rewrites the request, the parsed REPORT body,
// properties, payloads in and out and the response; an unknown User-Agent gets standard behaviour.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QuirkProfile } from '../../../src/quirks/profile.ts';
import { createTestApp, ICS } from '../../support/app.ts';
import { parseMultistatus } from '../../support/xml-assert.ts';

const probe: QuirkProfile = {
  id: 'probe',
  description: 'test profile exercising every hook',
  evidence: ['test only'],
  match: /ProbeClient\//,
  options: {},
  request: (req) => {
    const headers = new Headers(req.headers);
    if (req.method === 'PROPFIND' && headers.get('depth') === '0') headers.set('Depth', '1');
    return { ...req, headers };
  },
  property: (name, value) =>
    name === '{DAV:}displayname' ? { ...value, children: ['[probe] ', ...value.children] } : value,
  payloadIn: (_type, body) => body.replace('SUMMARY:in', 'SUMMARY:rewritten-in'),
  payloadOut: (_type, body) => body.replace('SUMMARY:', 'SUMMARY:out-'),
  response: (res) => {
    const r = new Response(res.body, res);
    r.headers.set('X-Probe', '1');
    return r;
  },
};

const UA = { 'User-Agent': 'ProbeClient/1.0' };
const CAL = '/dav/calendars/alice/calendar/';

describe('quirk hooks', () => {
  it('request hook rewrites headers the core reads (Depth 0 → 1)', async () => {
    const t = await createTestApp({ profiles: [probe] });
    const body = `<?xml version="1.0"?><propfind xmlns="DAV:"><prop><displayname/></prop></propfind>`;
    const std = await t.request('PROPFIND', '/dav/calendars/alice/', { body, headers: { Depth: '0' } });
    assert.equal(parseMultistatus(std.text).responses.length, 1);
    const q = await t.request('PROPFIND', '/dav/calendars/alice/', { body, headers: { Depth: '0', ...UA } });
    assert.equal(parseMultistatus(q.text).responses.length, 2);
    assert.equal(q.headers.get('x-probe'), '1');
    assert.equal(std.headers.get('x-probe'), null);
  });

  it('property hook rewrites values for the matched client only', async () => {
    const t = await createTestApp({ profiles: [probe] });
    const body = `<?xml version="1.0"?><propfind xmlns="DAV:"><prop><displayname/></prop></propfind>`;
    const q = await t.request('PROPFIND', CAL, { body, headers: { Depth: '0', ...UA } });
    assert.match(q.text, /\[probe\] Calendar/);
    const std = await t.request('PROPFIND', CAL, { body, headers: { Depth: '0', 'User-Agent': 'Unknown/9' } });
    assert.doesNotMatch(std.text, /\[probe\]/);
  });

  it('payload hooks rewrite the body on the way in and out; a rewritten GET carries its own ETag', async () => {
    const t = await createTestApp({ profiles: [probe] });
    const put = await t.request('PUT', `${CAL}q.ics`, {
      body: ICS('q', 'in'),
      headers: { 'Content-Type': 'text/calendar', ...UA },
    });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('etag'), null, 'stored bytes differ from the bytes sent');
    const plain = await t.request('GET', `${CAL}q.ics`);
    assert.match(plain.text, /SUMMARY:rewritten-in/);
    assert.ok(plain.headers.get('etag'));
    const viaProbe = await t.request('GET', `${CAL}q.ics`, { headers: UA });
    assert.match(viaProbe.text, /SUMMARY:out-rewritten-in/);
    // Another representation, another tag (quirks Q16/Q19), the one getetag gives this client.
    const probeTag = viaProbe.headers.get('etag');
    assert.ok(probeTag);
    assert.notEqual(probeTag, plain.headers.get('etag'));
    const listed = await t.request('PROPFIND', `${CAL}q.ics`, {
      body: '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
      headers: { Depth: '0', ...UA },
    });
    assert.match(listed.text, new RegExp(`<d:getetag>${probeTag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</d:getetag>`));
  });
});
