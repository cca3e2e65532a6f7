// RFC 4791 §7.8 CALDAV:calendar-query: the calendar object resources of a calendar (or the one
// object addressed) that match the §9.7 filter, with the requested properties. Candidates come
// from backend.query when the backend can narrow them (post-filtered unless the narrowing is the
// whole filter), else from listObjects + getObjects in batches.
import type { Backend } from '../backend/port.ts';
import type { CollectionInfo, StoredObject, TimeSpan } from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import { streamMultistatus } from '../dav/multistatus-stream.ts';
import { needsBody, type PropRequest, renderBatches } from '../dav/props/render.ts';
import type { ReportHandler } from '../dav/reports/registry.ts';
import { type ObjectResource, objectResource, type Resource } from '../dav/resource.ts';
import { caldav, dav } from '../dav/xml/names.ts';
import { child, textOf, type XmlElement } from '../dav/xml/tree.ts';
import { parseCalendarDataRequest, type UtcRange } from './calendar-data-request.ts';
import { normaliseTimezoneText, timeEnvFor, timezoneFromId } from './calendar-timezone.ts';
import { backendQueryOf, type CompFilter, parseFilter } from './filter.ts';
import { matchesFilter } from './filter-eval.ts';
import { parseVcalendar } from './ical.ts';
import { isCalendar, isCalendarObject } from './props.ts';
import type { TimeEnv } from './recurrence.ts';
import { rememberParsed, rememberSpans, rememberTimezone } from './render-hints.ts';
import { reportPropRequest } from './report-props.ts';
import { spanMatches } from './time-index.ts';
import { knownZoneSpans, rememberZoneSpans } from './zone-spans.ts';

export interface CalendarQuery {
  props: PropRequest;
  /** undefined: every object matches (missing or empty filter, or a bare VCALENDAR comp-filter). */
  filter?: CompFilter;
  /** §9.8 CALDAV:timezone (normalised VCALENDAR text) overriding calendar-timezone. */
  timezone?: string;
}

/** Stateless without `stream`: one decoder for every object. */
const utf8 = new TextDecoder('utf-8');
/** Objects fetched per getObjects call when listing. */
const BATCH = 100;

/** The calendar a CalDAV report on `target` works in (the collection itself, or an object's). */
export function calendarOf(target: Resource): { info: CollectionInfo; backend: Backend } {
  if (target.type === 'collection') return { info: target.info, backend: target.backend };
  if (target.type === 'object') return { info: target.collection, backend: target.backend };
  throw new DavError(403, dav('supported-report'), 'CalDAV reports apply to calendars and calendar objects');
}

/** A filter every calendar object matches: `<C:comp-filter name="VCALENDAR"/>`. */
function matchesAll(f: CompFilter | undefined): boolean {
  return !f || (f.test === undefined && f.props.length === 0 && f.comps.length === 0);
}

/** Whether the BackendQuery derived from the filter says everything the filter says. */
function expressibleAsBackendQuery(f: CompFilter): boolean {
  if (f.test || f.props.length || f.comps.length !== 1) return false;
  const c = f.comps[0];
  return c.test?.kind !== 'is-not-defined' && c.props.length === 0 && c.comps.length === 0;
}

/** A batch of candidates; `trusted` when they are known to match without evaluating the filter. */
interface Batch {
  items: ObjectResource[];
  trusted: boolean;
  /** Names in `items` that must be evaluated even when `trusted`. */
  unsure?: Set<string>;
}

async function* listAll(info: CollectionInfo, backend: Backend, trusted: boolean): AsyncGenerator<Batch> {
  const refs = [];
  for await (const r of backend.listObjects(info.ref)) refs.push(r);
  refs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (trusted) {
    // Every object matches: no bodies needed unless a requested property wants them (render loads).
    yield { items: refs.map((r) => objectResource(info, backend, r)), trusted };
    return;
  }
  for (let i = 0; i < refs.length; i += BATCH) {
    const names = refs.slice(i, i + BATCH).map((r) => r.name);
    const objects = await backend.getObjects(info.ref, names);
    yield { items: objects.map((o) => objectResource(info, backend, o, o)), trusted };
  }
}

/** The expand range of a requested calendar-data, if any (for index spans, expand.ts). */
function expandRange(props: PropRequest): { start: number; end: number } | undefined {
  if (props.kind !== 'prop') return undefined;
  for (const p of props.props) {
    if (p.name !== caldav('calendar-data')) continue;
    const r = parseCalendarDataRequest(p).expand;
    if (r) return r;
  }
  return undefined;
}

