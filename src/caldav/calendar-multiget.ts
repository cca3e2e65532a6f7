// RFC 4791 §7.9 CALDAV:calendar-multiget: the listed calendar object resources with the requested
// properties, one DAV:response per href in request order. An href naming nothing in the calendar
// gets 404; an href outside the calendar the report targets gets 403 (the report's scope is that
// collection, §7.9). The Depth header is ignored (§7.9).
import type { DavContext } from '../dav/context.ts';
import { multistatus, statusResponse } from '../dav/multistatus.ts';
import { type PropRequest, renderResponses } from '../dav/props/render.ts';
import { parseMultigetHrefs } from '../dav/reports/multiget-hrefs.ts';
import type { ReportHandler } from '../dav/reports/registry.ts';
import type { ObjectResource, Resource } from '../dav/resource.ts';
import { caldav } from '../dav/xml/names.ts';
import type { XmlElement } from '../dav/xml/tree.ts';
import { calendarOf } from './calendar-query.ts';
import { type HrefTarget, objectHrefTarget } from './object-href.ts';
import { isCalendar, isCalendarObject } from './props.ts';
import { reportPropRequest } from './report-props.ts';

export interface CalendarMultiget {
  props: PropRequest;
  /** Hrefs as sent, duplicates removed, order kept (one response per href; quirks Q07). */
  hrefs: string[];
}

/** Objects fetched per getObjects call. */
const BATCH = 200;

export const calendarMultiget: ReportHandler<CalendarMultiget> = {
  name: caldav('calendar-multiget'),
  appliesTo: (r) => isCalendar(r) || isCalendarObject(r),
  parse(ctx: DavContext, body: XmlElement): CalendarMultiget {
    const hrefs = parseMultigetHrefs(ctx, body, 'calendar-multiget');
    return { props: reportPropRequest(body), hrefs };
  },
  async run(ctx: DavContext, target: Resource, q: CalendarMultiget) {
    const { info, backend } = calendarOf(target);
    const targets: HrefTarget[] = q.hrefs.map((h) => objectHrefTarget(ctx.hrefs, info.ref, h));
    const names = [...new Set(targets.flatMap((t) => (t.kind === 'member' ? [t.name] : [])))];
    const byName = new Map<string, ObjectResource>();
    for (let i = 0; i < names.length; i += BATCH) {
      for (const o of await backend.getObjects(info.ref, names.slice(i, i + BATCH))) {
        byName.set(o.name, {
          type: 'object',
          collection: info,
          backend,
          ref: { name: o.name, etag: o.etag },
          object: o,
        });
      }
    }
    const found = [...byName.values()];
    const rendered = new Map((await renderResponses(ctx, found, q.props)).map((r, i) => [found[i].ref.name, r]));
    const responses = q.hrefs.map((href, i) => {
      const t = targets[i];
      if (t.kind === 'outside') return statusResponse(href, 403);
      return rendered.get(t.name) ?? statusResponse(ctx.hrefs.object(info.ref, t.name), 404);
    });
    return multistatus(responses);
  },
};
