// What a REPORT learned about an object that its calendar-data rendering can use: index spans for the
// expand range (fast expand, expand.ts) and the request's CALDAV:timezone (§9.8) for floating times.
// Keyed weakly by the StoredObject, so nothing outlives the request's objects.
import type { StoredObject, TimeSpan } from '../backend/types.ts';

export interface RenderHints {
  spans?: TimeSpan[];
  spansRange?: { start: number; end: number };
  /** Normalised VCALENDAR text of CALDAV:timezone. */
  timezone?: string;
}

const hints = new WeakMap<StoredObject, RenderHints>();

export function rememberSpans(o: StoredObject, spans: TimeSpan[], range: { start: number; end: number }): void {
  hints.set(o, { ...hints.get(o), spans, spansRange: range });
}

export function rememberTimezone(o: StoredObject, timezone: string): void {
  hints.set(o, { ...hints.get(o), timezone });
}

export function hintsFor(o: StoredObject | undefined): RenderHints {
  return (o && hints.get(o)) ?? {};
}
