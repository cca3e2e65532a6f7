// RFC 4791 §9.6.5 expand over a range that reaches past the write-time index's horizon
// (TimeIndex.completeUntil): the index's spans end at the cut, so the instances after it must come
// from the body. The object's hits before the cut prove that it matches, not which instances it has.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import { openSqlite } from '../../adapters/sql/open.ts';
import type { Backend } from '../../src/backend/port.ts';
import { calendarQuery } from '../../src/caldav/calendar-query.ts';
import { caldavProperties } from '../../src/caldav/props.ts';
import { summarize, testContext } from '../../src/caldav/test-support.ts';
import { validateCalendarObject } from '../../src/caldav/validate.ts';
import { PropertyRegistry } from '../../src/dav/props/registry.ts';
import { webdavProperties } from '../../src/dav/props/webdav.ts';
import { parseXml } from '../../src/dav/xml/parse.ts';
import { textOf } from '../../src/dav/xml/tree.ts';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//davgate//test//EN',
  'BEGIN:VEVENT',
  'UID:yearly',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260105T090000Z',
  'DURATION:PT1H',
  'RRULE:FREQ=YEARLY',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';
const RANGE = 'start="20260101T000000Z" end="20400101T000000Z"';
const QUERY = `<C:calendar-query xmlns:D="DAV:" ${C}><D:prop><C:calendar-data><C:expand ${RANGE}/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range ${RANGE}/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

async function expandedCount(backend: Backend): Promise<number> {
  const ref = { owner: 'alice', home: 'calendars' as const, id: 'horizon' };
  const info = await backend.admin?.createCollection(ref, 'calendar', { components: ['VEVENT'], timezone: null });
  assert.ok(info);
  const v = validateCalendarObject(ICS, info);
  assert.ok(v.timeIndex?.completeUntil, 'the unbounded rule is indexed up to a horizon');
  await backend.putObject(
    info.ref,
    'yearly.ics',
    {
      body: new TextEncoder().encode(v.text),
      contentType: 'text/calendar; charset=utf-8',
      uid: v.uid,
      componentType: v.componentType,
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
  const rs = summarize(await calendarQuery.run(ctx, target, calendarQuery.parse(ctx, parseXml(QUERY))));
  assert.equal(rs.length, 1);
  const data = textOf(rs[0].props['{urn:ietf:params:xml:ns:caldav}calendar-data'].value);
  return data.match(/BEGIN:VEVENT/g)?.length ?? 0;
}

describe('RFC 4791 §9.6.5: expand past the index horizon returns every instance', () => {
  it('memory backend: 14 yearly instances 2026–2039', async () => {
    assert.equal(await expandedCount(new MemoryBackend()), 14);
  });
  it('SQLite backend: 14 yearly instances 2026–2039', async () => {
    const s = await openSqlite(':memory:');
    try {
      assert.equal(await expandedCount(s.backend), 14);
    } finally {
      await s.close();
    }
  });
});
