// Key schema of the state store (DESIGN.md §Central interfaces 2). One place names every key, so the
// memory and Redis stores agree and operators can find things with `redis-cli --scan --pattern 'dg:*'`.
//
// Layout (all under the prefix `dg:`):
//   dg:epoch                          store lifetime: Redis hash {id, server, created}; never expires. `id` is
//                                     the epoch; `server` the run_id(s) of the Redis server(s) it was minted
//                                     on — another server (restart, failover) means a new id (src/state/redis.ts)
//   dg:{<scope>}                      one collection's sync state; the store derives the sub-keys below
//   dg:{<scope>}:snap                 hash  name → etag as last observed  (Redis: SNAPSHOT_IDLE_TTL_SECONDS)
//   dg:{<scope>}:seq                  int   seq of the snapshot / last log entry     (no TTL, ever)
//   dg:{<scope>}:log                  list "<ms> <json>" one element per seq, trimmed by retention (count and
//                                     age)                                 (Redis: SNAPSHOT_IDLE_TTL_SECONDS)
//   dg:{<scope>}:cursor               backend cursor, e.g. Google nextSyncToken     (CURSOR_TTL_SECONDS)
//   dg:{<scope>}:etag:<name>          computed ETag of one object                   (ETAG_TTL_SECONDS)
// where <scope> = <backendId>|<owner>|<home>|<collection id>, each part percent-encoded.
//   dg:columns:<backendId>:<table>:…  side data of column-mapped rows with `extras: { store: state }`: the
//                                     only copy, no TTL (keys named in adapters/sql/columns/side-state.ts)
//
// The braces are a Redis Cluster hash tag: only the text between `{` and the first `}` is hashed, so all
// keys of one collection land in one slot and a MULTI/Lua commit over snap+seq+log stays single-slot.
// Percent-encoding guarantees no `}` (or `|`) inside a part, so the tag cannot end early or be ambiguous.
//
// Snapshot and log are not caches with a short TTL: losing them only costs clients a resync (403
// valid-sync-token), but expiring them silently while clients hold tokens would make every idle calendar
// resync. Stores may drop the snapshot and log of collections that stay idle for SNAPSHOT_IDLE_TTL_SECONDS
// (the Redis store does; every commit refreshes the TTL). The seq is never dropped: a sequence that
// restarted at 0 would reuse seqs that old tokens still name. With the seq kept and the log gone, every
// older token is below the log's floor (expired) and the next diff re-records every object: extra, never
// missing, changes.
import type { CollectionRef } from '../backend/types.ts';

export const KEY_PREFIX = 'dg:';

/** The key holding the store's epoch (StateStore.epoch). */
export const EPOCH_KEY = `${KEY_PREFIX}epoch`;

/** Backend cursors are re-obtainable by a full list; 30 days bounds garbage from vanished collections. */
export const CURSOR_TTL_SECONDS = 30 * 24 * 3600;
/** Computed ETags are a cache keyed by content version; a week keeps hot objects without growing forever. */
export const ETAG_TTL_SECONDS = 7 * 24 * 3600;
/** Optional idle expiry for a whole collection's sync state (snapshot, seq, log): 90 days. */
export const SNAPSHOT_IDLE_TTL_SECONDS = 90 * 24 * 3600;
/** Default change-log retention: entries per collection and age. Older tokens become invalid. */
export const DEFAULT_LOG_MAX_ENTRIES = 10_000;
export const DEFAULT_LOG_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** encodeURIComponent escapes `{`, `}`, `|` and `:`, so parts cannot break the tag or the separators. */
const part = (s: string): string => encodeURIComponent(s);

/**
 * The key of one collection's sync state: `dg:{backend|owner|home|id}`. Pass it to
 * getSnapshot / commitSnapshot / changesSince; every other per-collection key derives from it.
 */
export function collectionKey(backendId: string, ref: CollectionRef): string {
  return `${KEY_PREFIX}{${[backendId, ref.owner, ref.home, ref.id].map(part).join('|')}}`;
}

/** Sub-keys of a collection's sync state, for stores that keep them apart (Redis). */
export function snapshotKeys(collKey: string): { snapshot: string; seq: string; log: string } {
  return { snapshot: `${collKey}:snap`, seq: `${collKey}:seq`, log: `${collKey}:log` };
}

/** A backend cursor for one collection (set with CURSOR_TTL_SECONDS). */
export function cursorKey(backendId: string, ref: CollectionRef): string {
  return `${collectionKey(backendId, ref)}:cursor`;
}

/** The computed ETag of one object (set with ETAG_TTL_SECONDS). */
export function etagKey(backendId: string, ref: CollectionRef, name: string): string {
  return `${collectionKey(backendId, ref)}:etag:${part(name)}`;
}

/** The Redis Cluster hash tag of a key (text between the first `{` and the next `}`), or the whole key. */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}
