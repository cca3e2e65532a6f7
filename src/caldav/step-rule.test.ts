import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type IcalComponent, type IcalTime, parseVcalendar } from './ical.ts';
import { recurExpansion } from './rule-expansion.ts';
import { stepExpansion } from './step-rule.ts';
import { VIENNA_VTIMEZONE as ZONE } from './test-support.ts';

function master(dtstart: string, rule: string, extra: string[] = []): IcalComponent {
  const text = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    ...ZONE,
    'BEGIN:VEVENT',
    'UID:a',
    'DTSTAMP:20240101T000000Z',
    dtstart,
    `RRULE:${rule}`,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const root = parseVcalendar(text);
  const comp = root?.getFirstSubcomponent('vevent');
  assert.ok(comp, text);
  return comp;
}

function sequence(next: () => IcalTime | null, max = 400): string[] {
  const out: string[] = [];
  for (let i = 0; i < max; i++) {
    const t = next();
    if (!t) {
      out.push('end');
      break;
    }
    out.push(`${t.toICALString()} ${t.zone?.tzid ?? '-'} ${t.toUnixTime()} ${t.isDate}`);
  }
  return out;
}

const STARTS = [
  'DTSTART:20240131T100000Z',
  'DTSTART:20240228T235959Z',
  'DTSTART:20231231T000000',
  'DTSTART;VALUE=DATE:20240229',
  'DTSTART;VALUE=DATE:20241230',
  'DTSTART;TZID=Europe/Vienna:20240330T023000',
  'DTSTART;TZID=Europe/Vienna:20241026T023000',
  'DTSTART;TZID=Europe/Vienna:20240324T020000',
  'DTSTART;TZID=Europe/Vienna:20281020T150000',
];
const RULES = [
  'FREQ=DAILY;COUNT=40',
  'FREQ=DAILY',
  'FREQ=DAILY;INTERVAL=3;COUNT=100',
  'FREQ=DAILY;UNTIL=20240415T090000Z',
  'FREQ=DAILY;UNTIL=20240415',
  'FREQ=DAILY;UNTIL=20200101T000000Z',
  'FREQ=WEEKLY;COUNT=60',
  'FREQ=WEEKLY',
  'FREQ=WEEKLY;INTERVAL=2;UNTIL=20250601T000000Z',
  'FREQ=WEEKLY;INTERVAL=5;COUNT=30;WKST=SU',
  'FREQ=WEEKLY;UNTIL=20241231T235959Z',
  'FREQ=DAILY;COUNT=1',
];
const EXDATES = [
  [],
  ['EXDATE:20240202T100000Z,20240203T100000Z'],
  ['EXDATE;VALUE=DATE:20240302,20240101'],
  ['EXDATE;TZID=Europe/Vienna:20240401T023000,20240331T023000'],
  ['EXDATE:19990101T000000Z', 'EXDATE:20240407T023000'],
];

describe('DAILY/WEEKLY rules without BYxxx parts stepped by days (RFC 5545 §3.3.10)', () => {
  it('yields what ical.js yields, instance by instance, for every DTSTART, rule and EXDATE mix', () => {
    let compared = 0;
    for (const start of STARTS) {
      for (const rule of RULES) {
        for (const ex of EXDATES) {
          const m = master(start, rule, ex);
          const dtstart = m.getFirstPropertyValue('dtstart') as IcalTime;
          const fast = stepExpansion(m, dtstart);
          assert.ok(fast, `${start} ${rule} takes the fast path`);
          const slow = recurExpansion(m, dtstart);
          assert.deepEqual(
            sequence(() => fast.next()),
            sequence(() => slow.next()),
            `${start} ${rule} ${ex.join(' ')}`,
          );
          compared++;
        }
      }
    }
    assert.equal(compared, STARTS.length * RULES.length * EXDATES.length);
  });

  it('leaves other rules, several rules and RDATEs to ical.js', () => {
    const start = 'DTSTART:20240131T100000Z';
    for (const rule of [
      'FREQ=MONTHLY;COUNT=3',
      'FREQ=WEEKLY;BYDAY=MO,WE',
      'FREQ=DAILY;BYHOUR=9,10',
      'FREQ=DAILY;COUNT=0',
    ]) {
      const m = master(start, rule);
      assert.equal(stepExpansion(m, m.getFirstPropertyValue('dtstart') as IcalTime), undefined, rule);
    }
    const two = master(start, 'FREQ=DAILY;COUNT=3', ['RRULE:FREQ=WEEKLY;COUNT=2']);
    assert.equal(stepExpansion(two, two.getFirstPropertyValue('dtstart') as IcalTime), undefined);
    const rdate = master(start, 'FREQ=DAILY;COUNT=3', ['RDATE:20240301T100000Z']);
    assert.equal(stepExpansion(rdate, rdate.getFirstPropertyValue('dtstart') as IcalTime), undefined);
  });
});
