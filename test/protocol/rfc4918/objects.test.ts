// RFC 4918 §9.4 GET, §9.6 DELETE, §9.7 PUT, §10.1 OPTIONS; RFC 7232 conditional requests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, ICS } from '../../support/app.ts';

const CAL = '/dav/calendars/alice/calendar';

describe('RFC 4918 §10.1 OPTIONS', () => {
  it('advertises exactly the DAV classes that work, no class 2', async () => {
    const t = await createTestApp();
    const r = await t.request('OPTIONS', '/dav/');
    assert.equal(r.status, 200);
    assert.equal(
      r.headers.get('dav'),
      '1, 3, access-control, calendar-access, calendar-no-timezone, addressbook, extended-mkcol',
    );
    assert.match(r.headers.get('allow') ?? '', /REPORT/);
    assert.doesNotMatch(r.headers.get('allow') ?? '', /LOCK/);
  });
});

describe('RFC 4918 §9.7 PUT / §9.4 GET / §9.6 DELETE', () => {
  it('PUT creates (201), replaces (204), GET returns the same bytes with the same ETag', async () => {
    const t = await createTestApp();
    const c = await t.request('PUT', `${CAL}/a.ics`, { body: ICS('a'), headers: { 'Content-Type': 'text/calendar' } });
    assert.equal(c.status, 201);
    const etag1 = c.headers.get('etag');
    assert.match(etag1 ?? '', /^"[^"]+"$/);
    const g = await t.request('GET', `${CAL}/a.ics`);
    assert.equal(g.status, 200);
    assert.equal(g.text, ICS('a'));
    assert.equal(g.headers.get('etag'), etag1);
    assert.match(g.headers.get('content-type') ?? '', /^text\/calendar/);
    const u = await t.request('PUT', `${CAL}/a.ics`, {
      body: ICS('a', 'Changed'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal(u.status, 204);
    assert.notEqual(u.headers.get('etag'), etag1);
    const h = await t.request('HEAD', `${CAL}/a.ics`);
    assert.equal(h.status, 200);
    assert.equal(h.text, '');
    assert.equal(h.headers.get('etag'), u.headers.get('etag'));
  });

  it('ETags are stable while content is unchanged', async () => {
    const t = await createTestApp();
    const a = await t.request('PUT', `${CAL}/s.ics`, { body: ICS('s'), headers: { 'Content-Type': 'text/calendar' } });
    const b = await t.request('PUT', `${CAL}/s.ics`, { body: ICS('s'), headers: { 'Content-Type': 'text/calendar' } });
    assert.equal(a.headers.get('etag'), b.headers.get('etag'));
  });

  it('RFC 7232 §3.2: If-None-Match: * on an existing object is 412 and changes nothing', async () => {
    const t = await createTestApp();
    await t.request('PUT', `${CAL}/n.ics`, { body: ICS('n'), headers: { 'Content-Type': 'text/calendar' } });
    const r = await t.request('PUT', `${CAL}/n.ics`, {
      body: ICS('n', 'Other'),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(r.status, 412);
    assert.equal((await t.request('GET', `${CAL}/n.ics`)).text, ICS('n'));
  });

  it('RFC 7232 §3.1: If-Match with a stale ETag is 412; with the current one the write lands', async () => {
    const t = await createTestApp();
    const c = await t.request('PUT', `${CAL}/m.ics`, { body: ICS('m'), headers: { 'Content-Type': 'text/calendar' } });
    const stale = await t.request('PUT', `${CAL}/m.ics`, {
      body: ICS('m', 'X'),
      headers: { 'Content-Type': 'text/calendar', 'If-Match': '"nope"' },
    });
    assert.equal(stale.status, 412);
    const ok = await t.request('PUT', `${CAL}/m.ics`, {
      body: ICS('m', 'X'),
      headers: { 'Content-Type': 'text/calendar', 'If-Match': c.headers.get('etag')! },
    });
    assert.equal(ok.status, 204);
    const delStale = await t.request('DELETE', `${CAL}/m.ics`, { headers: { 'If-Match': c.headers.get('etag')! } });
    assert.equal(delStale.status, 412);
  });

  it('DELETE removes an object (204), then GET is 404 and a second DELETE is 404', async () => {
    const t = await createTestApp();
    await t.request('PUT', `${CAL}/d.ics`, { body: ICS('d'), headers: { 'Content-Type': 'text/calendar' } });
    assert.equal((await t.request('DELETE', `${CAL}/d.ics`)).status, 204);
    assert.equal((await t.request('GET', `${CAL}/d.ics`)).status, 404);
    assert.equal((await t.request('DELETE', `${CAL}/d.ics`)).status, 404);
  });

  it('§9.7.1: PUT below a missing collection is 409', async () => {
    const t = await createTestApp();
    const r = await t.request('PUT', '/dav/calendars/alice/nope/x.ics', {
      body: ICS('x'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal(r.status, 409);
  });

  it("a user cannot read or write another user's calendar", async () => {
    const t = await createTestApp();
    await t.request('PUT', '/dav/calendars/bob/calendar/b.ics', {
      body: ICS('b'),
      user: 'bob',
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal((await t.request('GET', '/dav/calendars/bob/calendar/b.ics')).status, 404);
    assert.equal((await t.request('PUT', '/dav/calendars/bob/calendar/c.ics', { body: ICS('c') })).status, 404);
    assert.equal((await t.request('DELETE', '/dav/calendars/bob/calendar/b.ics')).status, 404);
    assert.equal((await t.request('GET', '/dav/calendars/bob/calendar/b.ics', { user: 'bob' })).status, 200);
  });

  it('a body over the configured limit is 413', async () => {
    const t = await createTestApp({ limits: { maxBodySize: 1000 } });
    const r = await t.request('PUT', `${CAL}/big.ics`, {
      body: 'x'.repeat(5000),
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal(r.status, 413);
  });
});

describe('RFC 4791 §5.3.2.1 on PUT', () => {
  it('replacing an object with a different UID is 403 no-uid-conflict; the stored object is unchanged', async () => {
    const t = await createTestApp();
    await t.request('PUT', `${CAL}/u.ics`, { body: ICS('uid-1'), headers: { 'Content-Type': 'text/calendar' } });
    const r = await t.request('PUT', `${CAL}/u.ics`, {
      body: ICS('uid-2'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal(r.status, 403);
    assert.match(r.text, /no-uid-conflict/);
    assert.equal((await t.request('GET', `${CAL}/u.ics`)).text, ICS('uid-1'));
  });

  it('a PUT with a non-calendar media type into a calendar is 403 supported-calendar-data', async () => {
    const t = await createTestApp();
    const r = await t.request('PUT', `${CAL}/img.ics`, { body: ICS('img'), headers: { 'Content-Type': 'image/png' } });
    assert.equal(r.status, 403);
    assert.match(r.text, /supported-calendar-data/);
  });

  it('invalid iCalendar is 403 valid-calendar-data and a VJOURNAL in a VEVENT/VTODO calendar is supported-calendar-component', async () => {
    const t = await createTestApp();
    const bad = await t.request('PUT', `${CAL}/bad.ics`, {
      body: 'BEGIN:VCALENDAR\r\nnot ical\r\n',
      headers: { 'Content-Type': 'text/calendar' },
    });
    assert.equal(bad.status, 403);
    assert.match(bad.text, /valid-calendar-data/);
    const journal = ICS('j')
      .replace(/VEVENT/g, 'VJOURNAL')
      .replace(/DTEND:[^\r]*\r\n/, '');
    const j = await t.request('PUT', `${CAL}/j.ics`, { body: journal, headers: { 'Content-Type': 'text/calendar' } });
    assert.equal(j.status, 403);
    assert.match(j.text, /supported-calendar-component/);
  });
});
