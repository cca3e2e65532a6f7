import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import type { CollectionInfo, CollectionRef } from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import { Hrefs } from '../dav/path.ts';
import { PropertyRegistry } from '../dav/props/registry.ts';
import { webdavProperties } from '../dav/props/webdav.ts';
import type { Resource } from '../dav/resource.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { textOf } from '../dav/xml/tree.ts';
import { calendarMultiget } from './calendar-multiget.ts';
import { caldavProperties } from './props.ts';
import { fixture, summarize, testContext } from './test-support.ts';

const D = 'xmlns:D="DAV:"';

function calendarOfTarget(r: Resource): CollectionInfo {
  assert.equal(r.type, 'collection');
  return (r as Extract<Resource, { type: 'collection' }>).info;
}
const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';
const CALDATA = '{urn:ietf:params:xml:ns:caldav}calendar-data';

function multigetBody(hrefs: string[], prop = '<D:getetag/><C:calendar-data/>'): string {
  return `<C:calendar-multiget ${D} ${C}><D:prop>${prop}</D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:calendar-multiget>`;
}

async function run(ctx: DavContext, target: Resource, xml: string) {
  return summarize(await calendarMultiget.run(ctx, target, calendarMultiget.parse(ctx, parseXml(xml))));
}

describe('CALDAV:calendar-multiget REPORT (RFC 4791 §7.9)', () => {
  const CAL: CollectionRef = { owner: 'alice', home: 'calendars', id: 'work' };
  let backend: MemoryBackend;
  let target: Resource;
  let ctx: DavContext;

  beforeEach(async () => {
    backend = new MemoryBackend();
    const info = await backend.seedCollection(CAL, 'calendar');
    await backend.seedCollection({ ...CAL, id: 'home' }, 'calendar');
    await backend.seedObject(CAL, 'abcd1.ics', {
      body: new TextEncoder().encode(fixture('rfc4791/abcd1.ics')),
      contentType: 'text/calendar',
    });
    await backend.seedObject(CAL, 'user@x.ics', {
      body: new TextEncoder().encode(fixture('rfc4791/abcd3.ics')),
      contentType: 'text/calendar',
    });
    target = { type: 'collection', info, backend };
    ctx = testContext({ backend, props: new PropertyRegistry().register(...webdavProperties, ...caldavProperties) });
  });

  it('§7.9.1: one response per href, in order; a missing resource gets 404', async () => {
    const rs = await run(
      ctx,
      target,
      multigetBody(['/dav/calendars/alice/work/abcd1.ics', '/dav/calendars/alice/work/mtg1.ics']),
    );
    assert.deepEqual(
      rs.map((r) => [r.href, r.status]),
      [
        ['/dav/calendars/alice/work/abcd1.ics', undefined],
        ['/dav/calendars/alice/work/mtg1.ics', 404],
      ],
    );
    assert.equal(textOf(rs[0].props[CALDATA].value), fixture('rfc4791/abcd1.ics'), 'stored bytes returned unchanged');
    assert.equal(rs[0].props[CALDATA].status, 200);
  });

  it('accepts absolute URLs and %40 / @ spellings (quirks Q05), answering with the canonical href', async () => {
    const rs = await run(
      ctx,
      target,
      multigetBody([
        'https://cal.example.com/dav/calendars/alice/work/user%40x.ics',
        '/dav/calendars/alice/work/abcd1.ics',
      ]),
    );
    assert.deepEqual(
      rs.map((r) => r.href),
      ['/dav/calendars/alice/work/user@x.ics', '/dav/calendars/alice/work/abcd1.ics'],
    );
    assert.ok(rs.every((r) => r.props['{DAV:}getetag']?.status === 200));
  });

  it('hrefs outside the targeted calendar get 403 without a lookup', async () => {
    const rs = await run(
      ctx,
      target,
      multigetBody([
        '/dav/calendars/alice/home/abcd1.ics',
        '/dav/calendars/bob/work/abcd1.ics',
        '/elsewhere/abcd1.ics',
      ]),
    );
    assert.deepEqual(
      rs.map((r) => r.status),
      [403, 403, 403],
    );
  });

  it('duplicate hrefs produce one response (quirks Q07: vdirsyncer skips duplicates)', async () => {
    const rs = await run(
      ctx,
      target,
      multigetBody(['/dav/calendars/alice/work/abcd1.ics', '/dav/calendars/alice/work/abcd1.ics']),
    );
    assert.equal(rs.length, 1);
  });

  it('unknown properties get a 404 propstat (Apple asks for schedule-tag)', async () => {
    // The Apple request body as recorded, against a gateway mounted at the root with user01's "calendar".
    const apple = readFileSync(
      '/work/shared/reference/client-requests/apple-calendaragent-06-calendar-multiget.xml',
      'utf8',
    );
    const ref: CollectionRef = { owner: 'user01', home: 'calendars', id: 'calendar' };
    const info = await backend.seedCollection(ref, 'calendar');
    await backend.seedObject(ref, 'event-1.ics', {
      body: new TextEncoder().encode(fixture('rfc4791/abcd1.ics')),
      contentType: 'text/calendar',
    });
    const rootCtx = testContext({
      backend,
      user: 'user01',
      hrefs: new Hrefs(''),
      props: new PropertyRegistry().register(...webdavProperties, ...caldavProperties),
    });
    const rs = await run(rootCtx, { type: 'collection', info, backend }, apple);
    assert.deepEqual(
      rs.map((r) => [r.href, r.status]),
      [
        ['/calendars/user01/calendar/event-1.ics', undefined],
        ['/calendars/user01/calendar/event-2.ics', 404],
      ],
    );
    assert.equal(rs[0].props['{urn:ietf:params:xml:ns:caldav}schedule-tag'].status, 404);
    assert.equal(rs[0].props[CALDATA].status, 200);
  });

  it('partial calendar-data applies per object', async () => {
    const rs = await run(
      ctx,
      target,
      multigetBody(
        ['/dav/calendars/alice/work/abcd1.ics'],
        '<C:calendar-data><C:comp name="VCALENDAR"><C:comp name="VEVENT"><C:prop name="SUMMARY"/></C:comp></C:comp></C:calendar-data>',
      ),
    );
    assert.match(textOf(rs[0].props[CALDATA].value), /BEGIN:VEVENT\r\nSUMMARY:Event #1\r\nEND:VEVENT/);
  });

  it('more hrefs than limits.maxMultigetHrefs → 403 number-of-matches-within-limits', () => {
    const small = testContext({ backend, limits: { maxResourceSize: 1e6, maxBodySize: 1e6, maxMultigetHrefs: 2 } });
    assert.throws(
      () => calendarMultiget.parse(small, parseXml(multigetBody(['/a', '/b', '/c']))),
      (e: unknown) =>
        e instanceof DavError && e.status === 403 && e.condition === '{DAV:}number-of-matches-within-limits',
    );
  });

  it('§7.9 precondition supported-calendar-data and a body without hrefs', () => {
    assert.throws(
      () =>
        calendarMultiget.parse(
          ctx,
          parseXml(multigetBody(['/a'], '<C:calendar-data content-type="text/x-vcalendar"/>')),
        ),
      (e: unknown) => e instanceof DavError && e.condition === '{urn:ietf:params:xml:ns:caldav}supported-calendar-data',
    );
    assert.throws(
      () => calendarMultiget.parse(ctx, parseXml(multigetBody([]))),
      (e: unknown) => e instanceof DavError && e.status === 400,
    );
  });

  it('on a calendar object resource, hrefs resolve in its calendar', async () => {
    const [o] = await backend.getObjects(CAL, ['abcd1.ics']);
    const objTarget: Resource = {
      type: 'object',
      collection: calendarOfTarget(target),
      backend,
      ref: { name: o.name, etag: o.etag },
    };
    const rs = await run(ctx, objTarget, multigetBody(['/dav/calendars/alice/work/abcd1.ics']));
    assert.equal(rs[0].props['{DAV:}getetag'].status, 200);
  });
});
