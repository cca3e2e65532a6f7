import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import type { CollectionRef } from '../backend/types.ts';
import { DavError } from '../dav/dav-error.ts';
import type { Resource } from '../dav/resource.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { coalesce, freeBusyQuery } from './free-busy-query.ts';
import { fixture, RFC_FIXTURES, testContext } from './test-support.ts';

const CAL: CollectionRef = { owner: 'alice', home: 'calendars', id: 'work' };
const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';

async function setup(names: string[]) {
  const backend = new MemoryBackend();
  const info = await backend.seedCollection(CAL, 'calendar');
  for (const n of names) {
    await backend.seedObject(CAL, `${n.split('/').pop()}.ics`, {
      body: new TextEncoder().encode(fixture(`${n.includes('/') ? n : `rfc4791/${n}`}.ics`)),
      contentType: 'text/calendar',
    });
  }
  const target: Resource = { type: 'collection', info, backend };
  return { ctx: testContext({ backend }), target };
}

async function freebusy(names: string[], start: string, end: string): Promise<string[]> {
  const { ctx, target } = await setup(names);
  const q = freeBusyQuery.parse(
    ctx,
    parseXml(`<C:free-busy-query ${C}><C:time-range start="${start}" end="${end}"/></C:free-busy-query>`),
  );
  const res = await freeBusyQuery.run(ctx, target, q);
  assert.equal(res.status, 200);
  assert.equal(res.headers?.['Content-Type'], 'text/calendar; charset=utf-8');
  const lines = String(res.body).split('\r\n');
  assert.equal(lines[0], 'BEGIN:VCALENDAR');
  assert.ok(lines.includes(`DTSTART:${start}`) && lines.includes(`DTEND:${end}`));
  return lines.filter((l) => l.startsWith('FREEBUSY'));
}

describe('CALDAV:free-busy-query REPORT (RFC 4791 §7.10)', () => {
  it('§7.10.1: Jan 4 2006, 9:00–17:00 EST — the tentative event and the moved instance', async () => {
    // The RFC example's end (20060105T220000Z) contradicts its prose and its answer; the prose range is used.
    assert.deepEqual(await freebusy(RFC_FIXTURES, '20060104T140000Z', '20060104T220000Z'), [
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20060104T150000Z/20060104T160000Z',
      'FREEBUSY:20060104T190000Z/20060104T200000Z',
    ]);
  });

  it('recurring instances, stored VFREEBUSY periods (not FREE) and clipping to the range', async () => {
    assert.deepEqual(await freebusy(['abcd2', 'abcd8'], '20060102T000000Z', '20060103T110000Z'), [
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20060102T100000Z/20060102T120000Z',
      'FREEBUSY:20060102T170000Z/20060102T180000Z',
      'FREEBUSY:20060103T100000Z/20060103T110000Z',
    ]);
  });

  it('TRANSPARENT events (Apple all-day) are free; no busy time gives a VFREEBUSY without FREEBUSY', async () => {
    assert.deepEqual(await freebusy(['clients/apple-allday'], '20240301T000000Z', '20240401T000000Z'), []);
  });

  it('§7.10: busy periods of the same type are coalesced', () => {
    assert.deepEqual(
      coalesce([
        { type: 'BUSY', start: 0, end: 10 },
        { type: 'BUSY', start: 10, end: 20 },
        { type: 'BUSY-TENTATIVE', start: 5, end: 8 },
        { type: 'BUSY', start: 30, end: 40 },
      ]),
      [
        { type: 'BUSY', start: 0, end: 20 },
        { type: 'BUSY-TENTATIVE', start: 5, end: 8 },
        { type: 'BUSY', start: 30, end: 40 },
      ],
    );
  });

  it('needs exactly one time-range with start and end', async () => {
    const { ctx } = await setup([]);
    for (const inner of ['', '<C:time-range start="20060104T140000Z"/>']) {
      assert.throws(
        () => freeBusyQuery.parse(ctx, parseXml(`<C:free-busy-query ${C}>${inner}</C:free-busy-query>`)),
        (e: unknown) => e instanceof DavError && e.status === 400,
      );
    }
  });

  it('applies to calendar collections only (§7.10: not to object resources)', async () => {
    const { target } = await setup([]);
    assert.equal(freeBusyQuery.appliesTo(target), true);
    const obj: Resource = {
      type: 'object',
      collection: (target as Extract<Resource, { type: 'collection' }>).info,
      backend: (target as Extract<Resource, { type: 'collection' }>).backend,
      ref: { name: 'a.ics', etag: 'x' },
    };
    assert.equal(freeBusyQuery.appliesTo(obj), false);
  });
});
