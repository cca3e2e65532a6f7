// Instance spans of calendar objects the write-time index cannot place exactly: floating times and
// DATE values, whose instants depend on the zone they are read in (RFC 4791 §7.3: calendar-timezone,
// or the request's CALDAV:timezone). The backend returns such objects as `unsure`; their spans in the
// request's zone are computed once per object version and zone and kept here, so the next
// calendar-query over them decides from the spans instead of parsing the object again. Only spans
// are kept (a few numbers per instance), keyed by collection, name and ETag, in a bounded LRU.
import type { CollectionRef, TimeIndex } from '../backend/types.ts';
import type { IcalComponent, IcalTimezone } from './ical.ts';
import type { TimeEnv } from './recurrence.ts';
import { computeTimeIndex } from './time-index.ts';

/** Object versions remembered per zone at most (least recently used are dropped). */
export const ZONE_SPANS_MAX = 4096;

const UTC_KEY = {};
const byZone = new WeakMap<IcalTimezone | typeof UTC_KEY, Map<string, TimeIndex | null>>();

function keyOf(ref: CollectionRef, name: string, etag: string): string {
  return `${ref.owner}/${ref.home}/${ref.id}\u0000${name}\u0000${etag}`;
}

function tableFor(env: TimeEnv): Map<string, TimeIndex | null> {
  const zone = env.floatingZone ?? UTC_KEY;
  let t = byZone.get(zone);
  if (!t) {
    t = new Map();
    byZone.set(zone, t);
  }
  return t;
}

/** The remembered spans of an object version in `env`'s zone; null when they cannot be indexed. */
export function knownZoneSpans(
  ref: CollectionRef,
  name: string,
  etag: string,
  env: TimeEnv,
): TimeIndex | null | undefined {
  const t = tableFor(env);
  const k = keyOf(ref, name, etag);
  const v = t.get(k);
  if (v !== undefined) {
    t.delete(k);
    t.set(k, v);
  }
  return v;
}

/** Computes (from the parsed object) and remembers the spans of an object version in `env`'s zone. */
export function rememberZoneSpans(
  ref: CollectionRef,
  name: string,
  etag: string,
  env: TimeEnv,
  root: IcalComponent,
  component: string,
): void {
  const t = tableFor(env);
  const k = keyOf(ref, name, etag);
  t.delete(k);
  t.set(k, computeTimeIndex(root, component, Date.now(), env) ?? null);
  if (t.size > ZONE_SPANS_MAX) t.delete(t.keys().next().value as string);
}
