// RFC 5545 §3.3.10 BYWEEKNO: week numbers with WKST, and the expansion ical.js gets wrong.
// Week numbers for WKST=MO are ISO 8601's (checked against Python's date.isocalendar()).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { weekNumbers } from './byweekno.ts';
import { ICAL } from './ical.ts';
import { recurExpansion } from './rule-expansion.ts';

const MO = 1;
const SU = 0;

describe('RFC 5545 §3.3.10 BYWEEKNO', () => {
  it('week numbers with WKST=MO are ISO weeks, from the start and from the end', () => {
    assert.deepEqual(weekNumbers(2020, 12, 31, MO), [53, -1]);
    assert.deepEqual(weekNumbers(2021, 1, 3, MO), [53, -1]);
    assert.deepEqual(weekNumbers(2025, 12, 29, MO), [1, -53]);
    assert.deepEqual(weekNumbers(2027, 1, 3, MO), [53, -1]);
    assert.deepEqual(weekNumbers(2029, 12, 31, MO), [1, -52]);
    assert.deepEqual(weekNumbers(2026, 5, 11, MO), [20, -34]);
  });

  it('WKST=SU: week 1 is the Sunday-started week holding 4 January', () => {
    // 2026-01-04 is a Sunday: week 1 starts on it; 2026-01-03 is in week 53 of 2025 (which began on
    // Sunday 2024-12-29).
    assert.deepEqual(weekNumbers(2026, 1, 4, SU), [1, -52]);
    assert.deepEqual(weekNumbers(2026, 1, 3, SU), [53, -1]);
    assert.equal(weekNumbers(2026, 1, 11, SU)[0], 2);
  });

  it('FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO expands to the Monday of week 20 each year (RFC 5545 example)', () => {
    const vevent = ICAL.Component.fromString(
      'BEGIN:VEVENT\r\nUID:x\r\nDTSTART:19970512T090000Z\r\nRRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=4\r\nEND:VEVENT',
    );
    const e = recurExpansion(vevent, vevent.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>);
    const got: string[] = [];
    for (let t = e.next(); t; t = e.next()) got.push(t.toString());
    // RFC 5545 §3.8.5.3: "Monday of week number 20 (where the default start of the week is Monday),
    // forever: (1997 9:00 AM EDT) May 12; (1998) May 11; (1999) May 17; ..."
    assert.deepEqual(got, [
      '1997-05-12T09:00:00Z',
      '1998-05-11T09:00:00Z',
      '1999-05-17T09:00:00Z',
      '2000-05-15T09:00:00Z',
    ]);
  });

  it('a rule no year can satisfy ends instead of looping (BYMONTH=1;BYWEEKNO=30)', () => {
    const vevent = ICAL.Component.fromString(
      'BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T090000Z\r\nRRULE:FREQ=YEARLY;BYMONTH=1;BYWEEKNO=30;BYDAY=MO\r\nEND:VEVENT',
    );
    const e = recurExpansion(vevent, vevent.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>);
    const got: string[] = [];
    for (let t = e.next(); t; t = e.next()) got.push(t.toString());
    // ical.js returns DTSTART first whatever the rule (the walker in recurrence.ts adds it anyway).
    assert.ok(got.length <= 1);
  });
});
