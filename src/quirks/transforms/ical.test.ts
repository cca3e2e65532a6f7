// The iCalendar transforms profiles share, each against the client behaviour it answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  calendarAccessToClass,
  clampTimezoneStart,
  groupAttendeesAsIndividuals,
  onlyAlarmStateDiffers,
  restoreAttendeeStatus,
  restoreGroupAttendees,
  stripApplePlaceholderAlarms,
} from './ical.ts';

const cal = (...inner: string[]) =>
  `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', ...inner, 'END:VCALENDAR'].join('\r\n')}\r\n`;
const vevent = (...inner: string[]) => [
  'BEGIN:VEVENT',
  'UID:u1',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260105T100000Z',
  ...inner,
  'END:VEVENT',
];

describe('calendarAccessToClass (quirks Q31)', () => {
  it('copies the VCALENDAR-level access to components without CLASS and keeps the Apple property', () => {
    const out = calendarAccessToClass(cal('X-CALENDARSERVER-ACCESS:PRIVATE', ...vevent('SUMMARY:a')));
    assert.match(out, /BEGIN:VEVENT\r\nCLASS:PRIVATE\r\n/);
    assert.match(out, /X-CALENDARSERVER-ACCESS:PRIVATE/);
  });
  it('maps OS X 10.7 integers (1 = public) and RESTRICTED; leaves an existing CLASS alone', () => {
    assert.match(calendarAccessToClass(cal('X-CALENDARSERVER-ACCESS:1', ...vevent())), /CLASS:PUBLIC/);
    assert.match(calendarAccessToClass(cal('X-CALENDARSERVER-ACCESS:2', ...vevent())), /CLASS:PRIVATE/);
    assert.match(calendarAccessToClass(cal('X-CALENDARSERVER-ACCESS:RESTRICTED', ...vevent())), /CLASS:CONFIDENTIAL/);
    const withClass = cal('X-CALENDARSERVER-ACCESS:PRIVATE', ...vevent('CLASS:PUBLIC'));
    assert.equal(calendarAccessToClass(withClass), withClass);
  });
  it('a component-level X-CALENDARSERVER-ACCESS or none at all changes nothing (same bytes)', () => {
    const inner = cal(...vevent('X-CALENDARSERVER-ACCESS:PRIVATE'));
    assert.equal(calendarAccessToClass(inner), inner);
    const plain = cal(...vevent());
    assert.equal(calendarAccessToClass(plain), plain);
  });
});

describe('stripApplePlaceholderAlarms (quirks Q32)', () => {
  it('drops the 19760401T005545Z placeholder and keeps real alarms', () => {
    const text = cal(
      ...vevent(
        'BEGIN:VALARM',
        'ACTION:NONE',
        'TRIGGER;VALUE=DATE-TIME:19760401T005545Z',
        'END:VALARM',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'TRIGGER:-PT15M',
        'END:VALARM',
      ),
    );
    const out = stripApplePlaceholderAlarms(text);
    assert.doesNotMatch(out, /19760401/);
    assert.match(out, /TRIGGER:-PT15M/);
    assert.equal(out.match(/BEGIN:VALARM/g)?.length, 1);
  });
});

describe('onlyAlarmStateDiffers (quirks Q32)', () => {
  const base = cal(...vevent('SUMMARY:Birthday', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'END:VALARM'));
  it('true for X-MOZ-LASTACK/X-MOZ-SNOOZE-TIME, ACKNOWLEDGED, DTSTAMP, PRODID, order and folding', () => {
    const acked = cal(
      'BEGIN:VEVENT',
      'SUMMARY:Birthday',
      'UID:u1',
      'DTSTART:20260105T100000Z',
      'DTSTAMP:20260310T094500Z',
      'X-MOZ-LASTACK:20260310T094500Z',
      'X-MOZ-SNOOZE-TIME-1234:20260310T100000Z',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'TRIGGER:-PT15M',
      'ACKNOWLEDGED:20260310T094500Z',
      'END:VALARM',
      'END:VEVENT',
    ).replace('PRODID:-//t//t//EN', 'PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN');
    assert.equal(onlyAlarmStateDiffers(base, acked), true);
  });
  it('false for a changed summary, a removed alarm, or text that is not iCalendar', () => {
    assert.equal(onlyAlarmStateDiffers(base, base.replace('Birthday', 'Party')), false);
    assert.equal(onlyAlarmStateDiffers(base, cal(...vevent('SUMMARY:Birthday'))), false);
    assert.equal(onlyAlarmStateDiffers(base, 'BEGIN:VCARD\r\nEND:VCARD\r\n'), false);
    assert.equal(onlyAlarmStateDiffers(base, 'BEGIN:VCALENDAR\r\nnot ical'), false);
  });
});

