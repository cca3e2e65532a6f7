// macOS Calendar (CalendarAgent 10.9/10.11 and dataaccessd on macOS 13+): Apple's own recorded
// bodies (ccs-calendarserver simulator, byte-identical to wire captures) in Apple's order: well-known,
// principal, OPTIONS, home poll, home sync, calendar sync without sync-level, multiget; then a change
// and a re-sync (quirks Q01, Q06, Q09–Q11, Q20, Q31, Q32).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appleIcal, caldav, calserver, dav } from '../../../src/dav/xml/names.ts';
import { hrefsIn, textOf } from '../../support/xml-assert.ts';
import { assertAppleSchedulingPrincipal } from '../support/apple-principal.ts';
import { resourceTypes, supportedReports, thunderbirdWritable } from '../support/client-parsers.ts';
import { event } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const CALENDAR_AGENT = 'Mac+OS+X/10.11.1 (15B42) CalendarAgent/361';
const MAVERICKS = 'Mac_OS_X/10.9 (13A476u) CalendarAgent/157.1';
const VENTURA = 'macOS/13.1 (22C65) dataaccessd/1.0';
const APPLE = { 'Content-Type': 'text/xml', Accept: '*/*' };
const MINIMAL = { Brief: 't', Prefer: 'return=minimal' };
const HOME = '/dav/calendars/alice/';
const CAL = '/dav/calendars/alice/calendar/';

const token = (text: string): string => {
  const all = [...text.matchAll(/<d:sync-token>([^<]*)<\/d:sync-token>/g)];
  assert.ok(all.length > 0, 'no sync-token');
  return all[all.length - 1][1];
};

describe('macOS Calendar: discovery', () => {
  for (const [ua, prefer] of [
    [CALENDAR_AGENT, 'return=minimal'],
    [MAVERICKS, 'return-minimal'],
    [VENTURA, 'return=minimal'],
  ]) {
    it(`${ua}: well-known, principal (Prefer: ${prefer}), OPTIONS, home poll`, async () => {
      const s = await startSession({ userAgent: ua, headers: APPLE });
      // Well-known PROPFIND is answered directly (Q01): no redirect to follow.
      const wk = await s.send('PROPFIND', '/.well-known/caldav', {
        body: fixture('apple-ios-01-wellknown-propfind.xml'),
        headers: { Depth: '0', ...MINIMAL },
      });
      assert.equal(wk.headers.get('preference-applied'), 'return=minimal');
      assert.match(wk.headers.get('vary') ?? '', /Brief/);
      assert.match(wk.headers.get('dav') ?? '', /calendar-access/, 'iCal reads DAV: on PROPFIND answers (Q09)');
      const root = responseFor(multistatus(wk), '/.well-known/caldav');
      assert.deepEqual(hrefsIn(found(root, dav('current-user-principal'))), ['/dav/principals/alice/']);
      assert.ok(![...root.props.values()].some((p) => p.status === 404), 'minimal: no 404 propstat');

      // The 743-byte principal PROPFIND, with the legacy draft spelling on 10.9 (Q11).
      const p = await s.send('PROPFIND', '/dav/principals/alice/', {
        body: fixture('apple-calendaragent-02-principal-propfind.xml'),
        headers: { Depth: '0', Brief: 't', Prefer: prefer },
      });
      const principal = responseFor(multistatus(p), '/dav/principals/alice/');
      assert.deepEqual(hrefsIn(found(principal, caldav('calendar-home-set'))), [HOME], 'one home, trailing slash');
      const addresses = found(principal, caldav('calendar-user-address-set'));
      assert.deepEqual(hrefsIn(addresses), ['mailto:alice@example.com']);
      assert.equal(addresses.children.find((c) => typeof c !== 'string')?.attrs['{}preferred'], '1');
      assert.deepEqual(hrefsIn(found(principal, dav('principal-URL'))), ['/dav/principals/alice/']);
      assert.equal(textOf(found(principal, dav('displayname'))), 'Alice Example');
      assert.ok(![...principal.props.values()].some((x) => x.status === 404), 'Brief: t drops unknown properties');
      // schedule-inbox-URL, schedule-outbox-URL and CS:email-address-set come back 200 with values,
      // and the boxes they name answer PROPFIND (Q06, RFC 6638 §2.1/§2.2).
      await assertAppleSchedulingPrincipal(s, principal, { ...APPLE, Brief: 't', Prefer: prefer });

      const opt = await s.send('OPTIONS', '/dav/principals/alice/');
      assert.equal(opt.status, 200);
      assert.match(opt.headers.get('allow') ?? '', /PROPFIND/, 'iOS reset the connection on Allow: GET,HEAD');

      // The ~40-property home poll, Depth: 1.
      const poll = await s.send('PROPFIND', HOME, {
        body: fixture('apple-calendaragent-03-home-depth1-propfind.xml'),
        headers: { Depth: '1' },
      });
      const ms = multistatus(poll);
      const home = responseFor(ms, HOME);
      assert.ok(found(home, calserver('getctag')), 'getctag on the home too (Stalwart: "to make iOS happy")');
      assert.ok(supportedReports(found(home, dav('supported-report-set'))).includes(dav('sync-collection')), 'Q10');
      const cal = responseFor(ms, CAL);
      assert.deepEqual(resourceTypes(found(cal, dav('resourcetype'))), [dav('collection'), caldav('calendar')].sort());
      assert.ok(found(cal, calserver('getctag')));
      assert.ok(found(cal, dav('sync-token')));
      assert.ok(thunderbirdWritable(found(cal, dav('current-user-privilege-set'))));
      assert.equal(
        found(cal, caldav('supported-calendar-component-set')).children.filter((c) => typeof c !== 'string').length,
        2,
      );
    });
  }
});

