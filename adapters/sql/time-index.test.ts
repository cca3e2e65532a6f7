// The read side of the time index (time-index.ts) on SQLite: the one-statement candidate read (span
// scan grouped by name, joined to the objects) answers as the scan-then-fetch path does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PutInput, TimeIndex, TimeSpan } from '../../src/backend/types.ts';
import { toStored } from './objects.ts';
import { type OpenedSqlite, openSqlite } from './open.ts';
import { SqlExec } from './query/exec.ts';
import { calRef, event } from './test-fixtures.ts';
import { selectByTime } from './time-index.ts';

const DAY = 86_400_000;
const QS = Date.UTC(2024, 4, 1);
const QE = Date.UTC(2024, 5, 1);
const at = (day: number, hours = 1): TimeSpan => ({ start: QS + day * DAY, end: QS + day * DAY + hours * 3_600_000 });

function put(
  component: 'VEVENT' | 'VTODO' | undefined,
  spans: TimeSpan[] | undefined,
  more: Partial<TimeIndex> = {},
): PutInput {
  const input = event(`uid-${Math.random()}`, 'x', component ?? 'VEVENT');
  if (!component) input.componentType = undefined;
  if (spans) input.timeIndex = { spans, exact: true, ...more };
  return input;
}

/** Every case the read distinguishes, under names whose JavaScript and SQLite (UTF-8) orders differ. */
const OBJECTS: Record<string, PutInput> = {
  'a.ics': put('VEVENT', [at(3)]),
  'b-floating.ics': put('VEVENT', [at(4)], { exact: false }),
  'c-cut-hit.ics': put('VEVENT', [at(5)], { completeUntil: QS + 10 * DAY }),
  'd-cut-miss.ics': put('VEVENT', [at(-40)], { completeUntil: QS - 30 * DAY }),
  'e-unindexed.ics': put('VEVENT', undefined),
  'f-todo.ics': put('VTODO', [at(6)]),
  'g-untyped.ics': put(undefined, [at(7)]),
  'h-outside.ics': put('VEVENT', [at(45)]),
  'i-weekly.ics': put('VEVENT', [at(1), at(8), at(15), at(22), at(29)]),
  'j-busy-only.ics': put('VEVENT', [{ ...at(9), busyOnly: true }]),
  'k-long.ics': put('VEVENT', [{ start: QS - 60 * DAY, end: QE + 60 * DAY }]),
  'l-edge.ics': put('VEVENT', [{ start: QS - DAY, end: QS, inclEnd: true }]),
  'm-untyped-unindexed.ics': put(undefined, undefined),
  'z\u{1F600}.ics': put('VEVENT', [at(10)]),
  'z\uFFFD.ics': put('VEVENT', [at(11)], { exact: false }),
  'zé.ics': put('VEVENT', [at(12)]),
};

describe('time index reads (SQLite)', () => {
  let store: OpenedSqlite;
  let sql: SqlExec;
  let cid: number;
  before(async () => {
    store = await openSqlite(':memory:');
    const info = await store.backend.admin.createCollection(calRef(), 'calendar', {});
    for (const [name, input] of Object.entries(OBJECTS))
      await store.backend.putObject(info.ref, name, input, { ifNoneMatchAny: true });
    sql = new SqlExec(store.conn);
    cid = Number((await sql.get('SELECT cid FROM collections'))?.cid);
  });
  after(() => store.close());

  /** The answer as comparable data: stored objects, decided names, and the row order. */
  async function read(component: string, noBodies: boolean, withSpans: boolean, qs = QS, qe = QE) {
    const r = await sql.read((q) => selectByTime(q, cid, component, qs, qe, noBodies, withSpans));
    const items = r.rows.map((row) => {
      const o = toStored(row);
      return { ...o, body: new TextDecoder().decode(o.body), typed: row.component_type ?? null };
    });
    return { items, sure: [...r.sure].sort(), spans: r.spans };
  }

  for (const noBodies of [false, true]) {
    for (const component of ['VEVENT', 'VTODO']) {
      it(`one statement answers as scan + fetch (${component}, ${noBodies ? 'no bodies' : 'bodies'})`, async () => {
        const fast = await read(component, noBodies, false);
        const slow = await read(component, noBodies, true);
        assert.deepEqual(fast.items, slow.items);
        assert.deepEqual(fast.sure, slow.sure);
      });
    }
  }

  it('candidates in JavaScript name order, decided ones sure, the rest to evaluate', async () => {
    const { items, sure, spans } = await read('VEVENT', true, true);
    const names = items.map((o) => o.name);
    assert.deepEqual(names, [...names].sort());
    assert.deepEqual(names, [
      'a.ics',
      'b-floating.ics',
      'c-cut-hit.ics',
      'd-cut-miss.ics',
      'e-unindexed.ics',
      'g-untyped.ics',
      'i-weekly.ics',
      'k-long.ics',
      'l-edge.ics',
      'm-untyped-unindexed.ics',
      'zé.ics',
      'z\u{1F600}.ics',
      'z\uFFFD.ics',
    ]);
    assert.deepEqual(sure, ['a.ics', 'i-weekly.ics', 'k-long.ics', 'l-edge.ics', 'zé.ics', 'z\u{1F600}.ics']);
    // Bodies are left out only where the spans decide.
    for (const o of items) assert.equal(o.body === '', sure.includes(o.name), o.name);
    assert.equal(spans.get('i-weekly.ics')?.length, 5);
    assert.deepEqual(spans.get('l-edge.ics'), [{ start: QS - DAY, end: QS, inclEnd: true }]);
  });

  it('a range no span reaches: only what the index cannot answer (unindexed, cut before the range end)', async () => {
    const later = QE + 400 * DAY;
    const { items, sure } = await read('VEVENT', false, false, later, later + DAY);
    assert.deepEqual(
      items.map((o) => o.name),
      ['c-cut-hit.ics', 'd-cut-miss.ics', 'e-unindexed.ics', 'm-untyped-unindexed.ics'],
    );
    assert.deepEqual(sure, []);
  });
});
