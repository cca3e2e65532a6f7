import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import type { Backend } from '../backend/port.ts';
import type { CollectionInfo, CollectionRef } from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import { PropertyRegistry } from '../dav/props/registry.ts';
import { webdavProperties } from '../dav/props/webdav.ts';
import type { Resource } from '../dav/resource.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { textOf } from '../dav/xml/tree.ts';
import { calendarQuery } from './calendar-query.ts';
import { caldavProperties } from './props.ts';
import { calendarInfo, FakeBackend, fixture, RFC_FIXTURES, summarize, testContext } from './test-support.ts';

const CAL: CollectionRef = { owner: 'alice', home: 'calendars', id: 'work' };
const D = 'xmlns:D="DAV:"';

function calendarOfTarget(r: Resource): CollectionInfo {
  assert.equal(r.type, 'collection');
  return (r as Extract<Resource, { type: 'collection' }>).info;
}
const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';
const clientRequest = (name: string) => readFileSync(`/work/shared/reference/client-requests/${name}`, 'utf8');

function ctxWith(backend: Backend, extra: Partial<DavContext> = {}): DavContext {
  return testContext({
    backend,
    props: new PropertyRegistry().register(...webdavProperties, ...caldavProperties),
    ...extra,
  });
}

async function seed(b: MemoryBackend, names: string[], collection = CAL): Promise<void> {
  for (const n of names) {
    const path = n.includes('/') ? n : `rfc4791/${n}`;
    const text = fixture(`${path}.ics`);
    await b.seedObject(collection, `${n.split('/').pop()}.ics`, {
      body: new TextEncoder().encode(text),
      contentType: 'text/calendar',
    });
  }
}

async function query(ctx: DavContext, target: Resource, xml: string) {
  const q = calendarQuery.parse(ctx, parseXml(xml));
  return summarize(await calendarQuery.run(ctx, target, q));
}

const names = (rs: { href: string }[]) => rs.map((r) => r.href.split('/').pop());

