// The fallback change feed (DESIGN.md §Sync and ETags; RFC 6578 semantics) for backends without
// `changesSince`: list name+etag, diff against the snapshot in the state store, append the difference to
// the change log with a compare-and-set commit, answer from the log. Tokens are the log's decimal seq.
//
// Order matters for correctness across replicas: the snapshot is read *before* listing, and the commit is
// conditional on that snapshot's seq. A replica whose listing is older than someone else's commit
// therefore always loses the CAS and re-diffs, so a stale listing can never overwrite a newer one and a
// change is never recorded twice.
import { collectionKey } from '../state/keys.ts';
import type { StateStore } from '../state/store.ts';
import { type Backend, BackendError } from './port.ts';
import type { ChangeSet, CollectionRef, ObjectRef } from './types.ts';

export interface SnapshotSyncOptions {
  /** Diff-and-commit attempts before giving up under contention (BackendError 'unavailable'). Default 5. */
  maxAttempts?: number;
}

const DEFAULT_ATTEMPTS = 5;

/** Parses a decimal seq token ("0", "42"); anything else is undefined. */
export function parseSnapshotToken(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(token)) return undefined;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : undefined;
}

interface Refreshed {
  seq: number;
  /** The listing the seq describes, in listing order. */
  objects: ObjectRef[];
}

/** Brings the stored snapshot up to date with the backend; returns the seq describing the listing. */
async function refresh(
  backend: Backend,
  ref: CollectionRef,
  store: StateStore,
  key: string,
  attempts: number,
): Promise<Refreshed> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const snap = await store.getSnapshot(key);
    const base = snap?.seq ?? 0;
    const known = snap?.entries ?? new Map<string, string>();
    const objects: ObjectRef[] = [];
    const seen = new Set<string>();
    const changes: { name: string; etag?: string; deleted: boolean }[] = [];
    for await (const o of backend.listObjects(ref)) {
      if (seen.has(o.name)) continue; // a listing must not name an object twice; keep the first
      seen.add(o.name);
      objects.push({ name: o.name, etag: o.etag });
      if (known.get(o.name) !== o.etag) changes.push({ name: o.name, etag: o.etag, deleted: false });
    }
    for (const name of known.keys()) if (!seen.has(name)) changes.push({ name, deleted: true });
    if (changes.length === 0 && snap) return { seq: base, objects };
    const seq = await store.commitSnapshot(key, { baseSeq: base, changes });
    if (seq !== 'conflict') return { seq, objects };
    // Another caller committed first: its listing may be newer than ours, so re-read and re-list,
    // after a short random pause so replicas racing on one busy collection spread out.
    if (attempt < attempts) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
  }
  throw new BackendError('unavailable', `snapshot sync for ${ref.owner}/${ref.home}/${ref.id}: too much contention`);
}

/**
 * RFC 6578 changes for a backend without a native feed. `since` null → every present object, with the
 * current seq as token. A seq token → objects changed after it (latest etag per name) and names deleted
 * after it. 'invalid-token' for unparsable tokens, tokens from the future, and tokens whose log entries
 * were trimmed by retention (the client then does a full resync).
 */
export async function snapshotChangesSince(
  backend: Backend,
  ref: CollectionRef,
  store: StateStore,
  since: string | null,
  options: SnapshotSyncOptions = {},
): Promise<ChangeSet | 'invalid-token'> {
  const from = since === null ? null : parseSnapshotToken(since);
  if (from === undefined) return 'invalid-token';
  const key = collectionKey(backend.id, ref);
  const now = await refresh(backend, ref, store, key, options.maxAttempts ?? DEFAULT_ATTEMPTS);
  if (from === null) return { token: String(now.seq), changed: now.objects, deleted: [] };

  const log = await store.changesSince(key, from);
  if (log === 'expired') return 'invalid-token';
  // Latest entry per name decides; re-inserting keeps the map in order of each name's last change.
  const latest = new Map<string, { etag?: string; deleted: boolean }>();
  let token = Math.max(now.seq, from);
  for (const e of log) {
    latest.delete(e.name);
    latest.set(e.name, e);
    token = Math.max(token, e.seq);
  }
  const changed: ObjectRef[] = [];
  const deleted: string[] = [];
  for (const [name, e] of latest) {
    if (e.deleted || e.etag === undefined) deleted.push(name);
    else changed.push({ name, etag: e.etag });
  }
  return { token: String(token), changed, deleted };
}

/** The current seq token (getctag) after bringing the snapshot up to date. */
export async function snapshotCurrentToken(
  backend: Backend,
  ref: CollectionRef,
  store: StateStore,
  options: SnapshotSyncOptions = {},
): Promise<string> {
  const now = await refresh(
    backend,
    ref,
    store,
    collectionKey(backend.id, ref),
    options.maxAttempts ?? DEFAULT_ATTEMPTS,
  );
  return String(now.seq);
}
