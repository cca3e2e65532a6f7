import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { decodeAllValues, parseVcalendar } from './ical.ts';
import { VIENNA_VTIMEZONE as ZONE } from './test-support.ts';
import { parseWithZones, zoneBlockOf } from './zone-blocks.ts';

const EVENT = [
  'BEGIN:VEVENT',
  'UID:a',
  'DTSTAMP:20240101T000000Z',
  'DTSTART;TZID=Europe/Vienna:20240301T100000',
  'END:VEVENT',
];

const ics = (...lines: string[]) => `${['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n')}\r\n`;

/** What ICAL.parse gives, or the error it throws: the fast path must give exactly the same. */
function outcome(parse: (t: string) => unknown, text: string): unknown {
  try {
    return { jcal: parse(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function same(text: string): void {
  // Twice: the first parse fills the block cache, the second uses it.
  for (let i = 0; i < 2; i++) assert.deepEqual(outcome(parseWithZones, text), outcome(ICAL.parse, text), text);
}

describe('VTIMEZONE blocks parsed once (zone-blocks.ts)', () => {
  it('gives what ICAL.parse gives, for zones before, between and after components', () => {
    same(ics(...ZONE, ...EVENT));
    same(ics(...EVENT, ...ZONE));
    same(ics(...ZONE, ...EVENT, ...ZONE.map((l) => l.replace('Vienna', 'Berlin'))));
    same(ics(...ZONE, ...ZONE, ...EVENT));
    same(ics(...ZONE));
  });

  it('gives what ICAL.parse gives for unbalanced, nested, folded or misplaced blocks', () => {
    same(ics(...ZONE.filter((l) => l !== 'END:STANDARD'), ...EVENT));
    same(ics(...ZONE.toSpliced(3, 0, 'END:X-EXTRA'), ...EVENT));
    same(ics(...ZONE.toSpliced(3, 0, 'END:DAYLIGHT', 'END:VTIMEZONE'), ...EVENT));
    same(ics('BEGIN:VEVENT', 'UID:a', ...ZONE, 'END:VEVENT'));
    same(`${ics(...EVENT)}${ZONE.join('\r\n')}\r\n`);
    same(ics(...ZONE.slice(0, -1), 'END:VTIMEZONE', ' X', ...EVENT));
    same(ics(...ZONE.toSpliced(1, 0, ' folded'), ...EVENT));
    same(ics(...ZONE, 'BEGIN:X-DAVGATE-ZONE-SLOT', 'END:X-DAVGATE-ZONE-SLOT', ...EVENT));
    same(ics(...ZONE, ...EVENT).replace('END:VCALENDAR\r\n', ''));
    same(ics(...ZONE.toSpliced(2, 0, 'BROKEN LINE'), ...EVENT));
    same(ics(...EVENT, 'BROKEN LINE', ...ZONE));
    same(ics(...ZONE, ...EVENT) + ics(...ZONE, ...EVENT));
  });

  it('gives what ICAL.parse gives for every fixture', () => {
    const root = join(import.meta.dirname, 'fixtures');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ics'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8').replace(/\r?\n/g, '\r\n');
      same(text);
    }
  });

  it('hands out copies: a change to one parse does not reach the next', () => {
    const text = ics(...ZONE, ...EVENT);
    const a = parseVcalendar(text);
    const zone = a?.getFirstSubcomponent('vtimezone');
    assert.ok(zone && zoneBlockOf(zone.jCal), 'the zone came from the block cache');
    zone.updatePropertyWithValue('tzid', 'Changed');
    const b = parseVcalendar(text);
    assert.equal(b?.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid'), 'Europe/Vienna');
  });

  it('decodes a block once; a bad value in a zone is still refused every time', () => {
    const bad = ics(...ZONE.map((l) => l.replace('TZOFFSETTO:+0200', 'TZOFFSETTO:2x')), ...EVENT);
    for (let i = 0; i < 2; i++) {
      const root = parseVcalendar(bad);
      assert.ok(root);
      assert.throws(() => decodeAllValues(root));
    }
    const good = parseVcalendar(ics(...ZONE, ...EVENT));
    assert.ok(good);
    decodeAllValues(good);
  });
});
