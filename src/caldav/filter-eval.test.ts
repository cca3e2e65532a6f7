import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../dav/xml/parse.ts';
import { parseFilter } from './filter.ts';
import { matchesFilter } from './filter-eval.ts';
import { type IcalComponent, parseVcalendar, timezoneFromVcalendar } from './ical.ts';
import type { TimeEnv } from './recurrence.ts';
import { fixture, RFC_FIXTURES } from './test-support.ts';

const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';

function load(path: string): IcalComponent {
  const c = parseVcalendar(fixture(path));
  assert.ok(c, path);
  return c;
}

const rfc = new Map(RFC_FIXTURES.map((n) => [n, load(`rfc4791/${n}.ics`)]));

/** Names of the RFC Appendix B objects matching a filter body (the inside of <C:filter>). */
function rfcMatches(inner: string, env: TimeEnv = {}): string[] {
  const f = parseFilter(parseXml(`<C:filter ${C}>${inner}</C:filter>`));
  return [...rfc].filter(([, c]) => matchesFilter(f, c, env)).map(([n]) => n);
}

function matches(path: string, inner: string, env: TimeEnv = {}): boolean {
  return matchesFilter(parseFilter(parseXml(`<C:filter ${C}>${inner}</C:filter>`)), load(path), env);
}

const vevent = (body: string) =>
  `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">${body}</C:comp-filter></C:comp-filter>`;
const vtodo = (body: string) =>
  `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">${body}</C:comp-filter></C:comp-filter>`;

