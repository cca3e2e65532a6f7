// RFC 4791 §9.9 overlap of an indexed TimeSpan with a range [start, end) (absent bounds unbounded),
// as the TimeSpan type documents it (inclusive rows compare with <= / >=).
import type { TimeSpan } from '../../src/backend/types.ts';

export function spanMatches(s: TimeSpan, start: number | undefined, end: number | undefined): boolean {
  if (s.busyOnly) return false;
  const beforeEnd = end === undefined || (s.inclStart ? s.start <= end : s.start < end);
  const afterStart = start === undefined || (s.inclEnd ? s.end >= start : s.end > start);
  return beforeEnd && afterStart;
}
