// SabreDAV's derived calendar columns (getDenormalizedData in sabre/dav lib/CalDAV/Backend/PDO.php), each
// expected value computed here independently of the implementation.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { deriveCalendarColumns, maxDateSeconds } from './derived.ts';

const enc = new TextEncoder();
const cal = (...lines: string[]) =>
  enc.encode(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n'));
const utc = (y: number, m: number, d: number, h = 0, mi = 0) => Date.UTC(y, m - 1, d, h, mi) / 1000;

describe('sabredav derived columns', () => {
  test('etag is the md5 hex of the bytes, size the byte length, uid and componenttype of the first component', () => {
    const body = cal(
      'BEGIN:VEVENT',
      'UID:ü-1',
      'DTSTART:20240102T100000Z',
      'DTEND:20240102T110000Z',
      'SUMMARY:Grüße',
      'END:VEVENT',
    );
    const d = deriveCalendarColumns(body, 'UTC');
    assert.equal(d.etag, createHash('md5').update(body).digest('hex'));
    assert.equal(d.size, Buffer.from(body).length);
    assert.equal(d.uid, 'ü-1');
    assert.equal(d.componenttype, 'VEVENT');
    assert.equal(d.firstoccurence, utc(2024, 1, 2, 10));
    assert.equal(d.lastoccurence, utc(2024, 1, 2, 11));
  });

  test('VTIMEZONE first is skipped; VTODO gets no occurrence columns', () => {
    const body = cal(
      'BEGIN:VTIMEZONE',
      'TZID:Custom',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
      'BEGIN:VTODO',
      'UID:todo-1',
      'DUE;TZID=Custom:20240105T120000',
      'END:VTODO',
    );
    const d = deriveCalendarColumns(body, 'UTC');
    assert.deepEqual([d.componenttype, d.uid, d.firstoccurence, d.lastoccurence], ['VTODO', 'todo-1', null, null]);
  });

  test('no UID is stored as the empty string, as PHP casts a missing property', () => {
    const d = deriveCalendarColumns(cal('BEGIN:VJOURNAL', 'DTSTART:20240101T000000Z', 'END:VJOURNAL'), 'UTC');
    assert.equal(d.uid, '');
  });

  test('DURATION adds to DTSTART; a DATE without DTEND lasts one day in the server zone', () => {
    const dur = deriveCalendarColumns(
      cal('BEGIN:VEVENT', 'UID:d', 'DTSTART:20240301T080000Z', 'DURATION:PT90M', 'END:VEVENT'),
      'UTC',
    );
    assert.equal(dur.lastoccurence, utc(2024, 3, 1, 9, 30));
    const day = deriveCalendarColumns(cal('BEGIN:VEVENT', 'UID:a', 'DTSTART;VALUE=DATE:20240102', 'END:VEVENT'), 'UTC');
    assert.deepEqual([day.firstoccurence, day.lastoccurence], [utc(2024, 1, 2), utc(2024, 1, 3)]);
    // Baïkal configured for Europe/Berlin: midnight local is 23:00 UTC the day before (CET = UTC+1).
    const berlin = deriveCalendarColumns(
      cal('BEGIN:VEVENT', 'UID:a', 'DTSTART;VALUE=DATE:20240102', 'END:VEVENT'),
      'Europe/Berlin',
    );
    assert.deepEqual([berlin.firstoccurence, berlin.lastoccurence], [utc(2024, 1, 1, 23), utc(2024, 1, 2, 23)]);
  });

  test('no DTEND, DURATION or DATE: lastoccurence = firstoccurence', () => {
    const d = deriveCalendarColumns(cal('BEGIN:VEVENT', 'UID:p', 'DTSTART:20240102T100000Z', 'END:VEVENT'), 'UTC');
    assert.equal(d.lastoccurence, d.firstoccurence);
  });

  test('TZID of an IANA zone is honoured, summer time included', () => {
    const d = deriveCalendarColumns(
      cal(
        'BEGIN:VEVENT',
        'UID:z',
        'DTSTART;TZID=Europe/Berlin:20240702T100000',
        'DTEND;TZID=Europe/Berlin:20240702T110000',
        'END:VEVENT',
      ),
      'UTC',
    );
    assert.deepEqual([d.firstoccurence, d.lastoccurence], [utc(2024, 7, 2, 8), utc(2024, 7, 2, 9)]);
  });

  test('finite recurrence: end of the last instance; an override moved later counts at its own time', () => {
    const lines = [
      'BEGIN:VEVENT',
      'UID:r',
      'DTSTART;TZID=Europe/Berlin:20240102T100000',
      'DTEND;TZID=Europe/Berlin:20240102T110000',
    ];
    const plain = deriveCalendarColumns(cal(...lines, 'RRULE:FREQ=DAILY;COUNT=3', 'END:VEVENT'), 'UTC');
    assert.deepEqual([plain.firstoccurence, plain.lastoccurence], [utc(2024, 1, 2, 9), utc(2024, 1, 4, 10)]);
    const moved = deriveCalendarColumns(
      cal(
        ...lines,
        'RRULE:FREQ=DAILY;COUNT=3',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:r',
        'RECURRENCE-ID;TZID=Europe/Berlin:20240103T100000',
        'DTSTART:20240110T100000Z',
        'DTEND:20240110T120000Z',
        'END:VEVENT',
      ),
      'UTC',
    );
    assert.equal(moved.lastoccurence, utc(2024, 1, 10, 12));
    const until = deriveCalendarColumns(
      cal(
        'BEGIN:VEVENT',
        'UID:u',
        'DTSTART:20240101T100000Z',
        'DTEND:20240101T103000Z',
        'RRULE:FREQ=WEEKLY;UNTIL=20240122T100000Z',
        'END:VEVENT',
      ),
      'UTC',
    );
    assert.equal(until.lastoccurence, utc(2024, 1, 22, 10, 30));
  });

  test('infinite recurrence: lastoccurence is MAX_DATE 2038-01-01 in the server zone', () => {
    const body = cal(
      'BEGIN:VEVENT',
      'UID:i',
      'DTSTART:20240101T100000Z',
      'DTEND:20240101T110000Z',
      'RRULE:FREQ=YEARLY',
      'END:VEVENT',
    );
    assert.equal(deriveCalendarColumns(body, 'UTC').lastoccurence, utc(2038, 1, 1));
    assert.equal(deriveCalendarColumns(body, 'Europe/Paris').lastoccurence, utc(2037, 12, 31, 23));
    assert.equal(maxDateSeconds('UTC'), 2145916800);
  });

  test('events before 1970 are clamped to 0', () => {
    const d = deriveCalendarColumns(
      cal('BEGIN:VEVENT', 'UID:o', 'DTSTART:19600101T000000Z', 'DTEND:19600101T010000Z', 'END:VEVENT'),
      'UTC',
    );
    assert.deepEqual([d.firstoccurence, d.lastoccurence], [0, 0]);
  });
});