async function* candidates(ctx: DavContext, target: Resource, q: CalendarQuery): AsyncGenerator<Batch> {
  const { info, backend } = calendarOf(target);
  if (target.type === 'object') {
    // Depth 0 on a calendar object resource: the object alone.
    const [o] = target.object ? [target.object] : await backend.getObjects(info.ref, [target.ref.name]);
    if (o) yield { items: [objectResource(info, backend, o, o)], trusted: matchesAll(q.filter) };
    return;
  }
  // Depth 0 (or none) on the calendar is answered like Depth 1: clients that send it mean the
  // members (quirks Q12, Windows); the collection itself never matches a calendar filter.
  if (matchesAll(q.filter)) {
    yield* listAll(info, backend, true);
    return;
  }
  if (backend.query) {
    const bq = backendQueryOf(q.filter);
    const expand = expandRange(q.props);
    const range = bq.timeRange;
    // Index spans make expand cheap when it asks for the filter's own range (the usual client request).
    if (expand && range && range.start?.getTime() === expand.start && range.end?.getTime() === expand.end) {
      bq.spans = true;
    }
    const trusted = q.filter !== undefined && expressibleAsBackendQuery(q.filter);
    // Trusted items need no body unless a requested property does (getetag-only REPORTs, the usual sync).
    const bodiless = trusted && !needsBody(ctx, q.props, [objectResource(info, backend, { name: '', etag: '' })]);
    if (bodiless) bq.noBodies = true;
    const r = await backend.query(info.ref, bq);
    const unsure = new Set(r.unsure ?? []);
    const items = r.items.map((o) =>
      bodiless && r.exact && !unsure.has(o.name)
        ? objectResource(info, backend, o)
        : objectResource(info, backend, o, o),
    );
    if (r.spans && expand) {
      for (const o of r.items) {
        const spans = r.spans[o.name];
        if (spans) rememberSpans(o, spans, expand);
      }
    }
    yield { items, trusted: trusted && r.exact, unsure };
    return;
  }
  yield* listAll(info, backend, false);
}

/** The top component and time range of a filter the backend query expresses whole (see above). */
function trustedTimeRange(f: CompFilter | undefined): { component: string; start?: number; end?: number } | undefined {
  const c = f && expressibleAsBackendQuery(f) ? f.comps[0] : undefined;
  return c?.test?.kind === 'time-range' ? { component: c.name, start: c.test.start, end: c.test.end } : undefined;
}

/** Remembered spans of an object version in `env`'s zone, when they are complete up to the range's end. */
function zoneSpans(r: ObjectResource, o: StoredObject, env: TimeEnv, end: number | undefined): TimeSpan[] | undefined {
  const known = knownZoneSpans(r.collection.ref, o.name, o.etag, env);
  if (!known || (known.completeUntil !== undefined && (end === undefined || known.completeUntil <= end)))
    return undefined;
  return known.spans;
}

function matches(
  ctx: DavContext,
  q: CalendarQuery,
  r: ObjectResource,
  trusted: boolean,
  expand: UtcRange | undefined,
): boolean {
  const o = r.object;
  if (!o) return false;
  const env = timeEnvFor(r.collection, q.timezone);
  // An object the index could not place (floating, all-day) is decided by its spans in this zone
  // when an earlier query computed them (zone-spans.ts); otherwise it is parsed and they are kept.
  const tr = trusted ? trustedTimeRange(q.filter) : undefined;
  // §9.6.5 expand over the filter's own range: the zone spans name the instances (fast expand).
  const forExpand = tr && expand && tr.start === expand.start && tr.end === expand.end ? expand : undefined;
  const hits = (spans: TimeSpan[]) => spans.filter((s) => spanMatches(s, tr?.start, tr?.end));
  const decide = (spans: TimeSpan[]) => {
    const found = hits(spans);
    if (forExpand && found.length) rememberSpans(o, found, forExpand);
    return found.length > 0;
  };
  const known = tr && zoneSpans(r, o, env, tr.end);
  if (known) return decide(known);
  const root = parseVcalendar(utf8.decode(o.body));
  if (!root) {
    ctx.log.debug('calendar-query skips an unparsable stored object', { name: r.ref.name });
    return false;
  }
  rememberParsed(o, root);
  if (!tr) return matchesFilter(q.filter, root, env);
  // The spans just computed decide as they will for the next query (one instance walk, not two).
  rememberZoneSpans(r.collection.ref, o.name, o.etag, env, root, tr.component);
  const computed = zoneSpans(r, o, env, tr.end);
  return computed ? decide(computed) : matchesFilter(q.filter, root, env);
}

export const calendarQuery: ReportHandler<CalendarQuery> = {
  name: caldav('calendar-query'),
  appliesTo: (r) => isCalendar(r) || isCalendarObject(r),
  parse(_ctx: DavContext, body: XmlElement): CalendarQuery {
    const props = reportPropRequest(body);
    const parsed = parseFilter(child(body, caldav('filter')));
    // §9.8 CALDAV:timezone, or RFC 7809 §5.3 CALDAV:timezone-id (not both).
    const tz = child(body, caldav('timezone'));
    const tzid = child(body, caldav('timezone-id'));
    if (tz && tzid) throw new DavError(400, undefined, 'calendar-query takes timezone or timezone-id, not both');
    return {
      props,
      filter: matchesAll(parsed) ? undefined : parsed,
      timezone: tz ? normaliseTimezoneText(textOf(tz)) : tzid ? timezoneFromId(textOf(tzid)) : undefined,
    };
  },
  async run(ctx: DavContext, target: Resource, q: CalendarQuery) {
    // Each batch of candidates is filtered and rendered before the next is read (streamed multistatus).
    const expand = expandRange(q.props);
    async function* responses(): AsyncGenerator<XmlElement[]> {
      for await (const batch of candidates(ctx, target, q)) {
        const found: ObjectResource[] = [];
        for (const r of batch.items) {
          const sure = batch.trusted && !batch.unsure?.has(r.ref.name);
          if (sure || matches(ctx, q, r, batch.trusted, expand)) found.push(r);
          if (q.timezone && r.object) rememberTimezone(r.object, q.timezone);
        }
        yield* renderBatches(ctx, found, q.props);
      }
    }
    return streamMultistatus(responses());
  },
};
