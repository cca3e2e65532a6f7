// CalDAV through the whole app (buildApp, memory backend): ingest repairs and the omitted ETag
// (RFC 4791 §5.3.4), Windows and missing time zones (quirks Q26/Q27), RFC 7809 time zones by
// reference, the advertised and enforced limits (§5.2.6–§5.2.9), collations (§7.5), free-busy-query
// (§7.10) and expand (§9.6.5) as a client sees them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp } from '../support/app.ts';

const CAL = '/dav/calendars/alice/calendar/';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';

function vcal(...lines: string[]): string {
  return `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR'].join('\r\n')}\r\n`;
}

const OUTLOOK_TZ = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

function timeRangeQuery(start: string, end: string, extra = '', props = '<D:getetag/>'): string {
  return `<C:calendar-query ${NS}><D:prop>${props}</D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter></C:filter>${extra}</C:calendar-query>`;
}

const hrefs = (xml: string) =>
  [...xml.matchAll(/<(?:\w+:)?href>([^<]*)<\/(?:\w+:)?href>/g)].map((m) => m[1].split('/').pop());
/** A property element with any namespace prefix. */
const prop = (name: string, value: string) => new RegExp(`<(?:\\w+:)?${name}>${value}</(?:\\w+:)?${name}>`);

describe('CalDAV ingest repairs (RFC 4791 §5.3.2, §5.3.4; quirks Q26–Q29)', () => {
  it('an object stored as sent gets its ETag on PUT', async () => {
    const t = await createTestApp();
    const body = vcal(
      'BEGIN:VEVENT',
      'UID:plain',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T100000Z',
      'END:VEVENT',
    );
    const r = await t.request('PUT', `${CAL}plain.ics`, { body, headers: ICS });
    assert.equal(r.status, 201);
    assert.match(r.headers.get('etag') ?? '', /^".+"$/);
  });

  it('Outlook\'s "W. Europe Standard Time" becomes Europe/Berlin with an IANA VTIMEZONE; no ETag on the repaired PUT', async () => {
    const t = await createTestApp();
    const body = vcal(
      ...OUTLOOK_TZ,
      'BEGIN:VEVENT',
      'UID:outlook-1',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID="W. Europe Standard Time":20260316T100000',
      'DTEND;TZID="W. Europe Standard Time":20260316T110000',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'END:VEVENT',
    );
    const r = await t.request('PUT', `${CAL}outlook.ics`, { body, headers: ICS });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('etag'), null, 'repaired: the client must re-fetch (§5.3.4)');
    const got = await t.request('GET', `${CAL}outlook.ics`);
    assert.match(got.text, /DTSTART;TZID=Europe\/Berlin:20260316T100000/);
    assert.match(got.text, /^TZID:Europe\/Berlin\r$/m);
    assert.doesNotMatch(got.text, /W\. Europe Standard Time/);
    // The instance after the DST switch is at 08:00Z (10:00 CEST).
    const q = await t.request('REPORT', CAL, {
      body: timeRangeQuery('20260330T080000Z', '20260330T083000Z'),
      headers: { ...XML, Depth: '1' },
    });
    assert.deepEqual(hrefs(q.text), ['outlook.ics']);
  });

  it('UTF-8 BOM, bare LF, a TZID with a trailing space and a date-only EXDATE are repaired', async () => {
    const t = await createTestApp();
    const lines = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:repairs',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Europe/Vienna :20260601T100000',
      'DTEND;TZID=Europe/Vienna :20260601T110000',
      'RRULE:FREQ=DAILY;COUNT=3',
      'EXDATE;VALUE=DATE:20260602',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ];
    const r = await t.request('PUT', `${CAL}repairs.ics`, { body: `\uFEFF${lines.join('\n')}`, headers: ICS });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('etag'), null);
    const got = await t.request('GET', `${CAL}repairs.ics`);
    assert.ok(!got.text.startsWith('\uFEFF'));
    assert.doesNotMatch(got.text, /[^\r]\n/, 'CRLF only');
    assert.match(got.text, /DTSTART;TZID=Europe\/Vienna:20260601T100000/);
    assert.match(got.text, /EXDATE;TZID=Europe\/Vienna:20260602T100000/);
    assert.match(got.text, /BEGIN:VTIMEZONE\r\nTZID:Europe\/Vienna/);
    const q = await t.request('REPORT', CAL, {
      body: timeRangeQuery('20260602T000000Z', '20260603T000000Z'),
      headers: { ...XML, Depth: '1' },
    });
    assert.deepEqual(hrefs(q.text), [], 'the excluded day has no instance');
  });

  it('a TZID that is neither IANA nor defined in the object → 403 valid-calendar-data', async () => {
    const t = await createTestApp();
    const body = vcal(
      'BEGIN:VEVENT',
      'UID:bad-tz',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Mars/Olympus:20260105T100000',
      'END:VEVENT',
    );
    const r = await t.request('PUT', `${CAL}bad-tz.ics`, { body, headers: ICS });
    assert.equal(r.status, 403);
    assert.match(r.text, /valid-calendar-data/);
  });

  it('§5.2.9/§5.2.6: too many attendees and dates before min-date-time are refused', async () => {
    const t = await createTestApp();
    const attendees = Array.from({ length: 1001 }, (_, i) => `ATTENDEE:mailto:p${i}@example.org`);
    const many = vcal(
      'BEGIN:VEVENT',
      'UID:many',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T100000Z',
      ...attendees,
      'END:VEVENT',
    );
    const r1 = await t.request('PUT', `${CAL}many.ics`, { body: many, headers: ICS });
    assert.equal(r1.status, 403);
    assert.match(r1.text, /max-attendees-per-instance/);
    const old = vcal('BEGIN:VEVENT', 'UID:old', 'DTSTAMP:20260101T000000Z', 'DTSTART:18000105T100000Z', 'END:VEVENT');
    const r2 = await t.request('PUT', `${CAL}old.ics`, { body: old, headers: ICS });
    assert.equal(r2.status, 403);
    assert.match(r2.text, /min-date-time/);
  });
});

