import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from '../dav/dav-error.ts';
import { PropertyRegistry } from '../dav/props/registry.ts';
import { webdavProperties } from '../dav/props/webdav.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { parseMkcalendarBody, parseSupportedComponentSet } from './mkcalendar.ts';
import { caldavProperties } from './props.ts';
import { fixture, testContext } from './test-support.ts';

const ctx = testContext({ props: new PropertyRegistry().register(...webdavProperties, ...caldavProperties) });
const TZ = fixture('clients/thunderbird-weekly-berlin.ics').replace(/BEGIN:VEVENT[\s\S]*END:VEVENT\r\n/, '');

function body(props: string): string {
  return `<?xml version="1.0" encoding="utf-8" ?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>${props}</D:prop></D:set></C:mkcalendar>`;
}

function rejects(xml: string, status: number, condition: string) {
  assert.throws(
    () => parseMkcalendarBody(ctx, parseXml(xml)),
    (e: unknown) => e instanceof DavError && e.status === status && e.condition === condition,
  );
}

describe('MKCALENDAR body (RFC 4791 §5.3.1)', () => {
  it('§5.3.1.2 example: displayname, description, component set and time zone become one patch', () => {
    const patch = parseMkcalendarBody(
      ctx,
      parseXml(
        body(`<D:displayname>Lisa's Events</D:displayname>
          <C:calendar-description xml:lang="en">Calendar restricted to events.</C:calendar-description>
          <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
          <C:calendar-timezone><![CDATA[${TZ}]]></C:calendar-timezone>`),
      ),
    );
    assert.equal(patch.displayName, "Lisa's Events");
    assert.equal(patch.description, 'Calendar restricted to events.');
    assert.deepEqual(patch.components, ['VEVENT']);
    assert.match(patch.timezone ?? '', /TZID:Europe\/Berlin/);
  });

  it('Apple colour and order, and unknown properties as dead properties', () => {
    const patch = parseMkcalendarBody(
      ctx,
      parseXml(
        body(`<A:calendar-color xmlns:A="http://apple.com/ns/ical/">#0E61B9FF</A:calendar-color>
          <A:calendar-order xmlns:A="http://apple.com/ns/ical/">2</A:calendar-order>
          <X:custom xmlns:X="urn:example">v</X:custom>`),
      ),
    );
    assert.equal(patch.color, '#0E61B9FF');
    assert.equal(patch.order, 2);
    assert.deepEqual(Object.keys(patch.deadProps ?? {}), ['{urn:example}custom']);
  });

  it('an absent body creates a calendar with defaults', () => {
    assert.deepEqual(parseMkcalendarBody(ctx, undefined), {});
  });

  it('§5.3.1 precondition valid-calendar-data: calendar-timezone without one VTIMEZONE → 403', () => {
    rejects(
      body('<C:calendar-timezone>BEGIN:VCALENDAR&#13;\nEND:VCALENDAR</C:calendar-timezone>'),
      403,
      '{urn:ietf:params:xml:ns:caldav}valid-calendar-data',
    );
  });

  it('protected live properties cannot be set → 403 cannot-modify-protected-property', () => {
    rejects(body('<D:getetag>"x"</D:getetag>'), 403, '{DAV:}cannot-modify-protected-property');
  });

  it('resourcetype in the body is accepted and ignored', () => {
    assert.deepEqual(
      parseMkcalendarBody(ctx, parseXml(body('<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>'))),
      {},
    );
  });

  it('supported-calendar-component-set: names are upper-cased and de-duplicated; empty or unknown → 403', () => {
    const set = (inner: string) =>
      parseSupportedComponentSet(
        parseXml(
          `<C:supported-calendar-component-set xmlns:C="urn:ietf:params:xml:ns:caldav">${inner}</C:supported-calendar-component-set>`,
        ),
      );
    assert.deepEqual(set('<C:comp name="vtodo"/><C:comp name="VTODO"/><C:comp name="X-FOO"/>'), ['VTODO', 'X-FOO']);
    assert.throws(
      () => set(''),
      (e: unknown) =>
        e instanceof DavError && e.condition === '{urn:ietf:params:xml:ns:caldav}supported-calendar-component',
    );
    assert.throws(
      () => set('<C:comp name="VCARD"/>'),
      (e: unknown) => e instanceof DavError && e.status === 403,
    );
  });

  it('a body with another root element → 400', () => {
    assert.throws(
      () => parseMkcalendarBody(ctx, parseXml('<D:mkcol xmlns:D="DAV:"/>')),
      (e: unknown) => e instanceof DavError && e.status === 400,
    );
  });
});
