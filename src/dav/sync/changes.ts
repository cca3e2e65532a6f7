// The change feed behind sync-collection and getctag: the backend's native feed when it has one,
// else the snapshot fallback (src/backend/snapshot-sync.ts) over the state store.
import type { Backend } from '../../backend/port.ts';
import { snapshotChangesSince, snapshotCurrentToken } from '../../backend/snapshot-sync.ts';
import type { ChangeSet, CollectionInfo, ObjectRef } from '../../backend/types.ts';
import { StateUnavailableError } from '../../state/store.ts';
import type { DavContext } from '../context.ts';
import { encodeToken, invalidSyncToken, type SyncCursor } from './token.ts';

interface Feed {
  since(token: string | null): Promise<ChangeSet | 'invalid-token'>;
  current(): Promise<string>;
  epoch?: string;
}

/**
 * Replicas diffing one busy collection at once lose compare-and-set races and re-diff; a loser usually finds
 * the winner's commit complete on its next try. Enough tries that only sustained contention answers 503.
 */
const SNAPSHOT_SYNC = { maxAttempts: 12 };

async function feedFor(ctx: DavContext, backend: Backend, info: CollectionInfo): Promise<Feed> {
  const ref = info.ref;
  if (backend.changesSince) {
    const since = backend.changesSince.bind(backend);
    return {
      since: (t) => since(ref, t),
      current: async () => {
        if (backend.currentToken) return backend.currentToken(ref);
        const cs = await since(ref, null);
        if (cs === 'invalid-token') throw new Error('backend rejected the initial token');
        return cs.token;
      },
    };
  }
  const epoch = await ctx.state.epoch();
  return {
    since: (t) => snapshotChangesSince(backend, ref, ctx.state, t, SNAPSHOT_SYNC),
    current: () => snapshotCurrentToken(backend, ref, ctx.state, SNAPSHOT_SYNC),
    epoch,
  };
}

/**
 * Whether the state store's epoch changed while an answer was computed from it (a shared store restarted
 * empty or failed over mid-request): such an answer may mix two store lifetimes and must not be served.
 */
export async function epochMoved(ctx: DavContext, epoch: string | undefined): Promise<boolean> {
  return epoch !== undefined && (await ctx.state.epoch()) !== epoch;
}

const unsettled = () => new StateUnavailableError('the state store changed its epoch twice during one request');

/** The collection's current sync token (also used as getctag). */
export async function currentSyncToken(ctx: DavContext, backend: Backend, info: CollectionInfo): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const feed = await feedFor(ctx, backend, info);
    const t = await feed.current();
    if (await epochMoved(ctx, feed.epoch)) continue;
    return encodeToken({ b: backend.id, t, ...(feed.epoch ? { e: feed.epoch } : {}) });
  }
  throw unsettled();
}

export interface Delta {
  changed: ObjectRef[];
  deleted: string[];
  /** Token for the client's next request. */
  token: string;
  /** True when `limit` cut the delta; `token` then continues it. */
  truncated: boolean;
}

type Entry = { name: string; etag?: string };

function entries(cs: ChangeSet): Map<string, Entry> {
  const m = new Map<string, Entry>();
  for (const d of cs.deleted) m.set(d, { name: d });
  for (const c of cs.changed) m.set(c.name, { name: c.name, etag: c.etag });
  return m;
}

/**
 * Changes since a client cursor (undefined = initial sync), at most `limit` members when given.
 * RFC 6578 §3.6: a truncated answer gets a token that continues where it stopped.
 */
export async function changesFor(
  ctx: DavContext,
  backend: Backend,
  info: CollectionInfo,
  cursor: SyncCursor | undefined,
  limit: number | undefined,
): Promise<Delta> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const feed = await feedFor(ctx, backend, info);
    const delta = await deltaFrom(feed, backend, cursor, limit);
    if (!(await epochMoved(ctx, feed.epoch))) return delta;
    // The client's token belonged to the epoch that just ended: it is void. An initial sync just retries.
    if (cursor) throw invalidSyncToken('the sync state was reset; resync');
  }
  throw unsettled();
}

async function deltaFrom(
  feed: Feed,
  backend: Backend,
  cursor: SyncCursor | undefined,
  limit: number | undefined,
): Promise<Delta> {
  if (cursor && (cursor.b !== backend.id || (cursor.e ?? undefined) !== feed.epoch)) throw invalidSyncToken();
  const stamp = (c: Omit<SyncCursor, 'b' | 'e'>): string =>
    encodeToken({ b: backend.id, ...(feed.epoch ? { e: feed.epoch } : {}), ...c });

  let merged: Map<string, Entry>;
  let nowToken: string;
  let from: string | null;
  if (cursor?.f !== undefined) {
    // Continuation: everything since f with a name after a, plus everything changed since t.
    from = cursor.f === '' ? null : cursor.f;
    const [all, recent] = await Promise.all([feed.since(from), feed.since(cursor.t)]);
    if (all === 'invalid-token' || recent === 'invalid-token') throw invalidSyncToken();
    merged = new Map([...entries(all)].filter(([n]) => n > (cursor.a ?? '')));
    for (const [n, e] of entries(recent)) merged.set(n, e);
    nowToken = all.token;
  } else {
    from = cursor ? cursor.t : null;
    const cs = await feed.since(from);
    if (cs === 'invalid-token') throw invalidSyncToken();
    merged = entries(cs);
    nowToken = cs.token;
  }
  let list = [...merged.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  let truncated = false;
  let token = stamp({ t: nowToken });
  if (limit !== undefined && list.length > limit) {
    list = list.slice(0, limit);
    truncated = true;
    token = stamp({ t: nowToken, f: from ?? '', a: list[list.length - 1]?.name ?? '' });
  }
  return {
    changed: list.filter((e) => e.etag !== undefined).map((e) => ({ name: e.name, etag: e.etag as string })),
    deleted: list.filter((e) => e.etag === undefined).map((e) => e.name),
    token,
    truncated,
  };
}
