// RFC 4791 §7.9 CALDAV:calendar-multiget: the listed calendar object resources with the requested
// properties, one DAV:response per href in request order. An href naming nothing in the calendar
// gets 404; an href outside the calendar the report targets gets 403 (the report's scope is that
// collection, §7.9). The Depth header is ignored (§7.9).
import type { DavContext } from '../dav/context.ts';
import { statusResponse } from '../dav/multistatus.ts';
import { streamMultistatus } from '../dav/multistatus-stream.ts';
import { type PropRequest, RENDER_BATCH, renderOne } from '../dav/props/render.ts';
import { parseMultigetHrefs } from '../dav/reports/multiget-hrefs.ts';
import type { ReportHandler } from '../dav/reports/registry.ts';
import { objectResource, type Resource } from '../dav/resource.ts';
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
    // Objects are read a batch of hrefs at a time, rendered and released (streamed multistatus);
    // each batch's responses go to the writer as one array.
    async function* responses(): AsyncGenerator<XmlElement[]> {
      for (let i = 0; i < targets.length; i += RENDER_BATCH) {
        const batch = targets.slice(i, i + RENDER_BATCH);
        const names = [...new Set(batch.flatMap((t) => (t.kind === 'member' ? [t.name] : [])))];
        const objects = names.length ? await backend.getObjects(info.ref, names) : [];
        const byName = new Map(objects.map((o) => [o.name, o]));
        const out: XmlElement[] = [];
        for (let j = 0; j < batch.length; j++) {
          const t = batch[j];
          if (t.kind === 'outside') {
            out.push(statusResponse(q.hrefs[i + j], 403));
            continue;
          }
          const o = byName.get(t.name);
          if (!o) out.push(statusResponse(ctx.hrefs.object(info.ref, t.name), 404));
          else {
            out.push(await renderOne(ctx, objectResource(info, backend, o, o), q.props));
          }
        }
        yield out;
      }
    }
    return streamMultistatus(responses());
  },
};
