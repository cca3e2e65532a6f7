import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from '../dav/dav-error.ts';
import { PropertyRegistry } from '../dav/props/registry.ts';
import { renderResponses } from '../dav/props/render.ts';
import type { Resource } from '../dav/resource.ts';
import { appleIcal, caldav, dav } from '../dav/xml/names.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { el, elements, textOf } from '../dav/xml/tree.ts';
import { writeXml } from '../dav/xml/write.ts';
import { caldavProperties } from './props.ts';
import { calendarInfo, FakeBackend, fixture, summarize, testContext } from './test-support.ts';

const ctx = testContext({ props: new PropertyRegistry().register(...caldavProperties) });
const backend = new FakeBackend();
const TZ = fixture('clients/thunderbird-weekly-berlin.ics').replace(/BEGIN:VEVENT[\s\S]*END:VEVENT\r\n/, '');

async function propfind(res: Resource, names: string[]) {
  const [r] = summarize({
    status: 207,
    body: el(
      dav('multistatus'),
      await renderResponses(ctx, [res], { kind: 'prop', props: names.map((n) => el(n as never)) }),
    ),
  });
  return r.props;
}

const xml = (e: { value: unknown }) => writeXml(e.value as never);
const def = (name: string) => {
  const d = caldavProperties.find((p) => p.name === name);
  assert.ok(d, name);
  return d;
};

