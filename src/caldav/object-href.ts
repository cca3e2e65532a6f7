// Maps a DAV:href from a calendar-multiget body (RFC 4791 §7.9) to an object name in one calendar
// collection. Hrefs may be absolute URLs or paths and may encode characters differently from the
// hrefs we generate (quirks Q05: `@` raw or as %40), so paths are compared decoded.
import type { CollectionRef } from '../backend/types.ts';
import type { Hrefs } from '../dav/path.ts';
import { parseDavPath } from '../dav/path.ts';

export type HrefTarget = { kind: 'member'; name: string } | { kind: 'outside' };

/** Whether `href` names a direct member of the collection `ref` (and which), or lies elsewhere. */
export function objectHrefTarget(hrefs: Hrefs, ref: CollectionRef, href: string): HrefTarget {
  let path = href.trim().split(/[?#]/)[0];
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      return { kind: 'outside' };
    }
  }
  const p = parseDavPath(path, hrefs.prefix);
  if (p?.type !== 'below-home' || p.home !== ref.home || p.user !== ref.owner) return { kind: 'outside' };
  const base = ref.id.split('/');
  const segs = p.segments;
  if (segs.length !== base.length + 1 || base.some((b, i) => segs[i] !== b)) return { kind: 'outside' };
  return { kind: 'member', name: segs[segs.length - 1] };
}