describe('CALDAV:calendar-query REPORT (RFC 4791 §7.8)', () => {
  let backend: MemoryBackend;
  let target: Resource;
  let ctx: DavContext;

  beforeEach(async () => {
    backend = new MemoryBackend();
    const info = await backend.seedCollection(CAL, 'calendar', { components: ['VEVENT', 'VTODO', 'VFREEBUSY'] });
    await seed(backend, RFC_FIXTURES);
    target = { type: 'collection', info, backend };
    ctx = ctxWith(backend, { depth: '1' });
  });

  it('§7.8.1: time-range on VEVENT returns abcd2 and abcd3 with getetag and the selected calendar-data', async () => {
    const rs = await query(
      ctx,
      target,
      `<C:calendar-query ${D} ${C}><D:prop><D:getetag/><C:calendar-data><C:comp name="VCALENDAR"><C:prop name="VERSION"/>
        <C:comp name="VEVENT"><C:prop name="SUMMARY"/><C:prop name="UID"/></C:comp></C:comp></C:calendar-data></D:prop>
        <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
        <C:time-range start="20060104T000000Z" end="20060105T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
    );
    assert.deepEqual(names(rs), ['abcd2.ics', 'abcd3.ics']);
    assert.equal(rs[0].href, '/dav/calendars/alice/work/abcd2.ics');
    const data = textOf(rs[1].props['{urn:ietf:params:xml:ns:caldav}calendar-data'].value);
    assert.equal(
      data,
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Event #3\r\nUID:DC6C50A017428C5216A2F1CD@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    );
    assert.match(textOf(rs[1].props['{DAV:}getetag'].value), /^".+"$/);
  });

  it('§7.8.9: pending to-dos', async () => {
    const rs = await query(
      ctx,
      target,
      `<C:calendar-query ${D} ${C}><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">
        <C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter>
        <C:prop-filter name="STATUS"><C:text-match negate-condition="yes">CANCELLED</C:text-match></C:prop-filter>
        </C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
    );
    assert.deepEqual(names(rs), ['abcd4.ics', 'abcd5.ics']);
  });

  it('client body (CalDavSynchronizer): getetag with a VEVENT time-range', async () => {
    await seed(backend, ['clients/thunderbird-weekly-berlin']);
    const rs = await query(ctx, target, clientRequest('caldavsynchronizer-01-calendar-query.xml'));
    assert.deepEqual(names(rs), ['thunderbird-weekly-berlin.ics']);
    assert.deepEqual(Object.keys(rs[0].props), ['{DAV:}getetag']);
  });

  it('quirks Q12: Depth 0 on the calendar (Windows) is answered like Depth 1', async () => {
    const c0 = ctxWith(backend, { depth: '0' });
    await seed(backend, ['clients/apple-allday']);
    const body = clientRequest('windowsphone-01-calendar-query-depth0.xml')
      .replace('20150512T000000Z', '20240301T000000Z')
      .replace('20151110T000000Z', '20240401T000000Z');
    assert.deepEqual(names(await query(c0, target, body)), ['apple-allday.ics']);
  });

  it('missing, empty or bare VCALENDAR filter returns every object (quirks Q12)', async () => {
    for (const filter of ['', '<C:filter/>', '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter>']) {
      const rs = await query(
        ctx,
        target,
        `<C:calendar-query ${D} ${C}><D:prop><D:getetag/></D:prop>${filter}</C:calendar-query>`,
      );
      assert.equal(rs.length, RFC_FIXTURES.length, filter);
    }
  });

  it('no DAV:prop means allprop (RFC 4918 §9.1): calendar-data is not included', async () => {
    const rs = await query(
      ctx,
      target,
      `<C:calendar-query ${D} ${C}><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VFREEBUSY"/></C:comp-filter></C:filter></C:calendar-query>`,
    );
    assert.deepEqual(names(rs), ['abcd8.ics']);
    assert.ok(rs[0].props['{DAV:}getetag']);
    assert.equal(rs[0].props['{urn:ietf:params:xml:ns:caldav}calendar-data'], undefined);
  });

  it('Depth 0 on a calendar object resource tests that object only', async () => {
    const [o] = await backend.getObjects(CAL, ['abcd3.ics']);
    const objTarget: Resource = {
      type: 'object',
      collection: calendarOfTarget(target),
      backend,
      ref: { name: o.name, etag: o.etag },
    };
    const body = (tr: string) =>
      `<C:calendar-query ${D} ${C}><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">${tr}</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
    assert.deepEqual(
      names(await query(ctx, objTarget, body('<C:time-range start="20060104T000000Z" end="20060105T000000Z"/>'))),
      ['abcd3.ics'],
    );
    assert.deepEqual(await query(ctx, objTarget, body('<C:time-range start="20070104T000000Z"/>')), []);
  });

  it('§9.8: CALDAV:timezone resolves floating times, overriding calendar-timezone', async () => {
    await seed(backend, ['clients/floating']);
    const tz = fixture('clients/thunderbird-weekly-berlin.ics').replace(/BEGIN:VEVENT[\s\S]*END:VEVENT\r\n/, '');
    const body = (extra: string) =>
      `<C:calendar-query ${D} ${C}><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
        <C:time-range start="20240310T080000Z" end="20240310T083000Z"/></C:comp-filter></C:comp-filter></C:filter>${extra}</C:calendar-query>`;
    assert.deepEqual(names(await query(ctx, target, body(''))), [], 'UTC: 09:00 floating is outside 08:00-08:30Z');
    assert.deepEqual(names(await query(ctx, target, body(`<C:timezone><![CDATA[${tz}]]></C:timezone>`))), [
      'floating.ics',
    ]);
  });

  it('§7.3: the collection calendar-timezone resolves floating times', async () => {
    const tz = fixture('clients/thunderbird-weekly-berlin.ics').replace(/BEGIN:VEVENT[\s\S]*END:VEVENT\r\n/, '');
    const info = await backend.seedCollection({ ...CAL, id: 'berlin' }, 'calendar', { timezone: tz });
    await seed(backend, ['clients/floating'], info.ref);
    const rs = await query(
      ctx,
      { type: 'collection', info, backend },
      `<C:calendar-query ${D} ${C}><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
        <C:time-range start="20240310T080000Z" end="20240310T083000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
    );
    assert.deepEqual(names(rs), ['floating.ics']);
  });

  it('invalid CALDAV:timezone → 403 valid-calendar-data', () => {
    assert.throws(
      () =>
        calendarQuery.parse(
          ctx,
          parseXml(`<C:calendar-query ${C}><C:filter/><C:timezone>nonsense</C:timezone></C:calendar-query>`),
        ),
      (e: unknown) => e instanceof DavError && e.condition === '{urn:ietf:params:xml:ns:caldav}valid-calendar-data',
    );
  });

  it('applies to calendars and calendar objects only', () => {
    assert.equal(calendarQuery.appliesTo(target), true);
    assert.equal(calendarQuery.appliesTo({ type: 'home', home: 'calendars', user: 'alice' }), false);
    assert.equal(
      calendarQuery.appliesTo({ type: 'collection', info: { ...calendarInfo(), kind: 'addressbook' }, backend }),
      false,
    );
  });
});

describe('calendar-query with a backend pre-filter (backend.query)', () => {
  it('passes component and UTC range to backend.query and still applies the exact filter', async () => {
    const fake = new FakeBackend({ withQuery: true }).addCollection(calendarInfo());
    for (const n of ['abcd1', 'abcd3', 'abcd4']) fake.addObject(CAL, `${n}.ics`, fixture(`rfc4791/${n}.ics`));
    const ctx = ctxWith(fake);
    const target: Resource = { type: 'collection', info: calendarInfo(), backend: fake };
    const rs = await query(
      ctx,
      target,
      `<C:calendar-query ${D} ${C}><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
        <C:time-range start="20060104T000000Z" end="20060105T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
    );
    assert.deepEqual(fake.queries, [
      {
        kind: 'calendar',
        component: 'VEVENT',
        timeRange: { start: new Date(Date.UTC(2006, 0, 4)), end: new Date(Date.UTC(2006, 0, 5)) },
        // getetag alone: bodies of items the backend decides exactly are not needed.
        noBodies: true,
      },
    ]);
    assert.deepEqual(names(rs), ['abcd3.ics'], 'the backend returned everything (exact: false); the core filtered');
  });
});
