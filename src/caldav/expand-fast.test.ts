// The fast expand (expand-fast.ts) must answer exactly as the general ical.js path of expand.ts
// (RFC 4791 §9.6.5) whenever it answers at all.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandComponent } from './expand.ts';
import { expandWithSpans, utcStamp } from './expand-fast.ts';
import { formatUtcDateTime, parseVcalendar, timezoneFromVcalendar } from './ical.ts';
import type { TimeEnv } from './recurrence.ts';
import { computeTimeIndex, spanMatches } from './time-index.ts';
import { vcalendarForZone } from './timezones.ts';

const VIENNA = vcalendarForZone('Europe/Vienna') ?? '';
const TZ = VIENNA.slice(VIENNA.indexOf('BEGIN:VTIMEZONE'), VIENNA.indexOf('END:VTIMEZONE') + 15);
const cal = (...events: string[][]) =>
  `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', TZ.replace(/\r?\n$/, ''), ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n')}\r\n`;

const RANGE = { start: Date.UTC(2026, 2, 1), end: Date.UTC(2026, 3, 1) };
const env: TimeEnv = { floatingZone: timezoneFromVcalendar(VIENNA) };

/** The instances' spans in the range, as the index (or the zone-span cache) gives them. */
function spansFor(text: string) {
  const root = parseVcalendar(text);
  assert.ok(root);
  const index = computeTimeIndex(root, 'VEVENT', RANGE.start, env);
  assert.ok(index);
  return index.spans.filter((s) => spanMatches(s, RANGE.start, RANGE.end));
}

/** Each expanded component as a sorted list of its content (order of properties aside). */
function normalised(text: string): string[][] {
  const root = parseVcalendar(text);
  assert.ok(root);
  return root.getAllSubcomponents().map((c) =>
    c
      .toString()
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n')
      .sort(),
  );
}

const CASES: Record<string, string> = {
  'zoned weekly with EXDATE and a moved override': cal(
    [
      'UID:w@t',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Europe/Vienna:20260302T090000',
      'DTEND;TZID=Europe/Vienna:20260302T100000',
      'RRULE:FREQ=WEEKLY;COUNT=8',
      'EXDATE;TZID=Europe/Vienna:20260309T090000',
      'SUMMARY:Weekly',
    ],
    [
      'UID:w@t',
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID;TZID=Europe/Vienna:20260316T090000',
      'DTSTART;TZID=Europe/Vienna:20260317T110000',
      'DTEND;TZID=Europe/Vienna:20260317T120000',
      'SUMMARY:Moved',
    ],
  ),
  'daily across the DST change, nominal DURATION': cal([
    'UID:d@t',
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Europe/Vienna:20260325T083000',
    'DURATION:P1D',
    'RRULE:FREQ=DAILY;COUNT=5',
    'SUMMARY:Daily',
  ]),
  'UTC single with an alarm': cal([
    'UID:u@t',
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260310T120000Z',
    'DURATION:PT45M',
    'SUMMARY:Single',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'TRIGGER:-PT15M',
    'DESCRIPTION:x',
    'END:VALARM',
  ]),
  'all-day single (zone spans)': cal([
    'UID:a@t',
    'DTSTAMP:20260101T000000Z',
    'DTSTART;VALUE=DATE:20260316',
    'DTEND;VALUE=DATE:20260318',
    'SUMMARY:All day',
  ]),
  'all-day single with DURATION': cal([
    'UID:b@t',
    'DTSTAMP:20260101T000000Z',
    'DTSTART;VALUE=DATE:20260331',
    'DURATION:P2D',
    'SUMMARY:Two days',
  ]),
};

describe('fast expand answers as the general path (RFC 4791 §9.6.5)', () => {
  for (const [title, text] of Object.entries(CASES)) {
    it(title, () => {
      const spans = spansFor(text);
      assert.ok(spans.length > 0, 'instances in the range');
      const fast = expandWithSpans(text, spans);
      assert.ok(fast !== undefined, 'the fast path answers');
      const root = parseVcalendar(text);
      assert.ok(root);
      const general = expandComponent(root, RANGE, env).toString();
      assert.ok(!fast.includes('BEGIN:VTIMEZONE'));
      assert.deepEqual(normalised(fast), normalised(general));
    });
  }

  it('leaves recurring all-day sets and floating times to the general path', () => {
    const allDay = cal([
      'UID:y@t',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20260301',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'SUMMARY:x',
    ]);
    assert.equal(expandWithSpans(allDay, spansFor(allDay)), undefined);
    const floating = cal(['UID:f@t', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260310T120000', 'SUMMARY:x']);
    assert.equal(expandWithSpans(floating, spansFor(floating)), undefined);
    const floatingAlarm = cal([
      'UID:g@t',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20260310',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'TRIGGER;VALUE=DATE-TIME:20260309T180000',
      'END:VALARM',
    ]);
    assert.equal(expandWithSpans(floatingAlarm, spansFor(floatingAlarm)), undefined);
  });

  it('utcStamp formats as formatUtcDateTime', () => {
    for (const ms of [
      0,
      Date.UTC(2026, 1, 28, 23, 59, 59),
      Date.UTC(2028, 1, 29, 1, 2, 3),
      Date.UTC(1999, 11, 31),
      -1000,
      Date.UTC(9999, 11, 31, 23, 59, 59),
      Date.UTC(10000, 0, 1),
      Date.UTC(812, 5, 6),
    ]) {
      assert.equal(utcStamp(ms), formatUtcDateTime(ms), String(ms));
    }
  });
});
