// URL ⇄ typed resource path (DESIGN.md §URL space). Hrefs are always built from the public prefix.
import type { CollectionRef, HomeKind } from '../backend/types.ts';

export type DavPath =
  | { type: 'root' }
  | { type: 'principals' }
  | { type: 'principal'; user: string }
  /** RFC 6638 §2.2/§2.1 scheduling Inbox and Outbox of a principal (below it, so no calendar id can collide). */
  | { type: 'schedule-box'; box: ScheduleBox; user: string }
  | { type: 'home-root'; home: HomeKind }
  | { type: 'home'; home: HomeKind; user: string }
  /** Below a home: one or more segments; which prefix is a collection is resolved against the backend. */
  | { type: 'below-home'; home: HomeKind; user: string; segments: string[] };

export type ScheduleBox = 'inbox' | 'outbox';

const HOMES: Record<string, HomeKind> = { calendars: 'calendars', addressbooks: 'addressbooks' };

function decodeSegment(s: string): string | undefined {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * Parses a request path relative to the prefix. Returns undefined for paths outside the prefix or
 * with invalid segments ("..", NUL, bad escapes).
 */
export function parseDavPath(pathname: string, prefix: string): DavPath | undefined {
  const p = prefix.endsWith('/') ? prefix.replace(/\/+$/, '') : prefix;
  let rest: string;
  if (pathname === p || pathname === `${p}/`) rest = '';
  else if (pathname.startsWith(`${p}/`)) rest = pathname.slice(p.length + 1);
  else return undefined;
  const raw = rest.split('/').filter((s) => s !== '');
  const segs: string[] = [];
  for (const r of raw) {
    const d = decodeSegment(r);
    if (d === undefined || d === '.' || d === '..' || d.includes('\0') || d.includes('/')) return undefined;
    segs.push(d);
  }
  if (segs.length === 0) return { type: 'root' };
  const [first, user, ...more] = segs;
  if (first === 'principals') {
    if (!user) return { type: 'principals' };
    if (more.length === 1 && (more[0] === 'inbox' || more[0] === 'outbox'))
      return { type: 'schedule-box', box: more[0], user };
    if (more.length) return undefined;
    return { type: 'principal', user };
  }
  const home = HOMES[first];
  if (!home) return undefined;
  if (!user) return { type: 'home-root', home };
  if (more.length === 0) return { type: 'home', home, user };
  return { type: 'below-home', home, user, segments: more };
}

const UNRESERVED = /^[A-Za-z0-9._~@:-]*$/;

function enc(s: string): string {
  // Most segments (UUID names, ids) need no encoding: skip the three passes.
  if (UNRESERVED.test(s)) return s;
  return encodeURIComponent(s).replace(/%40/g, '@').replace(/%3A/g, ':');
}

/** Builds hrefs under the public prefix. */
export class Hrefs {
  readonly prefix: string;
  constructor(prefix: string) {
    this.prefix = prefix.replace(/\/+$/, '');
  }
  root(): string {
    return `${this.prefix}/`;
  }
  principals(): string {
    return `${this.prefix}/principals/`;
  }
  principal(user: string): string {
    return `${this.prefix}/principals/${enc(user)}/`;
  }
  scheduleBox(user: string, box: ScheduleBox): string {
    return `${this.principal(user)}${box}/`;
  }
  home(home: HomeKind, user: string): string {
    return `${this.prefix}/${home}/${enc(user)}/`;
  }
  /** Per ref object: a report renders thousands of members of one collection (one shared ref). */
  private readonly collections = new WeakMap<CollectionRef, string>();
  collection(ref: CollectionRef): string {
    let href = this.collections.get(ref);
    if (href === undefined) {
      href = `${this.home(ref.home, ref.owner)}${ref.id.split('/').map(enc).join('/')}/`;
      this.collections.set(ref, href);
    }
    return href;
  }
  object(ref: CollectionRef, name: string): string {
    return `${this.collection(ref)}${enc(name)}`;
  }
}