describe('RFC 7809 time zones by reference', () => {
  it('§2.1: OPTIONS advertises calendar-no-timezone', async () => {
    const t = await createTestApp();
    const r = await t.request('OPTIONS', CAL);
    assert.match(r.headers.get('dav') ?? '', /calendar-no-timezone/);
  });

  it('§2.2/§3.1: a standard TZID without VTIMEZONE is accepted and completed; CalDAV-Timezones: F leaves it out again', async () => {
    const t = await createTestApp();
    const body = vcal(
      'BEGIN:VEVENT',
      'UID:ny',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=America/New_York:20260704T200000',
      'DURATION:PT2H',
      'END:VEVENT',
    );
    const r = await t.request('PUT', `${CAL}ny.ics`, { body, headers: ICS });
    assert.equal(r.status, 201);
    const full = await t.request('GET', `${CAL}ny.ics`);
    assert.match(full.text, /BEGIN:VTIMEZONE\r\nTZID:America\/New_York/);
    const byRef = await t.request('GET', `${CAL}ny.ics`, { headers: { 'CalDAV-Timezones': 'F' } });
    assert.equal(byRef.status, 200);
    assert.doesNotMatch(byRef.text, /VTIMEZONE/);
    assert.match(byRef.text, /DTSTART;TZID=America\/New_York:20260704T200000/);
    const rep = await t.request('REPORT', CAL, {
      body: timeRangeQuery('20260705T000000Z', '20260705T010000Z', '', '<C:calendar-data/>'),
      headers: { ...XML, Depth: '1', 'CalDAV-Timezones': 'F' },
    });
    assert.match(rep.text, /ny\.ics/);
    assert.doesNotMatch(rep.text, /VTIMEZONE/);
  });

  it('§5.2: calendar-timezone-id set by PROPPATCH, read back with calendar-timezone; unknown ids → valid-timezone', async () => {
    const t = await createTestApp();
    const set = await t.request('PROPPATCH', CAL, {
      body: `<D:propertyupdate ${NS}><D:set><D:prop><C:calendar-timezone-id>America/New_York</C:calendar-timezone-id></D:prop></D:set></D:propertyupdate>`,
      headers: XML,
    });
    assert.equal(set.status, 207);
    assert.match(set.text, /200 OK/);
    const pf = await t.request('PROPFIND', CAL, {
      body: `<D:propfind ${NS}><D:prop><C:calendar-timezone-id/><C:calendar-timezone/></D:prop></D:propfind>`,
      headers: { ...XML, Depth: '0' },
    });
    assert.match(pf.text, prop('calendar-timezone-id', 'America/New_York'));
    assert.match(pf.text, /TZID:America\/New_York/);
    const bad = await t.request('PROPPATCH', CAL, {
      body: `<D:propertyupdate ${NS}><D:set><D:prop><C:calendar-timezone-id>Mars/Olympus</C:calendar-timezone-id></D:prop></D:set></D:propertyupdate>`,
      headers: XML,
    });
    assert.match(bad.text, /403/);
    // A floating event in this calendar is read in New York time (RFC 4791 §7.3).
    const body = vcal(
      'BEGIN:VEVENT',
      'UID:float',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260710T090000',
      'DTEND:20260710T100000',
      'END:VEVENT',
    );
    await t.request('PUT', `${CAL}float.ics`, { body, headers: ICS });
    const hit = await t.request('REPORT', CAL, {
      body: timeRangeQuery('20260710T130000Z', '20260710T133000Z'),
      headers: { ...XML, Depth: '1' },
    });
    assert.deepEqual(hrefs(hit.text), ['float.ics']);
    const miss = await t.request('REPORT', CAL, {
      body: timeRangeQuery('20260710T090000Z', '20260710T100000Z'),
      headers: { ...XML, Depth: '1' },
    });
    assert.deepEqual(hrefs(miss.text), []);
    // §5.3: CALDAV:timezone-id in the query overrides the calendar's zone.
    const utc = await t.request('REPORT', CAL, {
      body: timeRangeQuery('20260710T090000Z', '20260710T100000Z', '<C:timezone-id>UTC</C:timezone-id>'),
      headers: { ...XML, Depth: '1' },
    });
    assert.deepEqual(hrefs(utc.text), ['float.ics']);
  });

  it('MKCALENDAR with calendar-timezone-id; timezone-service-set on the calendar home', async () => {
    const t = await createTestApp();
    const mk = await t.request('MKCALENDAR', '/dav/calendars/alice/vienna/', {
      body: `<C:mkcalendar ${NS}><D:set><D:prop><C:calendar-timezone-id>Europe/Vienna</C:calendar-timezone-id></D:prop></D:set></C:mkcalendar>`,
      headers: XML,
    });
    assert.equal(mk.status, 201);
    const pf = await t.request('PROPFIND', '/dav/calendars/alice/vienna/', {
      body: `<D:propfind ${NS}><D:prop><C:calendar-timezone-id/></D:prop></D:propfind>`,
      headers: { ...XML, Depth: '0' },
    });
    assert.match(pf.text, /Europe\/Vienna/);
    const home = await t.request('PROPFIND', '/dav/calendars/alice/', {
      body: `<D:propfind ${NS}><D:prop><C:timezone-service-set/></D:prop></D:propfind>`,
      headers: { ...XML, Depth: '0' },
    });
    assert.match(home.text, /timezone-service-set/);
    assert.match(home.text, /200 OK/);
  });
});

