import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from '../dav/dav-error.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { renderCalendarData } from './calendar-data.ts';
import { parseCalendarDataRequest } from './calendar-data-request.ts';
import { parseVcalendar } from './ical.ts';
import { fixture } from './test-support.ts';

const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';

function request(inner: string, attrs = '') {
  return parseCalendarDataRequest(parseXml(`<C:calendar-data ${C} ${attrs}>${inner}</C:calendar-data>`));
}

function lines(text: string): string[] {
  return text.split('\r\n').filter((l) => l !== '');
}

describe('calendar-data partial retrieval (RFC 4791 §9.6)', () => {
  it('§9.6: an empty calendar-data returns the stored bytes unchanged', () => {
    const text = fixture('rfc4791/abcd3.ics');
    assert.equal(renderCalendarData(text, request('')), text);
  });

  it('§7.8.1: comp/prop selection keeps only the named properties and components', () => {
    const req = request(`<C:comp name="VCALENDAR"><C:prop name="VERSION"/>
        <C:comp name="VEVENT"><C:prop name="SUMMARY"/><C:prop name="UID"/><C:prop name="DTSTART"/><C:prop name="DURATION"/>
          <C:prop name="RRULE"/><C:prop name="RECURRENCE-ID"/></C:comp>
        <C:comp name="VTIMEZONE"/></C:comp>`);
    const out = renderCalendarData(fixture('rfc4791/abcd2.ics'), req);
    const root = parseVcalendar(out);
    assert.ok(root);
    assert.deepEqual(
      root.getAllProperties().map((p) => p.name),
      ['version'],
      'PRODID dropped from VCALENDAR',
    );
    const ev = root.getAllSubcomponents('vevent');
    assert.equal(ev.length, 3);
    assert.deepEqual(
      ev[0].getAllProperties().map((p) => p.name),
      ['dtstart', 'duration', 'rrule', 'summary', 'uid'],
      'DTSTAMP dropped, stored order kept',
    );
    const tz = root.getFirstSubcomponent('vtimezone');
    assert.ok(tz, 'empty <C:comp name="VTIMEZONE"/> returns the time zone whole');
    assert.equal(tz.getAllSubcomponents().length, 2);
    assert.ok(tz.getFirstPropertyValue('last-modified'));
  });

  it('§9.6.4: novalue="yes" returns name, parameters and a trailing colon', () => {
    const req = request(
      '<C:comp name="VCALENDAR"><C:comp name="VEVENT"><C:prop name="ATTENDEE" novalue="yes"/><C:prop name="UID"/></C:comp></C:comp>',
    );
    const out = lines(renderCalendarData(fixture('rfc4791/abcd3.ics'), req));
    assert.ok(out.includes('ATTENDEE;PARTSTAT=NEEDS-ACTION:'), out.join('\n'));
    assert.ok(out.includes('UID:DC6C50A017428C5216A2F1CD@example.com'));
    assert.ok(!out.some((l) => l.startsWith('SUMMARY')));
    assert.ok(!out.some((l) => l.startsWith('BEGIN:VTIMEZONE')), 'VTIMEZONE not requested');
  });

  it('§9.6.2/§9.6.3: allcomp and allprop', () => {
    const req = request('<C:comp name="VCALENDAR"><C:allprop/><C:allcomp/></C:comp>');
    const out = renderCalendarData(fixture('rfc4791/abcd5.ics'), req);
    assert.equal(lines(out).length, lines(fixture('rfc4791/abcd5.ics')).length);
  });

  it('a VEVENT selection that names properties but no components drops its VALARMs', () => {
    const req = request(
      '<C:comp name="VCALENDAR"><C:allprop/><C:comp name="VEVENT"><C:prop name="UID"/></C:comp></C:comp>',
    );
    const out = renderCalendarData(fixture('clients/thunderbird-weekly-berlin.ics'), req);
    assert.ok(!out.includes('BEGIN:VALARM'));
    assert.ok(out.includes('PRODID:'));
  });

  it('§7.8.2: limit-recurrence-set keeps the master and the override touching the range only', () => {
    const req = request('<C:limit-recurrence-set start="20060103T000000Z" end="20060105T000000Z"/>');
    const root = parseVcalendar(renderCalendarData(fixture('rfc4791/abcd2.ics'), req));
    assert.ok(root);
    assert.deepEqual(
      root.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('summary')),
      ['Event #2', 'Event #2 bis'],
    );
  });

  it('§9.6.6: an override whose original slot is in range is kept even if moved out', () => {
    // Thunderbird fixture: the 2024-01-09 10:00 instance moved to 2024-01-11 15:00.
    const req = request('<C:limit-recurrence-set start="20240109T000000Z" end="20240110T000000Z"/>');
    const root = parseVcalendar(renderCalendarData(fixture('clients/thunderbird-weekly-berlin.ics'), req));
    assert.equal(root?.getAllSubcomponents('vevent').length, 2);
    const far = request('<C:limit-recurrence-set start="20250101T000000Z" end="20250102T000000Z"/>');
    const root2 = parseVcalendar(renderCalendarData(fixture('clients/thunderbird-weekly-berlin.ics'), far));
    assert.equal(root2?.getAllSubcomponents('vevent').length, 1);
  });

  it('§7.8.4: limit-freebusy-set keeps only overlapping FREEBUSY values', () => {
    const req = request('<C:limit-freebusy-set start="20060102T000000Z" end="20060103T000000Z"/>');
    const out = lines(renderCalendarData(fixture('rfc4791/abcd8.ics'), req));
    assert.deepEqual(
      out.filter((l) => l.startsWith('FREEBUSY')),
      ['FREEBUSY;FBTYPE=BUSY-TENTATIVE:20060102T100000Z/20060102T120000Z'],
    );
  });

  it('§9.6.5 / §7.8.3: expand returns the instances in the range in UTC with RECURRENCE-ID, overrides applied', () => {
    const req = request('<C:expand start="20060103T000000Z" end="20060105T000000Z"/>');
    assert.deepEqual(req.expand, { start: Date.UTC(2006, 0, 3), end: Date.UTC(2006, 0, 5) });
    const out = renderCalendarData(fixture('rfc4791/abcd2.ics'), req);
    assert.ok(!out.includes('VTIMEZONE'), 'no VTIMEZONE in expanded data');
    const root = parseVcalendar(out);
    assert.ok(root);
    const got = root
      .getAllSubcomponents('vevent')
      .map((e) => [
        e.getFirstProperty('dtstart')?.toICALString(),
        e.getFirstProperty('recurrence-id')?.toICALString(),
        e.getFirstPropertyValue('summary'),
        e.hasProperty('rrule'),
      ]);
    // §7.8.3 example: the 2006-01-03 instance and the 2006-01-04 override moved to 14:00 US/Eastern.
    assert.deepEqual(got, [
      ['DTSTART:20060103T170000Z', 'RECURRENCE-ID:20060103T170000Z', 'Event #2', false],
      ['DTSTART:20060104T190000Z', 'RECURRENCE-ID:20060104T170000Z', 'Event #2 bis', false],
    ]);
    assert.throws(
      () => request('<C:expand start="20060103T000000Z"/>'),
      (e: unknown) => e instanceof DavError && e.status === 400,
    );
  });

  it('§7.8 precondition supported-calendar-data: other media types → 403', () => {
    assert.throws(
      () => request('', 'content-type="application/calendar+json"'),
      (e: unknown) =>
        e instanceof DavError &&
        e.status === 403 &&
        e.condition === '{urn:ietf:params:xml:ns:caldav}supported-calendar-data',
    );
    assert.deepEqual(request('', 'content-type="text/calendar" version="2.0"'), {});
  });
});