describe('CalDAV properties (RFC 4791 §5.2, §6.2.1; Apple calendar-color/order)', () => {
  const cal: Resource = {
    type: 'collection',
    info: calendarInfo('work', {
      components: ['VTODO'],
      description: 'Tasks',
      timezone: TZ,
      color: '#FD8208FF',
      order: 3,
    }),
    backend,
  };

  it('§5.2.3–§5.2.9: capability properties of a calendar collection', async () => {
    const p = await propfind(cal, [
      caldav('supported-calendar-component-set'),
      caldav('supported-calendar-data'),
      caldav('max-resource-size'),
      caldav('min-date-time'),
      caldav('max-date-time'),
      caldav('max-instances'),
      caldav('max-attendees-per-instance'),
      caldav('supported-collation-set'),
    ]);
    assert.match(
      xml(p[caldav('supported-calendar-component-set')]),
      /<cal:comp name="VTODO"\/><\/cal:supported-calendar-component-set>/,
    );
    assert.match(
      xml(p[caldav('supported-calendar-data')]),
      /<cal:calendar-data content-type="text\/calendar" version="2.0"\/>/,
    );
    assert.equal(textOf(p[caldav('max-resource-size')].value), '1000000', 'ctx.limits.maxResourceSize');
    assert.equal(textOf(p[caldav('min-date-time')].value), '19000101T000000Z');
    assert.match(textOf(p[caldav('max-date-time')].value), /^\d{8}T\d{6}Z$/);
    assert.ok(Number(textOf(p[caldav('max-instances')].value)) > 0);
    assert.ok(Number(textOf(p[caldav('max-attendees-per-instance')].value)) > 0);
    assert.equal(
      p[caldav('supported-collation-set')].value.children.length,
      3,
      'i;ascii-casemap, i;octet, i;unicode-casemap',
    );
  });

  it('a calendar without a stored component set advertises what validation accepts', async () => {
    const p = await propfind({ type: 'collection', info: calendarInfo(), backend }, [
      caldav('supported-calendar-component-set'),
    ]);
    assert.equal(p[caldav('supported-calendar-component-set')].value.children.length, 4);
  });

  it('calendar-description, calendar-timezone, Apple calendar-color and calendar-order read from CollectionInfo', async () => {
    const p = await propfind(cal, [
      caldav('calendar-description'),
      caldav('calendar-timezone'),
      appleIcal('calendar-color'),
      appleIcal('calendar-order'),
    ]);
    assert.equal(textOf(p[caldav('calendar-description')].value), 'Tasks');
    assert.match(textOf(p[caldav('calendar-timezone')].value), /TZID:Europe\/Berlin/);
    assert.equal(textOf(p[appleIcal('calendar-color')].value), '#FD8208FF');
    assert.equal(textOf(p[appleIcal('calendar-order')].value), '3');
  });

  it('unset description/timezone/color are 404 in the propstat', async () => {
    const p = await propfind({ type: 'collection', info: calendarInfo(), backend }, [
      caldav('calendar-description'),
      appleIcal('calendar-color'),
    ]);
    assert.equal(p[caldav('calendar-description')].status, 404);
    assert.equal(p[appleIcal('calendar-color')].status, 404);
  });

  it('calendar properties do not apply to address books or homes', () => {
    const ab: Resource = { type: 'collection', info: { ...calendarInfo(), kind: 'addressbook' }, backend };
    assert.equal(def(caldav('supported-calendar-component-set')).appliesTo(ab), false);
    assert.equal(def(caldav('calendar-data')).appliesTo({ type: 'home', home: 'calendars', user: 'alice' }), false);
  });

  it('PROPPATCH: calendar-timezone must be one VTIMEZONE (§5.2.10) — a bare VTIMEZONE is wrapped', () => {
    const set = (v: string) =>
      def(caldav('calendar-timezone')).toPatch?.(ctx, cal, el(caldav('calendar-timezone'), [v]));
    assert.throws(
      () => set('BEGIN:VCALENDAR\r\nEND:VCALENDAR'),
      (e: unknown) => e instanceof DavError && e.status === 403 && e.condition === caldav('valid-calendar-data'),
    );
    assert.match(set(TZ)?.timezone ?? '', /BEGIN:VTIMEZONE/);
    const bare = TZ.slice(TZ.indexOf('BEGIN:VTIMEZONE'), TZ.indexOf('END:VCALENDAR'));
    assert.match(set(bare)?.timezone ?? '', /^BEGIN:VCALENDAR\r\n/);
    assert.deepEqual(def(caldav('calendar-timezone')).toPatch?.(ctx, cal, null), { timezone: null });
  });

  it('PROPPATCH: Apple calendar-color (client fixture) and calendar-order', () => {
    const body = parseXml(
      '<A:propertyupdate xmlns:A="DAV:"><A:set><A:prop><D:calendar-color xmlns:D="http://apple.com/ns/ical/" symbolic-color="orange">#FD8208FF</D:calendar-color></A:prop></A:set></A:propertyupdate>',
    );
    const value = elements(elements(elements(body)[0])[0])[0];
    assert.equal(value.name, appleIcal('calendar-color'));
    assert.deepEqual(def(appleIcal('calendar-color')).toPatch?.(ctx, cal, value), { color: '#FD8208FF' });
    assert.throws(
      () => def(appleIcal('calendar-color')).toPatch?.(ctx, cal, el(appleIcal('calendar-color'), ['red; drop'])),
      (e: unknown) => e instanceof DavError && e.status === 409,
    );
    assert.deepEqual(def(appleIcal('calendar-order')).toPatch?.(ctx, cal, el(appleIcal('calendar-order'), ['7'])), {
      order: 7,
    });
    assert.throws(
      () => def(appleIcal('calendar-order')).toPatch?.(ctx, cal, el(appleIcal('calendar-order'), ['x'])),
      (e: unknown) => e instanceof DavError && e.status === 409,
    );
  });

  it('supported-calendar-component-set is protected (§5.2.3)', () => {
    const d = def(caldav('supported-calendar-component-set'));
    assert.equal(d.protected, true);
    assert.equal(d.toPatch, undefined);
  });

  it('calendar-data on an object in PROPFIND, never in allprop (§9.6 note)', async () => {
    const text = fixture('rfc4791/abcd1.ics');
    const obj: Resource = {
      type: 'object',
      collection: calendarInfo(),
      backend,
      ref: { name: 'a.ics', etag: 'x' },
      object: {
        name: 'a.ics',
        etag: 'x',
        body: new TextEncoder().encode(text),
        contentType: 'text/calendar',
        lastModified: new Date(0),
        deadProps: {},
      },
    };
    const p = await propfind(obj, [caldav('calendar-data')]);
    assert.equal(textOf(p[caldav('calendar-data')].value), text);
    assert.equal(def(caldav('calendar-data')).allprop, false);
  });

  it('§6.2.1 calendar-home-set: exactly one href (quirks Q06)', async () => {
    const p = await propfind({ type: 'principal', user: 'alice' }, [caldav('calendar-home-set')]);
    const v = p[caldav('calendar-home-set')].value;
    assert.deepEqual(v.children, [el(dav('href'), ['/dav/calendars/alice/'])]);
  });

  it('calendar-user-address-set: the mailto: addresses, the first one preferred (quirks Q06)', async () => {
    const p = await propfind({ type: 'principal', user: 'alice' }, [caldav('calendar-user-address-set')]);
    assert.equal(
      xml(p[caldav('calendar-user-address-set')]).replace(/^<\?xml[^>]*>\n/, ''),
      '<cal:calendar-user-address-set xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:d="DAV:"><d:href preferred="1">mailto:alice@example.org</d:href></cal:calendar-user-address-set>',
    );
  });
});
