// Candidate narrowing for calendar-query in SabreDAV's columns, as its PDO calendarQuery does: the
// componenttype, and for VEVENT time ranges `lastoccurence > start AND firstoccurence < end`. Rows SabreDAV
// left without occurrence columns are always candidates; floating times (resolved in the calendar's zone by
// the core, in the server zone by SabreDAV) are covered by widening the range by a day each way.
import type { BackendQuery } from '../../../src/backend/port.ts';
import type { AnyDb } from '../query/connect.ts';
import type { Handle } from './handles.ts';
import { str } from './rows.ts';

const DAY = 86_400;

/** Names of candidate objects, or undefined when the query does not narrow (every object is a candidate). */
export async function narrowedNames(db: AnyDb, h: Handle, q: BackendQuery): Promise<string[] | undefined> {
  if (q.kind !== 'calendar' || !q.component) return undefined;
  const component = q.component.toUpperCase();
  let sel = db
    .selectFrom('calendarobjects')
    .select('uri')
    .where('calendarid', '=', h.dataId)
    .where((eb) => eb.or([eb('componenttype', '=', component), eb('componenttype', 'is', null)]));
  const range = q.timeRange;
  if (component === 'VEVENT' && range && (range.start || range.end)) {
    if (range.start) {
      const s = Math.floor(range.start.getTime() / 1000) - DAY;
      sel = sel.where((eb) => eb.or([eb('lastoccurence', '>=', s), eb('lastoccurence', 'is', null)]));
    }
    if (range.end) {
      const e = Math.ceil(range.end.getTime() / 1000) + DAY;
      sel = sel.where((eb) => eb.or([eb('firstoccurence', '<=', e), eb('firstoccurence', 'is', null)]));
    }
  }
  return (await sel.orderBy('uri').execute()).map((r) => str(r.uri));
}
