// Helpers for the replica and fault tests (issue 6): a sync client that keeps its own view of a collection
// from sync-collection answers only, plain object requests, the truth from a PROPFIND, and the gateway
// environment for "several replicas on one Redis and one SQLite file".
import assert from 'node:assert/strict';
import { basicAuth, type ServerUser } from '../support/server.ts';
import { child, parseMultistatus, textOf } from '../support/xml-assert.ts';

export const TOKEN_PREFIX = 'http://davgate.invalid/sync/';

/** Environment of a gateway process using Redis at `url` (sync through the snapshot feed unless native). */
export function redisEnv(
  state: Record<string, string>,
  feed: 'snapshot' | 'native' = 'snapshot',
): Record<string, string> {
  return {
    DAVGATE_STATE_KIND: 'redis',
    DAVGATE_STORAGE_CHANGE_FEED: feed,
    DAVGATE_LOGGING_LEVEL: 'warn',
    ...state,
  };
}

export const ics = (uid: string, summary: string): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davgate//replica test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260105T100000Z',
    'DTEND:20260105T110000Z',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** The store part of a gateway sync token: epoch `e` and seq `t` (snapshot feed) or backend token. */
export function decodeToken(token: string): { b: string; t: string; e?: string } {
  assert.ok(token.startsWith(TOKEN_PREFIX), `not a davgate token: ${token}`);
  return JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

const syncBody = (token: string) =>
  `<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

const PROPFIND_ETAGS =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>';

export interface SyncAnswer {
  status: number;
  retryAfter?: string | null;
  /** 207 only: the new token, members changed (name → etag) and removed. */
  token?: string;
  changed?: Map<string, string>;
  deleted?: string[];
  /** 403 only: whether the precondition is valid-sync-token. */
  validSyncToken?: boolean;
  body: string;
}

/** Names of a collection's members from hrefs under `collection` (a path ending in /). */
const nameOf = (collection: string, href: string) => decodeURIComponent(href.slice(collection.length));

export async function syncCollection(
  origin: string,
  user: ServerUser,
  collection: string,
  token: string,
): Promise<SyncAnswer> {
  const res = await fetch(`${origin.replace(/\/$/, '')}${collection}`, {
    method: 'REPORT',
    headers: { Authorization: basicAuth(user), Depth: '0', 'Content-Type': 'application/xml' },
    body: syncBody(token),
  });
  const body = await res.text();
  if (res.status === 403) return { status: 403, body, validSyncToken: body.includes('valid-sync-token') };
  if (res.status !== 207) return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  const ms = parseMultistatus(body);
  const tokenEl = child(ms.root, '{DAV:}sync-token' as never);
  assert.ok(tokenEl, 'multistatus carries a sync-token');
  const changed = new Map<string, string>();
  const deleted: string[] = [];
  for (const r of ms.responses) {
    const name = nameOf(collection, r.href);
    if (r.status === 404) deleted.push(name);
    else {
      const etag = r.props.get('{DAV:}getetag');
      assert.ok(etag && etag.status === 200, `changed member ${r.href} has a getetag`);
      changed.set(name, textOf(etag.el).trim());
    }
  }
  return { status: 207, token: textOf(tokenEl).trim(), changed, deleted, body };
}

/** A client's copy of a collection, changed only by what sync-collection reports. */
export class SyncView {
  token = '';
  readonly members = new Map<string, string>();

  /** Applies a 207 answer (a full listing when the token was empty). */
  apply(a: SyncAnswer, wasInitial: boolean): void {
    assert.equal(a.status, 207);
    if (wasInitial) this.members.clear();
    for (const [n, e] of a.changed ?? []) this.members.set(n, e);
    for (const n of a.deleted ?? []) this.members.delete(n);
    this.token = a.token as string;
  }

  snapshot(): [string, string][] {
    return [...this.members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** The collection as the backend holds it: PROPFIND Depth 1 (answered from the backend, no state store). */
export async function listCollection(
  origin: string,
  user: ServerUser,
  collection: string,
): Promise<[string, string][]> {
  const res = await fetch(`${origin.replace(/\/$/, '')}${collection}`, {
    method: 'PROPFIND',
    headers: { Authorization: basicAuth(user), Depth: '1', 'Content-Type': 'application/xml' },
    body: PROPFIND_ETAGS,
  });
  const body = await res.text();
  assert.equal(res.status, 207, `PROPFIND ${collection}: ${res.status} ${body}`);
  return parseMultistatus(body)
    .responses.filter((r) => r.href !== collection)
    .map((r): [string, string] => [nameOf(collection, r.href), textOf(r.props.get('{DAV:}getetag')?.el ?? r.el).trim()])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function putObject(
  origin: string,
  user: ServerUser,
  href: string,
  body: string,
): Promise<{ status: number; etag: string | null }> {
  const res = await fetch(`${origin.replace(/\/$/, '')}${href}`, {
    method: 'PUT',
    headers: { Authorization: basicAuth(user), 'Content-Type': 'text/calendar; charset=utf-8' },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, etag: res.headers.get('etag') };
}

export async function request(
  origin: string,
  user: ServerUser,
  method: string,
  href: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${origin.replace(/\/$/, '')}${href}`, {
    method,
    headers: { Authorization: basicAuth(user), ...headers },
    body,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
