// Maps a DAV:href from a multiget body (RFC 6352 §8.7) to the name of a member of one address book.
// Hrefs may be absolute URLs or paths, and may encode characters differently from the hrefs we
// generate (quirks Q05: `@` raw or as %40), so segments are compared decoded.
import type { CollectionRef } from '../backend/types.ts';
import type { Hrefs } from '../dav/path.ts';

function decodedSegments(path: string): string[] | undefined {
  const out: string[] = [];
  for (const s of path.split('/')) {
    try {
      out.push(s.includes('%') ? decodeURIComponent(s) : s);
    } catch {
      return undefined;
    }
  }
  return out;
}

/**
 * The member name an href points to inside `ref`, or undefined when it points anywhere else; the
 * collection's own segments are computed once for all hrefs of a report.
 */
export function memberNamer(hrefs: Hrefs, ref: CollectionRef): (href: string) => string | undefined {
  const base = decodedSegments(hrefs.collection(ref));
  return (href) => {
    let path = href.trim();
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      try {
        path = new URL(path).pathname;
      } catch {
        return undefined;
      }
    }
    const q = path.search(/[?#]/);
    const segs = decodedSegments(q < 0 ? path : path.slice(0, q));
    if (!base || !segs || segs.length !== base.length) return undefined;
    // base ends with '' (trailing slash): every segment before it must be equal, the last one is the name.
    for (let i = 0; i < base.length - 1; i++) if (segs[i] !== base[i]) return undefined;
    const name = segs[segs.length - 1];
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) return undefined;
    return name;
  };
}

/** The member name `href` points to inside `ref`, or undefined when it points anywhere else. */
export function memberName(hrefs: Hrefs, ref: CollectionRef, href: string): string | undefined {
  return memberNamer(hrefs, ref)(href);
}