describe('macOS Calendar: first sync, change, re-sync', () => {
  it('colour PROPPATCH, home sync, calendar sync without sync-level, multiget, PUT, re-sync', async () => {
    const s = await startSession({ userAgent: CALENDAR_AGENT, headers: APPLE });
    await s.server('PUT', `${CAL}event-1.ics`, {
      body: event({ uid: 'event-1' }),
      headers: { 'Content-Type': 'text/calendar' },
    });

    // Colours: a stored #RRGGBB is served with an alpha (Q06); Apple's own #RRGGBBAA round-trips.
    await s.server('PROPPATCH', CAL, {
      body: '<d:propertyupdate xmlns:d="DAV:" xmlns:i="http://apple.com/ns/ical/"><d:set><d:prop><i:calendar-color>#3366CC</i:calendar-color></d:prop></d:set></d:propertyupdate>',
    });
    const colourBody =
      '<A:propfind xmlns:A="DAV:"><A:prop><D:calendar-color xmlns:D="http://apple.com/ns/ical/"/></A:prop></A:propfind>';
    const c1 = multistatus(await s.send('PROPFIND', CAL, { body: colourBody, headers: { Depth: '0' } }));
    assert.equal(textOf(found(responseFor(c1, CAL), appleIcal('calendar-color'))), '#3366CCFF');
    const pp = await s.send('PROPPATCH', CAL, { body: fixture('apple-calendaragent-07-calendar-color-proppatch.xml') });
    assert.equal(
      found(responseFor(multistatus(pp), CAL), appleIcal('calendar-color')).name,
      appleIcal('calendar-color'),
    );
    const c2 = multistatus(await s.send('PROPFIND', CAL, { body: colourBody, headers: { Depth: '0' } }));
    assert.equal(textOf(found(responseFor(c2, CAL), appleIcal('calendar-color'))), '#FD8208FF');
    const other = multistatus(await s.server('PROPFIND', CAL, { body: colourBody, headers: { Depth: '0' } }));
    assert.equal(textOf(found(responseFor(other, CAL), appleIcal('calendar-color'))), '#FD8208FF', 'stored as sent');

    // Home sync (initial token), as the 10.11 simulator polls.
    const hs = await s.send('REPORT', HOME, {
      body: fixture('apple-calendaragent-04-home-sync-collection.xml'),
      headers: { Depth: '1' },
    });
    const homeTok = token(hs.text);
    const calInHome = responseFor(multistatus(hs), CAL);
    assert.ok(found(calInHome, calserver('getctag')));
    assert.equal(textOf(found(calInHome, dav('displayname'))), 'Calendar');

    // Calendar sync without <sync-level> (OS X 10.7 habit, Q20), initial token.
    const noLevel = fixture('apple-calendaragent-05-calendar-sync-collection-no-sync-level.xml');
    const first = await s.send('REPORT', CAL, {
      body: noLevel.replace('http://example.invalid/sync/42', ''),
      headers: { Depth: '1' },
    });
    const calTok = token(first.text);
    const e1 = responseFor(multistatus(first), `${CAL}event-1.ics`);
    assert.match(textOf(found(e1, dav('getetag'))), /^"[^"]+"$/, 'strong, quoted ETag');

    const mgBody = fixture('apple-calendaragent-06-calendar-multiget.xml')
      .replace('/calendars/user01/calendar/event-1.ics', `${CAL}event-1.ics`)
      .replace('/calendars/user01/calendar/event-2.ics', `${CAL}event-2.ics`);
    const mg = multistatus(await s.send('REPORT', CAL, { body: mgBody }));
    assert.match(textOf(found(responseFor(mg, `${CAL}event-1.ics`), caldav('calendar-data'))), /UID:event-1/);
    assert.equal(responseFor(mg, `${CAL}event-2.ics`).status, 404);

    // A change from the Mac: VCALENDAR-level access class (Q31) and a placeholder alarm (Q32).
    const put = await s.send('PUT', `${CAL}mac-new.ics`, {
      body: event({
        uid: 'mac-new',
        calendarExtra: ['X-CALENDARSERVER-ACCESS:CONFIDENTIAL'],
        extra: [
          'BEGIN:VALARM',
          'ACTION:NONE',
          'TRIGGER;VALUE=DATE-TIME:19760401T005545Z',
          'X-APPLE-DEFAULT-ALARM:TRUE',
          'END:VALARM',
        ],
      }),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('etag'), null, 'the stored bytes differ from the sent ones (Q19)');
    const stored = (await s.server('GET', `${CAL}mac-new.ics`)).text;
    assert.match(stored, /CLASS:CONFIDENTIAL/);
    assert.match(stored, /X-CALENDARSERVER-ACCESS:CONFIDENTIAL/);
    assert.doesNotMatch(stored, /19760401T005545Z/);
    await s.server('PUT', `${CAL}event-1.ics`, {
      body: event({ uid: 'event-1', summary: 'Moved' }),
      headers: { 'Content-Type': 'text/calendar' },
    });

    // Re-sync: the home reports the calendar as changed; the calendar reports both events.
    const hs2 = multistatus(
      await s.send('REPORT', HOME, {
        body: fixture('apple-calendaragent-04-home-sync-collection.xml').replace(
          '<A:sync-token></A:sync-token>',
          `<A:sync-token>${homeTok}</A:sync-token>`,
        ),
        headers: { Depth: '1' },
      }),
    );
    assert.deepEqual(
      hs2.responses.map((r) => r.href),
      [CAL],
    );
    const again = multistatus(
      await s.send('REPORT', CAL, {
        body: noLevel.replace('http://example.invalid/sync/42', calTok),
        headers: { Depth: '1' },
      }),
    );
    assert.deepEqual(again.responses.map((r) => r.href).sort(), [`${CAL}event-1.ics`, `${CAL}mac-new.ics`]);

    // A token from another server: 403 valid-sync-token (Apple restarts with an empty token).
    const bad = await s.send('REPORT', CAL, { body: noLevel, headers: { Depth: '1' } });
    assert.equal(bad.status, 403);
    assert.match(bad.text, /valid-sync-token/);
  });
});
