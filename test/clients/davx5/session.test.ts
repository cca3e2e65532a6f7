// DAVx5 4.3 (dav4jvm/okhttp): service detection as DavResourceFinder does it, capabilities
// PROPFIND, sync-collection with Depth: 0, multiget, uploads with If-None-Match/If-Match, re-sync
// (quirks Q03, Q12, Q20, Q21, Q23, Q24, Q33).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, calserver, carddav, dav } from '../../../src/dav/xml/names.ts';
import { elements, hrefsIn, textOf } from '../../support/xml-assert.ts';
import { davx5ProvidesService, resourceTypes, supportedReports } from '../support/client-parsers.ts';
import { card, event } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'DAVx5/4.3.16-gplay (2024/04/14; dav4jvm; okhttp/4.12.0) Android/14';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';

const syncBody = (token: string, extra = '') =>
  `<?xml version='1.0' encoding='UTF-8' ?><sync-collection xmlns="DAV:"><sync-token>${token}</sync-token><sync-level>1</sync-level><prop><getetag />${extra}</prop></sync-collection>`;
const token = (t: string) => /<d:sync-token>([^<]+)</.exec(t)?.[1] ?? assert.fail('no sync-token');

describe('DAVx5: service detection', () => {
  it('base URL, well-known, OPTIONS on the principal (service in DAV:), home sets, collections', async () => {
    const s = await startSession({ userAgent: UA, headers: { 'Accept-Encoding': 'identity' } });
    const cup = `<?xml version='1.0' encoding='UTF-8' ?><propfind xmlns="DAV:"><prop><current-user-principal /></prop></propfind>`;
    for (const path of ['/dav/', '/.well-known/caldav', '/.well-known/carddav']) {
      const r = multistatus(await s.send('PROPFIND', path, { body: cup, headers: { Depth: '0', ...XML } }));
      assert.deepEqual(hrefsIn(found(responseFor(r, path), dav('current-user-principal'))), ['/dav/principals/alice/']);
    }
    const opt = await s.send('OPTIONS', '/dav/principals/alice/');
    assert.ok(davx5ProvidesService(opt.headers.get('dav'), 'calendar-access'));
    assert.ok(davx5ProvidesService(opt.headers.get('dav'), 'addressbook'));
    const p = multistatus(
      await s.send('PROPFIND', '/dav/principals/alice/', {
        body: `<propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><prop><CAL:calendar-home-set /><CARD:addressbook-home-set /><displayname /></prop></propfind>`,
        headers: { Depth: '0', ...XML },
      }),
    );
    const principal = responseFor(p, '/dav/principals/alice/');
    assert.deepEqual(hrefsIn(found(principal, caldav('calendar-home-set'))), ['/dav/calendars/alice/']);
    assert.deepEqual(hrefsIn(found(principal, carddav('addressbook-home-set'))), ['/dav/addressbooks/alice/']);
    const homes = multistatus(
      await s.send('PROPFIND', '/dav/calendars/alice/', {
        body: `<propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:n1="http://apple.com/ns/ical/"><prop><resourcetype /><displayname /><current-user-privilege-set /><n1:calendar-color /><CAL:calendar-description /><CAL:supported-calendar-component-set /><CAL:calendar-timezone /></prop></propfind>`,
        headers: { Depth: '1', ...XML },
      }),
    );
    assert.ok(resourceTypes(found(responseFor(homes, CAL), dav('resourcetype'))).includes(caldav('calendar')));
  });
});

