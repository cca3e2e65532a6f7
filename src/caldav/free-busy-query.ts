// RFC 4791 §7.10 CALDAV:free-busy-query: one VFREEBUSY with the busy time of a calendar inside a
// time range. Opaque VEVENT instances (FBTYPE from STATUS per the §7.10 table; overrides decide for
// their instances, so a cancelled or transparent instance is free) and the FREEBUSY periods of stored
// VFREEBUSY components count; periods are clipped to the range and coalesced per FBTYPE. Busy time
// comes from the write-time index when the backend has one (busySpans); objects it cannot answer and
// backends without it are evaluated from their bodies. Only collections can be queried (§7.10: 403 on
// an object resource, via appliesTo).
import type { DavContext } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import type { ReportHandler } from '../dav/reports/registry.ts';
import type { Resource } from '../dav/resource.ts';
import type { DavResponse } from '../dav/response.ts';
import { caldav } from '../dav/xml/names.ts';
import { childrenNamed, type XmlElement } from '../dav/xml/tree.ts';
import { calendarOf } from './calendar-query.ts';
import { timeEnvFor } from './calendar-timezone.ts';
import { parseTimeRange } from './filter.ts';
import { formatUtcDateTime, type IcalComponent, parseVcalendar } from './ical.ts';
import { isCalendar } from './props.ts';
import { recurrenceSets, type TimeEnv, walkInstances } from './recurrence.ts';
import { instanceSpans, spanOverlaps } from './time-range.ts';

export interface FreeBusyQuery {
  start: number;
  end: number;
}

interface Busy {
  type: string;
  start: number;
  end: number;
}

/** Stateless without `stream`: one decoder for every object. */
const utf8 = new TextDecoder('utf-8');
const BATCH = 100;

function collect(root: IcalComponent, q: FreeBusyQuery, env: TimeEnv, out: Busy[]): void {
  const r = { start: q.start, end: q.end };
  const add = (type: string, s: number, e: number) => {
    const start = Math.max(s, q.start);
    const end = Math.min(e, q.end);
    if (start < end) out.push({ type, start, end });
  };
  for (const set of recurrenceSets(root, 'vevent')) {
    walkInstances(set, env, q.end, (inst) => {
      for (const s of instanceSpans(inst, env)) if (s.busy && spanOverlaps(s, r)) add(s.busy, s.start, s.end);
      return false;
    });
  }
  for (const fb of root.getAllSubcomponents('vfreebusy')) {
    for (const s of instanceSpans({ comp: fb, shiftMs: 0 }, env)) if (s.busy) add(s.busy, s.start, s.end);
  }
}

/** Merges overlapping or adjacent periods of the same FBTYPE (§7.10, §11). */
export function coalesce(periods: Busy[]): Busy[] {
  const out: Busy[] = [];
  const sorted = [...periods].sort((a, b) => a.type.localeCompare(b.type) || a.start - b.start);
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && last.type === p.type && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else out.push({ ...p });
  }
  return out.sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
}

export function renderFreeBusy(q: FreeBusyQuery, busy: Busy[], now = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davgate//CalDAV gateway//EN',
    'BEGIN:VFREEBUSY',
    `DTSTAMP:${formatUtcDateTime(now.getTime())}`,
    `DTSTART:${formatUtcDateTime(q.start)}`,
    `DTEND:${formatUtcDateTime(q.end)}`,
    ...busy.map(
      (b) =>
        `FREEBUSY${b.type === 'BUSY' ? '' : `;FBTYPE=${b.type}`}:${formatUtcDateTime(b.start)}/${formatUtcDateTime(b.end)}`,
    ),
    'END:VFREEBUSY',
    'END:VCALENDAR',
    '',
  ];
  return lines.join('\r\n');
}

export const freeBusyQuery: ReportHandler<FreeBusyQuery> = {
  name: caldav('free-busy-query'),
  appliesTo: isCalendar,
  parse(_ctx: DavContext, body: XmlElement): FreeBusyQuery {
    const ranges = childrenNamed(body, caldav('time-range'));
    if (ranges.length !== 1) throw new DavError(400, undefined, 'free-busy-query needs exactly one time-range');
    const r = parseTimeRange(ranges[0]);
    if (r.start === undefined || r.end === undefined) {
      throw new DavError(400, undefined, 'free-busy-query needs a time-range with start and end');
    }
    return { start: r.start, end: r.end };
  },
  async run(_ctx: DavContext, target: Resource, q: FreeBusyQuery): Promise<DavResponse> {
    const { info, backend } = calendarOf(target);
    const env = timeEnvFor(info);
    const busy: Busy[] = [];
    let names: string[];
    if (backend.busySpans) {
      const r = await backend.busySpans(info.ref, { start: new Date(q.start), end: new Date(q.end) });
      for (const s of r.spans) {
        const start = Math.max(s.start, q.start);
        const end = Math.min(s.end, q.end);
        if (s.busy && start < end) busy.push({ type: s.busy, start, end });
      }
      names = r.unsure;
    } else {
      names = [];
      for await (const r of backend.listObjects(info.ref)) names.push(r.name);
    }
    for (let i = 0; i < names.length; i += BATCH) {
      for (const o of await backend.getObjects(info.ref, names.slice(i, i + BATCH))) {
        const root = parseVcalendar(utf8.decode(o.body));
        if (root) collect(root, q, env, busy);
      }
    }
    return {
      status: 200,
      headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
      body: renderFreeBusy(q, coalesce(busy)),
    };
  },
};
