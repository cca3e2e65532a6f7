// quirks Q26: Outlook CalDav Synchronizer writes TZID "W. Europe Standard Time"; the gateway stores
// Europe/Berlin (every other client reads IANA) and keeps the Windows name for the client that wrote
// it: its GET and multiget give it back with a VTIMEZONE of that name, under an ETag of its own that
// its conditional updates are checked against (Q16/Q19).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, dav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { event, lines } from '../support/data.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'CalDavSynchronizer/4.4';
const THUNDERBIRD = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Thunderbird/102.6.1';
const NET = { 'Content-Type': 'application/xml; charset=utf-8', Connection: 'Keep-Alive' };
const CAL = '/dav/calendars/alice/calendar/';
const HREF = `${CAL}040000008200E00074C5B7101A82E009.ics`;
const W_EUROPE = [
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
const multiget = `<?xml version="1.0"?>\n<C:calendar-multiget xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop xmlns:D="DAV:"><D:getetag/><C:calendar-data/></D:prop><D:href xmlns:D="DAV:">${HREF}</D:href></C:calendar-multiget>`;

function outlookEvent(summary: string): string {
  return event({
    uid: '040000008200E00074C5B7101A82E009',
    prodid: '-//CalDavSynchronizer//Outlook//EN',
    summary,
    timezone: { tzid: 'W. Europe Standard Time', block: W_EUROPE },
    start: '20240620T140000',
    end: '20240620T150000',
  });
}

describe('Outlook CalDav Synchronizer: its Windows time-zone names round-trip (quirks Q26)', () => {
  it('PUT with TZID "W. Europe Standard Time" → its GET/multiget say so again; other clients see Europe/Berlin', async () => {
    const s = await startSession({ userAgent: UA, headers: NET });
    const put = await s.send('PUT', HREF, {
      body: outlookEvent('Budget'),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);

    const mine = multistatus(await s.send('REPORT', CAL, { body: multiget, headers: { Depth: '1' } }));
    const data = lines(textOf(found(responseFor(mine, HREF), caldav('calendar-data'))));
    assert.ok(data.includes('DTSTART;TZID=W. Europe Standard Time:20240620T140000'), data.join('\n'));
    assert.ok(data.includes('DTEND;TZID=W. Europe Standard Time:20240620T150000'));
    assert.ok(data.includes('TZID:W. Europe Standard Time'), 'a VTIMEZONE of the same name');
    assert.equal(data.filter((l) => l === 'BEGIN:VTIMEZONE').length, 1);
    assert.ok(!data.some((l) => /TZID[=:]Europe\/Berlin|X-DAVGATE/.test(l)), 'nothing of the gateway’s own shows');
    const tag = textOf(found(responseFor(mine, HREF), dav('getetag')));

    const get = await s.send('GET', HREF);
    assert.ok(lines(get.text).includes('DTSTART;TZID=W. Europe Standard Time:20240620T140000'));
    assert.equal(get.headers.get('etag'), tag, 'GET and getetag agree on its representation');

    // Everyone else: IANA only, and a different representation with a different tag.
    const plain = await s.server('GET', HREF);
    assert.ok(lines(plain.text).includes('DTSTART;TZID=Europe/Berlin:20240620T140000'));
    assert.doesNotMatch(plain.text, /Standard Time|X-DAVGATE/);
    assert.notEqual(plain.headers.get('etag'), tag);
    const tb = multistatus(
      await s.send('REPORT', CAL, { body: multiget, headers: { 'User-Agent': THUNDERBIRD, Depth: '1' } }),
    );
    const tbData = textOf(found(responseFor(tb, HREF), caldav('calendar-data')));
    assert.match(tbData, /DTSTART;TZID=Europe\/Berlin:20240620T140000/);
    assert.doesNotMatch(tbData, /Standard Time|X-DAVGATE/);
  });

  it('its conditional update with its own tag succeeds and keeps the name; a stale tag gets 412', async () => {
    const s = await startSession({ userAgent: UA, headers: NET });
    await s.send('PUT', HREF, { body: outlookEvent('Budget'), headers: { 'Content-Type': 'text/calendar' } });
    const tag = (await s.send('GET', HREF)).headers.get('etag') ?? assert.fail('no ETag');
    const update = await s.send('PUT', HREF, {
      body: outlookEvent('Budget (room 4)'),
      headers: { 'Content-Type': 'text/calendar', 'If-Match': tag.replace(/"/g, '') },
    });
    assert.equal(update.status, 204, 'unquoted If-Match, as its sendEtagsWithoutQuote option sends (Q17)');
    const again = await s.send('GET', HREF);
    assert.match(again.text, /SUMMARY:Budget \(room 4\)/);
    assert.ok(lines(again.text).includes('DTSTART;TZID=W. Europe Standard Time:20240620T140000'));
    assert.notEqual(again.headers.get('etag'), tag);
    const stale = await s.send('PUT', HREF, {
      body: outlookEvent('Budget (old)'),
      headers: { 'Content-Type': 'text/calendar', 'If-Match': tag },
    });
    assert.equal(stale.status, 412);
  });

  it('an IANA zone it writes (its "Use IANA timezones" option) is stored and served as written', async () => {
    const s = await startSession({ userAgent: UA, headers: NET });
    const body = event({ uid: 'iana', timezone: { tzid: 'Europe/Berlin', block: [] }, start: '20240620T140000' });
    await s.send('PUT', `${CAL}iana.ics`, { body, headers: { 'Content-Type': 'text/calendar' } });
    const stored = (await s.server('GET', `${CAL}iana.ics`)).text;
    assert.doesNotMatch(stored, /X-DAVGATE/);
    assert.match((await s.send('GET', `${CAL}iana.ics`)).text, /DTSTART;TZID=Europe\/Berlin:20240620T140000/);
  });
});
