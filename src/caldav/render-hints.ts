// What a REPORT learned about an object that its calendar-data rendering can use: index spans for the
// expand range (fast expand, expand.ts) and the request's CALDAV:timezone (§9.8) for floating times.
// Keyed weakly by the StoredObject, so nothing outlives the request's objects.
import type { StoredObject, TimeSpan } from '../backend/types.ts';
import type { IcalComponent } from './ical.ts';

export interface RenderHints {
  spans?: TimeSpan[];
  spansRange?: { start: number; end: number };
  /** Normalised VCALENDAR text of CALDAV:timezone. */
  timezone?: string;
  /** The object as parsed when the filter was evaluated (not modified), to render without a second parse. */
  root?: IcalComponent;
}

const hints = new WeakMap<StoredObject, RenderHints>();

/** The hints of an object, created on first use (one small object per object of a report). */
function own(o: StoredObject): RenderHints {
  let h = hints.get(o);
  if (!h) {
    h = {};
    hints.set(o, h);
  }
  return h;
}

export function rememberSpans(o: StoredObject, spans: TimeSpan[], range: { start: number; end: number }): void {
  const h = own(o);
  h.spans = spans;
  h.spansRange = range;
}

export function rememberTimezone(o: StoredObject, timezone: string): void {
  own(o).timezone = timezone;
}

export function hintsFor(o: StoredObject | undefined): RenderHints {
  return (o && hints.get(o)) ?? {};
}

export function rememberParsed(o: StoredObject, root: IcalComponent): void {
  own(o).root = root;
}