describe('limits, collations, free-busy and expand (RFC 4791 §5.2, §7.5, §7.10, §9.6.5)', () => {
  it('§5.2.6–§5.2.9 limits and §7.5.1 collations are advertised', async () => {
    const t = await createTestApp();
    const pf = await t.request('PROPFIND', CAL, {
      body: `<D:propfind ${NS}><D:prop><C:min-date-time/><C:max-date-time/><C:max-instances/><C:max-attendees-per-instance/><C:supported-collation-set/></D:prop></D:propfind>`,
      headers: { ...XML, Depth: '0' },
    });
    assert.match(pf.text, prop('min-date-time', '19000101T000000Z'));
    assert.match(pf.text, prop('max-date-time', '21001231T235959Z'));
    assert.match(pf.text, prop('max-instances', '\\d+'));
    assert.match(pf.text, prop('max-attendees-per-instance', '\\d+'));
    for (const c of ['i;ascii-casemap', 'i;octet', 'i;unicode-casemap']) assert.ok(pf.text.includes(c), c);
  });

  it('§7.5: text-match with an unknown collation → 403 supported-collation; i;unicode-casemap folds ß', async () => {
    const t = await createTestApp();
    const body = vcal(
      'BEGIN:VEVENT',
      'UID:strasse',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T100000Z',
      'SUMMARY:Straße',
      'END:VEVENT',
    );
    await t.request('PUT', `${CAL}strasse.ics`, { body, headers: ICS });
    const match = (collation: string, text: string) =>
      `<C:calendar-query ${NS}><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match collation="${collation}">${text}</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
    const bad = await t.request('REPORT', CAL, { body: match('i;klingon', 'x'), headers: { ...XML, Depth: '1' } });
    assert.equal(bad.status, 403);
    assert.match(bad.text, /supported-collation/);
    const uni = await t.request('REPORT', CAL, {
      body: match('i;unicode-casemap', 'STRASSE'),
      headers: { ...XML, Depth: '1' },
    });
    assert.deepEqual(hrefs(uni.text), ['strasse.ics']);
    const octet = await t.request('REPORT', CAL, { body: match('i;octet', 'straße'), headers: { ...XML, Depth: '1' } });
    assert.deepEqual(hrefs(octet.text), []);
  });

  it('§7.10: free-busy-query merges opaque instances; cancelled and transparent instances are free', async () => {
    const t = await createTestApp();
    const body = vcal(
      'BEGIN:VEVENT',
      'UID:fb',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260601T090000Z',
      'DTEND:20260601T100000Z',
      'RRULE:FREQ=DAILY;COUNT=4',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:fb',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID:20260602T090000Z',
      'DTSTART:20260602T090000Z',
      'DTEND:20260602T100000Z',
      'STATUS:CANCELLED',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:fb',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID:20260603T090000Z',
      'DTSTART:20260603T093000Z',
      'DTEND:20260603T110000Z',
      'STATUS:TENTATIVE',
      'END:VEVENT',
    );
    await t.request('PUT', `${CAL}fb.ics`, { body, headers: ICS });
    const r = await t.request('REPORT', CAL, {
      body: `<C:free-busy-query ${NS}><C:time-range start="20260601T000000Z" end="20260605T000000Z"/></C:free-busy-query>`,
      headers: { ...XML, Depth: '1' },
    });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/calendar/);
    const fb = r.text.split('\r\n').filter((l) => l.startsWith('FREEBUSY'));
    assert.deepEqual(fb, [
      'FREEBUSY:20260601T090000Z/20260601T100000Z',
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260603T093000Z/20260603T110000Z',
      'FREEBUSY:20260604T090000Z/20260604T100000Z',
    ]);
  });

  it('§9.6.5: expand returns UTC instances with RECURRENCE-ID and the override applied', async () => {
    const t = await createTestApp();
    const body = vcal(
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Vienna',
      'BEGIN:STANDARD',
      'DTSTART:19701025T030000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:19700329T020000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:ex',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Europe/Vienna:20260323T090000',
      'DTEND;TZID=Europe/Vienna:20260323T100000',
      'RRULE:FREQ=WEEKLY',
      'SUMMARY:Weekly',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:ex',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID;TZID=Europe/Vienna:20260330T090000',
      'DTSTART;TZID=Europe/Vienna:20260331T140000',
      'DTEND;TZID=Europe/Vienna:20260331T150000',
      'SUMMARY:Moved',
      'END:VEVENT',
    );
    await t.request('PUT', `${CAL}ex.ics`, { body, headers: ICS });
    const r = await t.request('REPORT', CAL, {
      body: timeRangeQuery(
        '20260323T000000Z',
        '20260407T000000Z',
        '',
        '<C:calendar-data><C:expand start="20260323T000000Z" end="20260407T000000Z"/></C:calendar-data>',
      ),
      headers: { ...XML, Depth: '1' },
    });
    const data = r.text.replace(/&#13;/g, '\r');
    assert.doesNotMatch(data, /VTIMEZONE|RRULE/);
    const starts = [...data.matchAll(/DTSTART:(\d{8}T\d{6}Z)/g)].map((m) => m[1]);
    const rids = [...data.matchAll(/RECURRENCE-ID:(\d{8}T\d{6}Z)/g)].map((m) => m[1]);
    assert.deepEqual(starts, ['20260323T080000Z', '20260331T120000Z', '20260406T070000Z']);
    assert.deepEqual(rids, ['20260323T080000Z', '20260330T070000Z', '20260406T070000Z']);
    assert.match(data, /SUMMARY:Moved/);
  });
});
