import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from '../dav/dav-error.ts';
import { dav } from '../dav/xml/names.ts';
import { el } from '../dav/xml/tree.ts';
import { writeXml } from '../dav/xml/write.ts';
import { parseVcalendar } from './ical.ts';
import { calendarInfo, fixture, testContext } from './test-support.ts';
import {
  calendarObjectValidator,
  checkCalendarContentType,
  noUidConflict,
  validateCalendarObject,
} from './validate.ts';

const CAL = calendarInfo('work', { components: ['VEVENT', 'VTODO'] });

function ics(...lines: string[]): string {
  return `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR'].join('\r\n')}\r\n`;
}

function event(uid: string, extra: string[] = []): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z', 'DTSTART:20240301T100000Z', ...extra, 'END:VEVENT'];
}

function rejectsWith(fn: () => unknown, condition: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DavError, String(e));
    assert.equal(e.status, 403);
    assert.equal(e.condition, `{urn:ietf:params:xml:ns:caldav}${condition}`);
    return true;
  });
}

describe('calendar object validation (RFC 4791 §5.3.2.1)', () => {
  it('accepts a client object as sent and reports UID and component type', () => {
    const text = fixture('clients/thunderbird-weekly-berlin.ics');
    const v = validateCalendarObject(text, CAL);
    assert.equal(v.uid, '5d1c8a36-0c2e-4b8e-9a53-weekly@example.org');
    assert.equal(v.componentType, 'VEVENT');
    assert.equal(v.text, text, 'stored bytes equal the body, so the PUT may return an ETag (§5.3.4)');
    assert.deepEqual(v.repairs, []);
  });

  it('valid-calendar-data: unparsable text, two VCALENDARs, or a bad value → 403', () => {
    rejectsWith(() => validateCalendarObject('hello', CAL), 'valid-calendar-data');
    rejectsWith(
      () => validateCalendarObject('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n', CAL),
      'valid-calendar-data',
    );
    rejectsWith(() => validateCalendarObject(ics(...event('a')) + ics(...event('b')), CAL), 'valid-calendar-data');
    rejectsWith(() => validateCalendarObject(ics(...event('a', ['DTEND:2024030X'])), CAL), 'valid-calendar-data');
    rejectsWith(
      () => validateCalendarObject('BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n', CAL),
      'valid-calendar-data',
    );
  });

  it('valid-calendar-object-resource (§4.1): VEVENT and VTODO in one resource → 403', () => {
    const todo = ['BEGIN:VTODO', 'UID:a', 'DTSTAMP:20240101T000000Z', 'END:VTODO'];
    rejectsWith(() => validateCalendarObject(ics(...event('a'), ...todo), CAL), 'valid-calendar-object-resource');
  });

  it('valid-calendar-object-resource (§4.1): two UIDs in one resource → 403', () => {
    rejectsWith(() => validateCalendarObject(ics(...event('a'), ...event('b')), CAL), 'valid-calendar-object-resource');
  });

  it('valid-calendar-object-resource: two masters for the same UID → 403; master plus override is fine', () => {
    rejectsWith(() => validateCalendarObject(ics(...event('a'), ...event('a')), CAL), 'valid-calendar-object-resource');
    const override = event('a', ['RECURRENCE-ID:20240308T100000Z']);
    const v = validateCalendarObject(ics(...event('a', ['RRULE:FREQ=WEEKLY;COUNT=3']), ...override), CAL);
    assert.equal(v.uid, 'a');
  });

  it('valid-calendar-object-resource: RECURRENCE-IDs compared only when two overrides could clash', () => {
    const rrule = event('a', ['RRULE:FREQ=WEEKLY;COUNT=3']);
    const at = (rid: string) => event('a', [`RECURRENCE-ID:${rid}`]);
    rejectsWith(
      () => validateCalendarObject(ics(...rrule, ...at('20240308T100000Z'), ...at('20240308T100000Z')), CAL),
      'valid-calendar-object-resource',
    );
    rejectsWith(
      () => validateCalendarObject(ics(...rrule, ...rrule, ...at('20240308T100000Z')), CAL),
      'valid-calendar-object-resource',
    );
    assert.equal(validateCalendarObject(ics(...at('20240308T100000Z')), CAL).uid, 'a');
    assert.equal(validateCalendarObject(ics(...at('20240308T100000Z'), ...at('20240315T100000Z')), CAL).uid, 'a');
    assert.equal(
      validateCalendarObject(ics(...rrule, ...at('20240308T100000Z'), ...at('20240315T100000Z')), CAL).uid,
      'a',
    );
  });

  it('VTIMEZONE components do not count as a second type', () => {
    const v = validateCalendarObject(fixture('rfc4791/abcd2.ics'), CAL);
    assert.equal(v.componentType, 'VEVENT');
  });

  it('supported-calendar-component: VJOURNAL in a VEVENT/VTODO calendar → 403', () => {
    const journal = ['BEGIN:VJOURNAL', 'UID:j', 'DTSTAMP:20240101T000000Z', 'END:VJOURNAL'];
    rejectsWith(() => validateCalendarObject(ics(...journal), CAL), 'supported-calendar-component');
    assert.equal(
      validateCalendarObject(ics(...journal), calendarInfo()).componentType,
      'VJOURNAL',
      'unset set → defaults',
    );
  });

  it('max-resource-size: larger than the limit → 403', () => {
    const text = ics(...event('a'));
    rejectsWith(() => validateCalendarObject(text, CAL, undefined, { maxResourceSize: 50 }), 'max-resource-size');
    assert.ok(validateCalendarObject(text, CAL, undefined, { maxResourceSize: Buffer.byteLength(text) }));
  });

  it('supported-calendar-data: iCalendar VERSION 1.0 (vCalendar) → 403', () => {
    const v1 = `${['BEGIN:VCALENDAR', 'VERSION:1.0', ...event('a'), 'END:VCALENDAR'].join('\r\n')}\r\n`;
    rejectsWith(() => validateCalendarObject(v1, CAL), 'supported-calendar-data');
  });

  it('supported-calendar-data: Content-Type must be text/calendar (or absent)', () => {
    checkCalendarContentType('text/calendar; charset=utf-8');
    checkCalendarContentType(undefined);
    rejectsWith(() => checkCalendarContentType('text/vcard'), 'supported-calendar-data');
  });

  it('no-uid-conflict: replacing a resource with a different UID → 403 naming the resource', () => {
    assert.throws(
      () => validateCalendarObject(ics(...event('new')), CAL, 'old', { href: '/dav/calendars/alice/work/a.ics' }),
      (e: unknown) =>
        e instanceof DavError &&
        e.condition === '{urn:ietf:params:xml:ns:caldav}no-uid-conflict' &&
        writeXml(el(dav('error'), e.conditionChildren)).includes('<d:href>/dav/calendars/alice/work/a.ics</d:href>'),
    );
    assert.equal(validateCalendarObject(ics(...event('old')), CAL, 'old').uid, 'old');
  });

  it('noUidConflict(href) builds 403 with the conflicting <D:href>', () => {
    const e = noUidConflict('/dav/calendars/alice/work/x.ics');
    assert.equal(e.status, 403);
    assert.equal(e.condition, '{urn:ietf:params:xml:ns:caldav}no-uid-conflict');
    assert.deepEqual(e.conditionChildren, [el(dav('href'), ['/dav/calendars/alice/work/x.ics'])]);
  });

  it('min-date-time / max-date-time (§5.2.6/§5.2.7) on explicit values', () => {
    rejectsWith(() => validateCalendarObject(ics(...event('a', ['DTEND:18990101T000000Z'])), CAL), 'min-date-time');
    rejectsWith(() => validateCalendarObject(ics(...event('a', ['DUE:22000101T000000Z'])), CAL), 'max-date-time');
    // An open-ended rule running past max-date-time is fine (§5.2.7: instances beyond may be ignored).
    assert.ok(validateCalendarObject(ics(...event('a', ['RRULE:FREQ=DAILY'])), CAL));
  });

  it('max-instances (§5.2.8): a finite rule generating too many instances → 403', () => {
    rejectsWith(
      () => validateCalendarObject(ics(...event('a', ['RRULE:FREQ=MINUTELY;COUNT=1000000'])), CAL),
      'max-instances',
    );
    assert.ok(validateCalendarObject(ics(...event('a', ['RRULE:FREQ=DAILY;COUNT=365'])), CAL));
  });

  it('max-instances (§5.2.8): UNTIL-bounded rules are bounded without expanding, and still refused when too many', () => {
    rejectsWith(
      () => validateCalendarObject(ics(...event('a', ['RRULE:FREQ=MINUTELY;UNTIL=20270101T000000Z'])), CAL),
      'max-instances',
    );
    rejectsWith(
      () =>
        validateCalendarObject(
          ics(
            ...event('a', [
              'RRULE:FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20;BYMINUTE=0,30;UNTIL=20280101T000000Z',
            ]),
          ),
          CAL,
        ),
      'max-instances',
    );
    assert.ok(validateCalendarObject(ics(...event('a', ['RRULE:FREQ=DAILY;UNTIL=20281231T000000Z'])), CAL));
    assert.ok(validateCalendarObject(ics(...event('a', ['RRULE:FREQ=HOURLY;UNTIL=20250101T000000Z'])), CAL));
  });

  it('max-attendees-per-instance (§5.2.9)', () => {
    const many = Array.from({ length: 1001 }, (_, i) => `ATTENDEE:mailto:u${i}@example.org`);
    rejectsWith(() => validateCalendarObject(ics(...event('a', many)), CAL), 'max-attendees-per-instance');
  });

  it('lenient ingest (quirks Q28/Q29): BOM stripped, METHOD removed, UID/DTSTAMP/PRODID added', () => {
    const bom = `\uFEFF${ics(...event('a'))}`;
    const v1 = validateCalendarObject(bom, CAL);
    assert.equal(v1.text, bom.slice(1));
    const raw = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'METHOD:REQUEST',
      'BEGIN:VEVENT',
      'DTSTART:20240301T100000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const v2 = validateCalendarObject(raw, CAL);
    const root = parseVcalendar(v2.text);
    assert.ok(root);
    assert.equal(root.getFirstPropertyValue('method'), null);
    assert.ok(root.getFirstPropertyValue('prodid'));
    const ev = root.getFirstSubcomponent('vevent');
    assert.equal(ev?.getFirstPropertyValue('uid'), v2.uid);
    assert.ok(ev?.getFirstPropertyValue('dtstamp'));
    assert.ok(v2.repairs.includes('removed METHOD'));
  });

  it('calendarObjectValidator (core hook) applies ctx.limits and the existing resource UID', () => {
    const ctx = testContext({ limits: { maxResourceSize: 40, maxBodySize: 1e6, maxMultigetHrefs: 10 } });
    rejectsWith(() => calendarObjectValidator(ctx, ics(...event('a')), CAL), 'max-resource-size');
    const ctx2 = testContext();
    const existing = { href: '/dav/calendars/alice/work/a.ics', body: new TextEncoder().encode(ics(...event('a'))) };
    rejectsWith(() => calendarObjectValidator(ctx2, ics(...event('b')), CAL, existing), 'no-uid-conflict');
    const v = calendarObjectValidator(ctx2, ics(...event('a')), CAL, existing);
    assert.deepEqual(
      { ...v, timeIndex: undefined },
      {
        text: ics(...event('a')),
        uid: 'a',
        componentType: 'VEVENT',
        timeIndex: undefined,
      },
    );
    // The write-time index: one zero-length instance at DTSTART (§9.9: start <= DTSTART < end).
    const at = Date.UTC(2024, 2, 1, 10);
    assert.deepEqual(v.timeIndex, { spans: [{ start: at, end: at, inclEnd: true, comp: 0 }], exact: true });
  });
});