describe('restoreAttendeeStatus (quirks Q34)', () => {
  const stored = cal(
    ...vevent('ATTENDEE;PARTSTAT=ACCEPTED:mailto:A@example.com', 'ATTENDEE;PARTSTAT=DECLINED:mailto:b@example.com'),
    'BEGIN:VEVENT',
    'UID:u1',
    'DTSTAMP:20260101T000000Z',
    'RECURRENCE-ID:20260112T100000Z',
    'DTSTART:20260112T100000Z',
    'ATTENDEE;PARTSTAT=TENTATIVE:mailto:a@example.com',
    'END:VEVENT',
  );
  it('a NEEDS-ACTION (or missing PARTSTAT) keeps the stored answer, per occurrence and address', () => {
    const incoming = cal(
      ...vevent('ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:a@example.com', 'ATTENDEE:mailto:b@example.com'),
      'BEGIN:VEVENT',
      'UID:u1',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID:20260112T100000Z',
      'DTSTART:20260112T100000Z',
      'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:a@example.com',
      'END:VEVENT',
    );
    const out = restoreAttendeeStatus(incoming, stored);
    assert.match(out, /ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example\.com/);
    assert.match(out, /ATTENDEE;PARTSTAT=DECLINED:mailto:b@example\.com/);
    assert.match(out, /RECURRENCE-ID:20260112T100000Z\r\nDTSTART:20260112T100000Z\r\nATTENDEE;PARTSTAT=TENTATIVE/);
  });
  it('a real answer from the client wins; no stored object means no change', () => {
    const incoming = cal(...vevent('ATTENDEE;PARTSTAT=DECLINED:mailto:a@example.com'));
    assert.equal(restoreAttendeeStatus(incoming, stored), incoming);
    assert.equal(restoreAttendeeStatus(incoming, undefined), incoming);
  });
});

describe('clampTimezoneStart (quirks Q27) and groupAttendeesAsIndividuals (quirks Q33)', () => {
  it('VTIMEZONE rules before 1900 start in 1970; event dates are untouched', () => {
    const text = cal(
      'BEGIN:VTIMEZONE',
      'TZID:X',
      'BEGIN:STANDARD',
      'DTSTART:00010101T030000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
      ...vevent(),
    );
    const out = clampTimezoneStart(text);
    assert.match(out, /DTSTART:19700101T030000/);
    assert.match(out, /DTSTART:20260105T100000Z/);
    const modern = cal(...vevent());
    assert.equal(clampTimezoneStart(modern), modern);
  });
  it('CUTYPE=GROUP becomes INDIVIDUAL, other parameters kept', () => {
    const out = groupAttendeesAsIndividuals(
      cal(...vevent('ATTENDEE;CN=Team;CUTYPE=GROUP;RSVP=TRUE:mailto:t@example.com')),
    );
    assert.match(out, /ATTENDEE;CN=Team;CUTYPE=INDIVIDUAL;RSVP=TRUE:mailto:t@example\.com/);
  });
});

describe('restoreGroupAttendees (quirks Q33, the way back)', () => {
  it('an attendee stored as a group stays one when DAVx5 writes it back as INDIVIDUAL', () => {
    const stored = cal(...vevent('ATTENDEE;CUTYPE=GROUP:mailto:team@example.com', 'ATTENDEE:mailto:ann@example.com'));
    const back = cal(
      ...vevent('ATTENDEE;CUTYPE=INDIVIDUAL:mailto:team@example.com', 'ATTENDEE:mailto:ann@example.com', 'SUMMARY:x'),
    );
    const out = restoreGroupAttendees(back, stored);
    assert.match(out, /ATTENDEE;CUTYPE=GROUP:mailto:team@example\.com/);
    assert.match(out, /ATTENDEE:mailto:ann@example\.com/);
    assert.equal(restoreGroupAttendees(back, undefined), back);
  });
});
