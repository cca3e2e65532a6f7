// RFC 4791 §7.10 CALDAV:free-busy-query: one VFREEBUSY with the busy time of a calendar inside a
// time range. Opaque VEVENT instances (FBTYPE from STATUS per the §7.10 table) and the FREEBUSY
// periods of stored VFREEBUSY components count; periods are clipped to the range and coalesced per
// FBTYPE. Only collections can be queried (§7.10: 403 on an object resource, via appliesTo).
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
import { formatUtcDateTime, ICAL, type IcalComponent, parseVcalendar, toEpochMs } from './ical.ts';
import { isCalendar } from './props.ts';
import { someInstance, type TimeEnv } from './recurrence.ts';
import { eventSpan } from './time-range.ts';

export interface FreeBusyQuery {
  start: number;
  end: number;
}

interface Busy {
  type: string;
  start: number;
  end: number;
}

const BATCH = 100;

/** §7.10 table: TRANSPARENT or CANCELLED events are free; TENTATIVE is BUSY-TENTATIVE; else BUSY. */
function eventBusyType(ev: IcalComponent): string | undefined {
  if (String(ev.getFirstPropertyValue('transp') ?? 'OPAQUE').toUpperCase() === 'TRANSPARENT') return undefined;
  const status = String(ev.getFirstPropertyValue('status') ?? 'CONFIRMED').toUpperCase();
  if (status === 'CANCELLED') return undefined;
  return status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY';
}

function collect(root: IcalComponent, q: FreeBusyQuery, env: TimeEnv, out: Busy[]): void {
  const clip = (type: string, s: number, e: number) => {
    const start = Math.max(s, q.start);
    const end = Math.min(e, q.end);
    if (start < end) out.push({ type, start, end });
  };
  for (const ev of root.getAllSubcomponents('vevent')) {
    const type = eventBusyType(ev);
    const span = type ? eventSpan(ev, env) : undefined;
    if (!type || span?.end === undefined) continue;
    const { start, end } = span as { start: number; end: number };
    someInstance(ev, env, q.end, (shift) => {
      clip(type, start + shift, end + shift);
      return false;
    });
  }
  for (const fb of root.getAllSubcomponents('vfreebusy')) {
    for (const p of fb.getAllProperties('freebusy')) {
      const type = String(p.getParameter('fbtype') ?? 'BUSY').toUpperCase();
      if (type === 'FREE') continue;
      for (const v of p.getValues()) {
        if (v instanceof ICAL.Period)
          clip(type, toEpochMs(v.start, env.floatingZone), toEpochMs(v.getEnd(), env.floatingZone));
      }
    }
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
    const names: string[] = [];
    for await (const r of backend.listObjects(info.ref)) names.push(r.name);
    for (let i = 0; i < names.length; i += BATCH) {
      for (const o of await backend.getObjects(info.ref, names.slice(i, i + BATCH))) {
        const root = parseVcalendar(new TextDecoder('utf-8').decode(o.body));
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