describe('CalDAV filter evaluation against RFC 4791 Appendix B', () => {
  it('Appendix B: <comp-filter name="VCALENDAR"/> matches every object', () => {
    assert.deepEqual(rfcMatches('<C:comp-filter name="VCALENDAR"/>'), RFC_FIXTURES);
  });

  it('§7.8.1: VEVENT time-range 2006-01-04 matches the recurring abcd2 (3rd instance) and abcd3', () => {
    assert.deepEqual(rfcMatches(vevent('<C:time-range start="20060104T000000Z" end="20060105T000000Z"/>')), [
      'abcd2',
      'abcd3',
    ]);
  });

  it('§7.8.2: VEVENT time-range 2006-01-03..05 matches abcd2 and abcd3', () => {
    assert.deepEqual(rfcMatches(vevent('<C:time-range start="20060103T000000Z" end="20060105T000000Z"/>')), [
      'abcd2',
      'abcd3',
    ]);
  });

  it('§7.8.4: VFREEBUSY time-range matches abcd8 by DTSTART/DTEND', () => {
    const q =
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VFREEBUSY"><C:time-range start="20060102T000000Z" end="20060103T000000Z"/></C:comp-filter></C:comp-filter>';
    assert.deepEqual(rfcMatches(q), ['abcd8']);
  });

  it('§7.8.5: VTODO with a VALARM triggering in the range matches abcd5 only', () => {
    const q = vtodo(
      '<C:comp-filter name="VALARM"><C:time-range start="20060106T100000Z" end="20060107T100000Z"/></C:comp-filter>',
    );
    assert.deepEqual(rfcMatches(q), ['abcd5']);
  });

  it('§7.8.6: UID text-match with i;octet finds abcd3', () => {
    const q = vevent(
      '<C:prop-filter name="UID"><C:text-match collation="i;octet">DC6C50A017428C5216A2F1CD@example.com</C:text-match></C:prop-filter>',
    );
    assert.deepEqual(rfcMatches(q), ['abcd3']);
  });

  it('§7.8.6: i;octet is case-sensitive, i;ascii-casemap is not', () => {
    const octet = vevent(
      '<C:prop-filter name="UID"><C:text-match collation="i;octet">dc6c50a017428c5216a2f1cd</C:text-match></C:prop-filter>',
    );
    const casemap = vevent(
      '<C:prop-filter name="UID"><C:text-match>dc6c50a017428c5216a2f1cd</C:text-match></C:prop-filter>',
    );
    assert.deepEqual(rfcMatches(octet), []);
    assert.deepEqual(rfcMatches(casemap), ['abcd3']);
  });

  it('§7.8.7: ATTENDEE lisa with PARTSTAT NEEDS-ACTION (same property instance) finds abcd3', () => {
    const q = vevent(`<C:prop-filter name="ATTENDEE"><C:text-match>mailto:lisa@example.com</C:text-match>
      <C:param-filter name="PARTSTAT"><C:text-match>NEEDS-ACTION</C:text-match></C:param-filter></C:prop-filter>`);
    assert.deepEqual(rfcMatches(q), ['abcd3']);
    const wrong = vevent(`<C:prop-filter name="ATTENDEE"><C:text-match>mailto:lisa@example.com</C:text-match>
      <C:param-filter name="PARTSTAT"><C:text-match>ACCEPTED</C:text-match></C:param-filter></C:prop-filter>`);
    assert.deepEqual(rfcMatches(wrong), [], 'ACCEPTED belongs to cyrus, not lisa');
  });

  it('§7.8.8: events only (empty VEVENT comp-filter)', () => {
    assert.deepEqual(rfcMatches(vevent('')), ['abcd1', 'abcd2', 'abcd3']);
  });

  it('§7.8.9: pending to-dos (COMPLETED not defined, STATUS not CANCELLED via negate-condition)', () => {
    const q = vtodo(`<C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter>
      <C:prop-filter name="STATUS"><C:text-match negate-condition="yes">CANCELLED</C:text-match></C:prop-filter>`);
    assert.deepEqual(rfcMatches(q), ['abcd4', 'abcd5']);
  });

  it('§9.7.1: is-not-defined on a component', () => {
    const q =
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTIMEZONE"><C:is-not-defined/></C:comp-filter></C:comp-filter>';
    assert.deepEqual(rfcMatches(q), ['abcd4', 'abcd6', 'abcd7', 'abcd8']);
  });

  it('§9.7.3: empty param-filter requires the parameter to exist', () => {
    const q = vevent('<C:prop-filter name="ATTENDEE"><C:param-filter name="ROLE"/></C:prop-filter>');
    assert.deepEqual(rfcMatches(q), ['abcd3']);
  });

  it('§9.9: time-range on a property (DTSTAMP) uses start <= value < end', () => {
    const q = vevent(
      '<C:prop-filter name="DTSTAMP"><C:time-range start="20060206T001220Z" end="20060206T001221Z"/></C:prop-filter>',
    );
    assert.deepEqual(rfcMatches(q), ['abcd3']);
  });

  it('§9.9 note: time-range on DTEND uses DTSTART+DURATION when DTEND is absent', () => {
    // abcd1: 10:00-11:00 US/Eastern on 2006-01-02 → effective DTEND 16:00Z.
    const q = vevent(
      '<C:prop-filter name="DTEND"><C:time-range start="20060102T155959Z" end="20060102T160001Z"/></C:prop-filter>',
    );
    assert.deepEqual(rfcMatches(q), ['abcd1']);
  });

  it('§9.9 VTODO: DUE only → (start < DUE) AND (end >= DUE)', () => {
    const q = (s: string, e: string) => vtodo(`<C:time-range start="${s}" end="${e}"/>`);
    assert.deepEqual(rfcMatches(q('20060103T000000Z', '20060104T000000Z')), ['abcd4']);
    assert.deepEqual(rfcMatches(q('20060104T000000Z', '20060105T000000Z')), []);
  });

  it('§9.9 VTODO: with DUE and COMPLETED the DUE row applies (abcd6)', () => {
    // abcd6 has DUE, so the DUE row applies: DUE 2005-12-25.
    const q = vtodo('<C:time-range start="20051224T000000Z" end="20051226T000000Z"/>');
    assert.deepEqual(rfcMatches(q), ['abcd6']);
  });
});

