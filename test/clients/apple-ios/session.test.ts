// iOS 18 (dataaccessd) Calendar and Contacts, iOS Reminders (remindd): the captured discovery order
// (emersion/go-webdav#150: well-known → principal → OPTIONS → principal properties → home), sync,
// change, re-sync; contacts in vCard 3.0 with Apple groups whatever was stored (quirks Q06, Q11, Q23–Q25, Q35).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, carddav, dav } from '../../../src/dav/xml/names.ts';
import { elements, hrefsIn, textOf } from '../../support/xml-assert.ts';
import { assertAppleSchedulingPrincipal } from '../support/apple-principal.ts';
import { card, event } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'iOS/18.1.1 (22B91) dataaccessd/1.0';
const REMINDERS = 'iOS/15.0.1 remindd/1.0';
const IOS = { 'Content-Type': 'text/xml', Accept: '*/*', 'Accept-Encoding': 'gzip, deflate, br', Connection: 'close' };
const MINIMAL = { Brief: 't', Prefer: 'return=minimal' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';

const token = (t: string) =>
  /<d:sync-token>([^<]+)<\/d:sync-token>\s*<\/d:multistatus>/.exec(t)?.[1] ?? assert.fail('no token');

describe('iOS 18: discovery as captured', () => {
  it('well-known and principal with the 181-byte body, OPTIONS, the 743-byte body, home Depth 1', async () => {
    const s = await startSession({ userAgent: UA, headers: IOS });
    const small = fixture('apple-ios-01-wellknown-propfind.xml');
    assert.equal(Buffer.byteLength(small), 181, 'the captured Content-Length');
    for (const path of ['/.well-known/caldav', '/dav/principals/alice/']) {
      const r = await s.send('PROPFIND', path, { body: small, headers: { Depth: '0', ...MINIMAL } });
      const resp = responseFor(multistatus(r), path);
      assert.deepEqual(hrefsIn(found(resp, dav('current-user-principal'))), ['/dav/principals/alice/']);
    }
    const opt = await s.send('OPTIONS', '/dav/principals/alice/');
    assert.equal(opt.status, 200);
    assert.match(opt.headers.get('allow') ?? '', /REPORT/);
    const big = fixture('apple-calendaragent-02-principal-propfind.xml');
    assert.equal(Buffer.byteLength(big), 743);
    const p = multistatus(
      await s.send('PROPFIND', '/dav/principals/alice/', { body: big, headers: { Depth: '0', ...MINIMAL } }),
    );
    const principal = responseFor(p, '/dav/principals/alice/');
    assert.deepEqual(hrefsIn(found(principal, caldav('calendar-home-set'))), ['/dav/calendars/alice/']);
    assert.ok(![...principal.props.values()].some((x) => x.status === 404), 'Brief: t, nothing unknown left but 404s');
    await assertAppleSchedulingPrincipal(s, principal, { ...IOS, ...MINIMAL });
    const home = multistatus(
      await s.send('PROPFIND', '/dav/calendars/alice/', {
        body: fixture('apple-calendaragent-03-home-depth1-propfind.xml'),
        headers: { Depth: '1', ...MINIMAL },
      }),
    );
    for (const r of home.responses) assert.ok(r.props.size > 0, `${r.href}: at least one propstat under Brief: t`);
    assert.ok(home.byHref.has(CAL));
  });

  it('Reminders finds task lists by supported-calendar-component-set (Q35)', async () => {
    const s = await startSession({ userAgent: REMINDERS, headers: IOS });
    await s.server('MKCALENDAR', '/dav/calendars/alice/tasks/', {
      body: '<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>Tasks</d:displayname><c:supported-calendar-component-set><c:comp name="VTODO"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>',
    });
    const home = multistatus(
      await s.send('PROPFIND', '/dav/calendars/alice/', {
        body: '<A:propfind xmlns:A="DAV:"><A:prop><A:resourcetype/><B:supported-calendar-component-set xmlns:B="urn:ietf:params:xml:ns:caldav"/></A:prop></A:propfind>',
        headers: { Depth: '1', ...MINIMAL },
      }),
    );
    const comps = (href: string) =>
      elements(found(responseFor(home, href), caldav('supported-calendar-component-set'))).map(
        (c) => c.attrs['{}name'],
      );
    assert.deepEqual(comps('/dav/calendars/alice/tasks/'), ['VTODO']);
    assert.deepEqual(comps(CAL).sort(), ['VEVENT', 'VTODO']);
  });
});

describe('iOS 18: calendar and contacts sync', () => {
  it('calendar: sync-collection, multiget, create, server change, re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: IOS });
    await s.server('PUT', `${CAL}standup.ics`, {
      body: event({ uid: 'standup' }),
      headers: { 'Content-Type': 'text/calendar' },
    });
    const sync = (t: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<A:sync-collection xmlns:A="DAV:"><A:sync-token>${t}</A:sync-token><A:sync-level>1</A:sync-level><A:prop><A:getetag/><A:getcontenttype/></A:prop></A:sync-collection>`;
    const first = await s.send('REPORT', CAL, { body: sync(''), headers: { Depth: '1', ...MINIMAL } });
    const t1 = token(first.text);
    assert.ok(multistatus(first).byHref.has(`${CAL}standup.ics`));
    const mg = fixture('apple-calendaragent-06-calendar-multiget.xml')
      .replace('/calendars/user01/calendar/event-1.ics', `${CAL}standup.ics`)
      .replace(/\s*<A:href xmlns:A="DAV:">\/calendars\/user01\/calendar\/event-2\.ics<\/A:href>/, '');
    const got = multistatus(await s.send('REPORT', CAL, { body: mg, headers: MINIMAL }));
    const standup = responseFor(got, `${CAL}standup.ics`);
    assert.match(textOf(found(standup, caldav('calendar-data'))), /UID:standup/);
    assert.equal(standup.props.has(caldav('schedule-tag')), false, 'Brief: t drops the unknown schedule-tag');

    const put = await s.send('PUT', `${CAL}3B6C2D1E.ics`, {
      body: event({ uid: '3B6C2D1E', prodid: '-//Apple Inc.//iPhone OS 18.1.1//EN' }),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    await s.server('DELETE', `${CAL}standup.ics`);
    const again = multistatus(await s.send('REPORT', CAL, { body: sync(t1), headers: { Depth: '1', ...MINIMAL } }));
    assert.equal(responseFor(again, `${CAL}standup.ics`).status, 404);
    assert.ok(responseFor(again, `${CAL}3B6C2D1E.ics`).props.get(dav('getetag')));
  });

  it('contacts: every book listed (no aggregation on iOS), vCard 4 groups served as vCard 3 Apple groups', async () => {
    const s = await startSession({ userAgent: UA, headers: IOS });
    await s.server('MKCOL', '/dav/addressbooks/alice/work/', {
      body: '<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>',
    });
    const home = multistatus(
      await s.send('PROPFIND', '/dav/addressbooks/alice/', {
        body: '<A:propfind xmlns:A="DAV:"><A:prop><A:resourcetype/><A:displayname/></A:prop></A:propfind>',
        headers: { Depth: '1', ...MINIMAL },
      }),
    );
    assert.deepEqual(home.responses.map((r) => r.href).sort(), [
      '/dav/addressbooks/alice/',
      BOOK,
      '/dav/addressbooks/alice/work/',
    ]);

    await s.server('PUT', `${BOOK}ann.vcf`, {
      body: card({ uid: 'ann', fn: 'Ann Lee', version: '4.0' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    await s.server('PUT', `${BOOK}friends.vcf`, {
      body: card({ uid: 'friends', fn: 'Friends', version: '4.0', extra: ['KIND:group', 'MEMBER:urn:uuid:ann'] }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const mg = multistatus(
      await s.send('REPORT', BOOK, {
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<B:addressbook-multiget xmlns:B="urn:ietf:params:xml:ns:carddav"><A:prop xmlns:A="DAV:"><A:getetag/><B:address-data/></A:prop><A:href xmlns:A="DAV:">${BOOK}ann.vcf</A:href><A:href xmlns:A="DAV:">${BOOK}friends.vcf</A:href></B:addressbook-multiget>`,
        headers: MINIMAL,
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${BOOK}ann.vcf`), carddav('address-data'))), /VERSION:3\.0/);
    const group = textOf(found(responseFor(mg, `${BOOK}friends.vcf`), carddav('address-data')));
    assert.match(group, /VERSION:3\.0/);
    assert.match(group, /X-ADDRESSBOOKSERVER-KIND:group/);
    assert.match(group, /X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ann/);
  });
});
