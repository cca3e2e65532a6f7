import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from '../dav/dav-error.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { backendQueryOf, parseFilter } from './filter.ts';

const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';

function filter(inner: string) {
  return parseFilter(parseXml(`<C:filter ${C}>${inner}</C:filter>`));
}

function rejects(inner: string, condition: string) {
  assert.throws(
    () => filter(inner),
    (e: unknown) =>
      e instanceof DavError && e.status === 403 && e.condition === `{urn:ietf:params:xml:ns:caldav}${condition}`,
  );
}

describe('CalDAV filter parsing (RFC 4791 §9.7)', () => {
  it('parses comp-filter / time-range / prop-filter / param-filter / text-match into a typed tree', () => {
    const f = filter(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="vevent">
        <C:time-range start="20060104T000000Z" end="20060105T000000Z"/>
        <C:prop-filter name="ATTENDEE"><C:text-match collation="i;octet" negate-condition="yes">lisa</C:text-match>
          <C:param-filter name="PARTSTAT"><C:is-not-defined/></C:param-filter></C:prop-filter>
      </C:comp-filter></C:comp-filter>`);
    assert.ok(f);
    assert.equal(f.name, 'VCALENDAR');
    const ev = f.comps[0];
    assert.equal(ev.name, 'VEVENT', 'names are upper-cased');
    assert.deepEqual(ev.test, { kind: 'time-range', start: Date.UTC(2006, 0, 4), end: Date.UTC(2006, 0, 5) });
    assert.deepEqual(ev.props[0], {
      kind: 'prop-filter',
      name: 'ATTENDEE',
      test: { kind: 'text-match', value: 'lisa', collation: 'i;octet', negate: true },
      params: [{ kind: 'param-filter', name: 'PARTSTAT', test: { kind: 'is-not-defined' } }],
    });
  });

  it('text-match defaults to i;ascii-casemap, also for collation="default" (§7.5)', () => {
    const f = filter(`<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">
      <C:prop-filter name="STATUS"><C:text-match>X</C:text-match></C:prop-filter>
      <C:prop-filter name="UID"><C:text-match collation="default">Y</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>`);
    const props = f?.comps[0].props ?? [];
    assert.deepEqual(
      props.map((p) => (p.test?.kind === 'text-match' ? p.test.collation : undefined)),
      ['i;ascii-casemap', 'i;ascii-casemap'],
    );
  });

  it('missing or empty filter matches everything (quirks Q12: DAVdroid sends <C:filter/>)', () => {
    assert.equal(parseFilter(undefined), undefined);
    assert.equal(filter(''), undefined);
  });

  it('open-ended time ranges are allowed (iOS sends only start)', () => {
    const f = filter(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240101T000000Z"/></C:comp-filter></C:comp-filter>',
    );
    assert.deepEqual(f?.comps[0].test, { kind: 'time-range', start: Date.UTC(2024, 0, 1), end: undefined });
  });

  it('§9.9: time-range without start and end → 403 valid-filter', () => {
    rejects(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range/></C:comp-filter></C:comp-filter>',
      'valid-filter',
    );
  });

  it('§9.9: non-UTC or malformed time-range bounds → 403 valid-filter', () => {
    rejects(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20060104T000000"/></C:comp-filter></C:comp-filter>',
      'valid-filter',
    );
    rejects(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="2006-01-04"/></C:comp-filter></C:comp-filter>',
      'valid-filter',
    );
  });

  it('§9.9: end not after start → 403 valid-filter', () => {
    rejects(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20060105T000000Z" end="20060104T000000Z"/></C:comp-filter></C:comp-filter>',
      'valid-filter',
    );
  });

  it('§7.8: time-range nested in prop-filter SUMMARY → 403 valid-filter', () => {
    rejects(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:time-range start="20060104T000000Z"/></C:prop-filter></C:comp-filter></C:comp-filter>',
      'valid-filter',
    );
  });

  it('§7.8: VEVENT nested in VTODO → 403 valid-filter', () => {
    rejects(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:comp-filter name="VEVENT"/></C:comp-filter></C:comp-filter>',
      'valid-filter',
    );
  });

  it('top-level comp-filter must be VCALENDAR', () => {
    rejects('<C:comp-filter name="VEVENT"/>', 'valid-filter');
  });

  it('§7.5: unsupported collation → 403 supported-collation', () => {
    rejects(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match collation="i;basic">x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>',
      'supported-collation',
    );
  });

  it('is-not-defined cannot be combined with nested filters', () => {
    rejects(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:is-not-defined/><C:prop-filter name="UID"/></C:comp-filter></C:comp-filter>',
      'valid-filter',
    );
  });

  it('derives the backend pre-filter from the single top component and its time range', () => {
    const f = filter(
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20060104T000000Z" end="20060105T000000Z"/></C:comp-filter></C:comp-filter>',
    );
    assert.deepEqual(backendQueryOf(f), {
      kind: 'calendar',
      component: 'VEVENT',
      timeRange: { start: new Date(Date.UTC(2006, 0, 4)), end: new Date(Date.UTC(2006, 0, 5)) },
    });
    assert.deepEqual(backendQueryOf(undefined), { kind: 'calendar' });
  });
});
