// RFC 4918 §9.1 PROPFIND.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, ICS } from '../../support/app.ts';
import { parseMultistatus } from '../../support/xml-assert.ts';

describe('RFC 4918 §9.1 PROPFIND', () => {
  it('Depth: 1 on the calendar home lists the default calendar with its resourcetype', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', '/dav/calendars/alice/', {
      body: `<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/><displayname/></prop></propfind>`,
      headers: { Depth: '1' },
    });
    assert.equal(r.status, 207);
    const ms = parseMultistatus(r.text);
    assert.deepEqual(
      ms.responses.map((x) => x.href),
      ['/dav/calendars/alice/', '/dav/calendars/alice/calendar/'],
    );
    const cal = ms.byHref.get('/dav/calendars/alice/calendar/')!;
    assert.match(r.text, /<cal:calendar\/>/);
    assert.equal(cal.props.get('{DAV:}displayname')?.el.children.join(''), 'Calendar');
    // The home has no displayname: reported 404 in its own propstat.
    assert.equal(ms.byHref.get('/dav/calendars/alice/')!.props.get('{DAV:}displayname')?.status, 404);
  });

  it('§9.1: Depth: infinity is refused with propfind-finite-depth', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', '/dav/calendars/alice/', { headers: { Depth: 'infinity' } });
    assert.equal(r.status, 403);
    assert.match(r.text, /propfind-finite-depth/);
  });

  it('§9.1: an empty body is allprop; getetag of members equals the GET ETag header', async () => {
    const t = await createTestApp();
    const put = await t.request('PUT', '/dav/calendars/alice/calendar/e1.ics', {
      body: ICS('e1'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal(put.status, 201);
    const r = await t.request('PROPFIND', '/dav/calendars/alice/calendar/', { headers: { Depth: '1' } });
    assert.equal(r.status, 207);
    const obj = parseMultistatus(r.text).byHref.get('/dav/calendars/alice/calendar/e1.ics')!;
    const etag = obj.props.get('{DAV:}getetag')!.el.children.join('');
    const get = await t.request('GET', '/dav/calendars/alice/calendar/e1.ics');
    assert.equal(get.headers.get('etag'), etag);
    assert.match(etag, /^"[^"]+"$/);
    assert.equal(obj.props.get('{DAV:}getcontentlength')!.el.children.join(''), String(Buffer.byteLength(ICS('e1'))));
  });

  it('§9.1: propname lists names without values', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', '/dav/calendars/alice/calendar/', {
      body: `<?xml version="1.0"?><propfind xmlns="DAV:"><propname/></propfind>`,
      headers: { Depth: '0' },
    });
    assert.equal(r.status, 207);
    const p = parseMultistatus(r.text).responses[0];
    assert.ok(p.props.has('{DAV:}resourcetype'));
    assert.equal(p.props.get('{DAV:}resourcetype')!.el.children.length, 0);
  });

  it('§9.1: malformed XML is 400, a DTD is refused (no entity expansion)', async () => {
    const t = await createTestApp();
    const bad = await t.request('PROPFIND', '/dav/calendars/alice/', {
      body: '<propfind xmlns="DAV:"><prop>',
      headers: { Depth: '0' },
    });
    assert.equal(bad.status, 400);
    const xxe = await t.request('PROPFIND', '/dav/calendars/alice/', {
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><propfind xmlns="DAV:"><prop><displayname>&e;</displayname></prop></propfind>',
      headers: { Depth: '0' },
    });
    assert.equal(xxe.status, 400);
    assert.doesNotMatch(xxe.text, /root:/);
  });

  it('RFC 7240: Prefer: return=minimal drops the 404 propstat', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', '/dav/calendars/alice/', {
      body: `<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/><displayname/></prop></propfind>`,
      headers: { Depth: '0', Prefer: 'return=minimal' },
    });
    assert.equal(r.status, 207);
    assert.doesNotMatch(r.text, /404/);
    assert.equal(r.headers.get('preference-applied'), 'return=minimal');
  });
});