describe('DAVx5: calendar sync', () => {
  it('capabilities, sync-collection (Depth 0), multiget, create, update, re-sync, invalid token', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${CAL}team.ics`, {
      body: event({
        uid: 'team',
        extra: [
          'ORGANIZER:mailto:bob@example.com',
          'ATTENDEE;CUTYPE=GROUP;PARTSTAT=NEEDS-ACTION:mailto:team@example.com',
        ],
      }),
      headers: { 'Content-Type': 'text/calendar' },
    });
    const caps = multistatus(
      await s.send('PROPFIND', CAL, {
        body: `<?xml version='1.0' encoding='UTF-8' ?><propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><CAL:supported-calendar-component-set /><supported-report-set /><n0:getctag xmlns:n0="http://calendarserver.org/ns/" /><sync-token /></prop></propfind>`,
        headers: { Depth: '0', ...XML },
      }),
    );
    const c = responseFor(caps, CAL);
    assert.ok(
      supportedReports(found(c, dav('supported-report-set'))).includes(dav('sync-collection')),
      'DAVx5 then uses WebDAV sync',
    );
    assert.ok(found(c, calserver('getctag')));

    const first = await s.send('REPORT', CAL, { body: syncBody(''), headers: { Depth: '0', ...XML } });
    const t1 = token(first.text);
    const etag = textOf(found(responseFor(multistatus(first), `${CAL}team.ics`), dav('getetag')));
    assert.match(etag, /^"[^"]+"$/, 'quoted, strong (dav4jvm strips W/)');
    const mg = multistatus(
      await s.send('REPORT', CAL, {
        body: `<?xml version='1.0' encoding='UTF-8' ?><CAL:calendar-multiget xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><getetag /><CAL:calendar-data /></prop><href>${CAL}team.ics</href></CAL:calendar-multiget>`,
        headers: XML,
      }),
    );
    const data = textOf(found(responseFor(mg, `${CAL}team.ics`), caldav('calendar-data')));
    assert.match(data, /ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION:mailto:team@example\.com/, 'Q33');
    assert.match((await s.server('GET', `${CAL}team.ics`)).text, /CUTYPE=GROUP/, 'stored unchanged');
    // DAVx5 writes the event back as it holds it (INDIVIDUAL): the group survives.
    const back = await s.send('PUT', `${CAL}team.ics`, {
      body: data.replace('SUMMARY:Planning', 'SUMMARY:Planning (moved)'),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': etag },
    });
    assert.equal(back.status, 204);
    const kept = (await s.server('GET', `${CAL}team.ics`)).text;
    assert.match(kept, /ATTENDEE;CUTYPE=GROUP;PARTSTAT=NEEDS-ACTION:mailto:team@example\.com/);
    assert.match(kept, /SUMMARY:Planning \(moved\)/);

    const created = await s.send('PUT', `${CAL}f3a1c2.ics`, {
      body: event({ uid: 'f3a1c2', prodid: '+//IDN bitfire.at//ical4android' }),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
    });
    assert.equal(created.status, 201);
    assert.ok(created.headers.get('etag'), 'remember the returned ETag (davx5-manual)');
    const updated = await s.send('PUT', `${CAL}f3a1c2.ics`, {
      body: event({ uid: 'f3a1c2', summary: 'Renamed', prodid: '+//IDN bitfire.at//ical4android' }),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': created.headers.get('etag') ?? '' },
    });
    assert.equal(updated.status, 204);
    const stale = await s.send('PUT', `${CAL}f3a1c2.ics`, {
      body: event({ uid: 'f3a1c2', summary: 'Lost update' }),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': created.headers.get('etag') ?? '' },
    });
    assert.equal(stale.status, 412);

    const again = multistatus(await s.send('REPORT', CAL, { body: syncBody(t1), headers: { Depth: '0', ...XML } }));
    assert.deepEqual(again.responses.map((r) => r.href).sort(), [`${CAL}f3a1c2.ics`, `${CAL}team.ics`]);

    const bad = await s.send('REPORT', CAL, {
      body: syncBody('http://example.invalid/sync/42'),
      headers: { Depth: '0', ...XML },
    });
    assert.equal(bad.status, 403);
    assert.match(bad.text, /valid-sync-token/, 'DAVx5 restarts only when the body names valid-sync-token (Q21)');
  });
});

describe('DAVx5: contacts sync', () => {
  it('capabilities advertise vCard 4, group members normalised to urn:uuid:, UID prefix kept, re-sync', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${BOOK}anna.vcf`, {
      body: card({ uid: 'urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1', fn: 'Anna Berg', version: '4.0' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const caps = multistatus(
      await s.send('PROPFIND', BOOK, {
        body: fixture('davdroid-01-collection-capabilities-propfind.xml'),
        headers: { Depth: '0', ...XML },
      }),
    );
    const sad = found(responseFor(caps, BOOK), carddav('supported-address-data'));
    assert.ok(
      elements(sad).some((e) => e.attrs['{}version'] === '4.0'),
      'DAVx5 asks for vCard 4 only when 4.0 is listed (Q23)',
    );
    const first = await s.send('REPORT', BOOK, { body: syncBody(''), headers: { Depth: '0', ...XML } });
    const t1 = token(first.text);

    // A group as DAVx5 writes it (vCard 4 KIND/MEMBER); a bare member UID is made a urn:uuid: URI.
    const group = card({
      uid: 'grp-1',
      fn: 'Friends Group',
      version: '4.0',
      extra: ['KIND:group', 'MEMBER:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1', 'MEMBER:7d0e5b4c-bare-uid'],
    });
    const put = await s.send('PUT', `${BOOK}grp-1.vcf`, {
      body: group,
      headers: { 'Content-Type': 'text/vcard; charset=utf-8', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('etag'), null, 'normalised on the way in: no ETag (Q19)');
    const stored = (await s.server('GET', `${BOOK}grp-1.vcf`)).text;
    assert.match(stored, /MEMBER:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1/);
    assert.match(stored, /MEMBER:urn:uuid:7d0e5b4c-bare-uid/);

    // DAVx5 strips urn:uuid: from the UID it re-uploads: the stored UID stays (Q24).
    const annaEtag = (await s.server('GET', `${BOOK}anna.vcf`)).headers.get('etag') ?? '';
    const edit = await s.send('PUT', `${BOOK}anna.vcf`, {
      body: card({ uid: '4fbe8971-0bc3-424c-9c26-36c3e1eff6b1', fn: 'Anna Berg-Lind', version: '4.0' }),
      headers: { 'Content-Type': 'text/vcard; charset=utf-8', 'If-Match': annaEtag },
    });
    assert.equal(edit.status, 204);
    const anna = (await s.server('GET', `${BOOK}anna.vcf`)).text;
    assert.match(anna, /UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1/);
    assert.match(anna, /FN:Anna Berg-Lind/);

    const again = multistatus(await s.send('REPORT', BOOK, { body: syncBody(t1), headers: { Depth: '0', ...XML } }));
    assert.deepEqual(again.responses.map((r) => r.href).sort(), [`${BOOK}anna.vcf`, `${BOOK}grp-1.vcf`]);
    const mg = multistatus(
      await s.send('REPORT', BOOK, {
        body: `<CARD:addressbook-multiget xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><prop><getetag /><CARD:address-data content-type="text/vcard" version="4.0" /></prop><href>${BOOK}grp-1.vcf</href></CARD:addressbook-multiget>`,
        headers: XML,
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${BOOK}grp-1.vcf`), carddav('address-data'))), /KIND:group/);
  });
});
