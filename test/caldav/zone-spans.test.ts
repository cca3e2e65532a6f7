// RFC 4791 §7.3/§9.8: DATE values are read in the calendar's zone or the request's CALDAV:timezone.
// The index cannot place them (unsure); their spans per zone are remembered after the first query
// (src/caldav/zone-spans.ts), and the answers stay those of the zone each query reads them in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import { calendarQuery } from '../../src/caldav/calendar-query.ts';
import { timeEnvFor } from '../../src/caldav/calendar-timezone.ts';
import { caldavProperties } from '../../src/caldav/props.ts';
import { summarize, testContext } from '../../src/caldav/test-support.ts';
import { vcalendarForZone } from '../../src/caldav/timezones.ts';
import { validateCalendarObject } from '../../src/caldav/validate.ts';
import { knownZoneSpans } from '../../src/caldav/zone-spans.ts';
import { PropertyRegistry } from '../../src/dav/props/registry.ts';
import { webdavProperties } from '../../src/dav/props/webdav.ts';
import { parseXml } from '../../src/dav/xml/parse.ts';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//davgate//test//EN',
  'BEGIN:VEVENT',
  'UID:allday',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20260110',
  'DTEND;VALUE=DATE:20260111',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

function query(start: string, end: string, timezoneId?: string): string {
  const tz = timezoneId ? `<C:timezone-id>${timezoneId}</C:timezone-id>` : '';
  return `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter></C:filter>${tz}</C:calendar-query>`;
}

describe('RFC 4791 §7.3: all-day events in the calendar zone, decided from remembered spans', async () => {
  const backend = new MemoryBackend();
  const ref = { owner: 'alice', home: 'calendars' as const, id: 'auckland' };
  const info = await backend.admin?.createCollection(ref, 'calendar', {
    components: ['VEVENT'],
    timezone: vcalendarForZone('Pacific/Auckland'),
  });
  assert.ok(info);
  const v = validateCalendarObject(ICS, info);
  assert.equal(v.timeIndex?.exact, false, 'a DATE value makes the index inexact');
  const put = await backend.putObject(
    info.ref,
    'allday.ics',
    {
      body: new TextEncoder().encode(v.text),
      contentType: 'text/calendar',
      uid: v.uid,
      componentType: 'VEVENT',
      timeIndex: v.timeIndex,
    },
    {},
  );
  const ctx = testContext({
    backend,
    depth: '1',
    props: new PropertyRegistry().register(...webdavProperties, ...caldavProperties),
  });
  const target = { type: 'collection' as const, info, backend };
  const found = async (body: string) =>
    summarize(await calendarQuery.run(ctx, target, calendarQuery.parse(ctx, parseXml(body)))).length;

  it('2026-01-10 in Auckland (UTC+13) is 2026-01-09T11:00Z–01-10T11:00Z, on every query', async () => {
    for (let i = 0; i < 2; i++) {
      assert.equal(await found(query('20260109T100000Z', '20260109T120000Z')), 1);
      assert.equal(await found(query('20260110T120000Z', '20260110T130000Z')), 0);
    }
    assert.ok(knownZoneSpans(info.ref, 'allday.ics', put.etag, timeEnvFor(info)), 'spans remembered');
  });

  it('§9.8 CALDAV:timezone-id UTC reads the same date in UTC', async () => {
    for (let i = 0; i < 2; i++) {
      assert.equal(await found(query('20260109T100000Z', '20260109T120000Z', 'UTC')), 0);
      assert.equal(await found(query('20260110T120000Z', '20260110T130000Z', 'UTC')), 1);
    }
  });
});