describe('CalDAV filter evaluation on client-shaped objects', () => {
  const weekly = 'clients/thunderbird-weekly-berlin.ics';
  const range = (s: string, e?: string) => vevent(`<C:time-range start="${s}"${e ? ` end="${e}"` : ''}/>`);

  it('recurring weekly event: an instance in a far-future week matches (infinite RRULE)', () => {
    assert.equal(matches(weekly, range('20260106T080000Z', '20260106T100000Z')), true);
  });

  it('recurring event: a week without an instance does not match', () => {
    assert.equal(matches(weekly, range('20240103T000000Z', '20240109T000000Z')), false);
  });

  it('EXDATE removes an instance (2024-01-16)', () => {
    assert.equal(matches(weekly, range('20240116T000000Z', '20240117T000000Z')), false);
  });

  it('an overridden instance is tested at its new time, not the original', () => {
    assert.equal(matches(weekly, range('20240109T000000Z', '20240110T000000Z')), false, 'original slot');
    assert.equal(
      matches(weekly, range('20240111T140000Z', '20240111T143000Z')),
      true,
      'moved slot (15:00 CET = 14:00Z)',
    );
  });

  it('time zone: 10:00 Europe/Berlin in summer is 08:00Z', () => {
    assert.equal(matches(weekly, range('20240702T080000Z', '20240702T080100Z')), true);
    assert.equal(matches(weekly, range('20240702T090000Z', '20240702T100000Z')), false);
  });

  it('VALARM of a recurring event triggers 15 minutes before each instance', () => {
    const alarm = (s: string, e: string) =>
      vevent(`<C:comp-filter name="VALARM"><C:time-range start="${s}" end="${e}"/></C:comp-filter>`);
    assert.equal(matches(weekly, alarm('20240702T074500Z', '20240702T074600Z')), true);
    assert.equal(matches(weekly, alarm('20240702T080000Z', '20240702T090000Z')), false);
  });

  it('text-match on multi-valued CATEGORIES and i;unicode-casemap on a CN parameter', () => {
    assert.equal(
      matches(weekly, vevent('<C:prop-filter name="CATEGORIES"><C:text-match>meetings</C:text-match></C:prop-filter>')),
      true,
    );
    assert.equal(
      matches(
        weekly,
        vevent(
          '<C:prop-filter name="ORGANIZER"><C:param-filter name="CN"><C:text-match collation="i;unicode-casemap">MÜLLER</C:text-match></C:param-filter></C:prop-filter>',
        ),
      ),
      true,
    );
    assert.equal(
      matches(
        weekly,
        vevent(
          '<C:prop-filter name="ORGANIZER"><C:param-filter name="CN"><C:text-match>MÜLLER</C:text-match></C:param-filter></C:prop-filter>',
        ),
      ),
      false,
      'i;ascii-casemap does not fold Ü',
    );
  });

  it('all-day event: DATE DTSTART/DTEND span the whole day (UTC without calendar-timezone)', () => {
    const allday = 'clients/apple-allday.ics';
    assert.equal(matches(allday, range('20240310T230000Z', '20240311T000000Z')), true);
    assert.equal(matches(allday, range('20240311T000000Z', '20240311T010000Z')), false);
  });

  it('§7.3: floating time is evaluated in UTC unless the calendar has a calendar-timezone', () => {
    const floating = 'clients/floating.ics';
    assert.equal(matches(floating, range('20240310T090000Z', '20240310T093000Z')), true);
    const zone = timezoneFromVcalendar(
      fixture('clients/thunderbird-weekly-berlin.ics').replace(/BEGIN:VEVENT[\s\S]*END:VEVENT\r\n/, ''),
    );
    assert.ok(zone);
    // 09:00 Berlin (CET) = 08:00Z
    assert.equal(matches(floating, range('20240310T090000Z', '20240310T093000Z'), { floatingZone: zone }), false);
    assert.equal(matches(floating, range('20240310T080000Z', '20240310T083000Z'), { floatingZone: zone }), true);
  });

  it('VTODO with DTSTART and DUE overlaps between them', () => {
    const todo = 'clients/todo-start-due.ics';
    assert.equal(matches(todo, vtodo('<C:time-range start="20240306T000000Z" end="20240306T010000Z"/>')), true);
    assert.equal(matches(todo, vtodo('<C:time-range start="20240308T000000Z" end="20240309T000000Z"/>')), false);
  });

  it('VFREEBUSY without DTSTART/DTEND is tested period by period', () => {
    const fb = 'clients/freebusy-periods.ics';
    const q = (s: string, e: string) =>
      `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VFREEBUSY"><C:time-range start="${s}" end="${e}"/></C:comp-filter></C:comp-filter>`;
    assert.equal(matches(fb, q('20060110T110000Z', '20060110T113000Z')), true, 'period given as start/duration');
    assert.equal(matches(fb, q('20060105T000000Z', '20060106T000000Z')), false);
  });
});
