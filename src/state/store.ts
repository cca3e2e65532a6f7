// The state store (DESIGN.md §Central interfaces 2): everything that must outlive a request and be
// shared by replicas. Losing it loses no data: sync tokens become invalid and clients resync.

/** One entry of a collection's change log. */
export interface ChangeLogEntry {
  /** Sequence number assigned when the change was recorded (strictly increasing per collection). */
  seq: number;
  name: string;
  /** Etag after the change; absent for deletions. */
  etag?: string;
  deleted: boolean;
}

/** A collection's snapshot: object name → etag as last observed, and the sequence it corresponds to. */
export interface Snapshot {
  seq: number;
  entries: Map<string, string>;
}

export interface SnapshotCommit {
  /** The seq of the snapshot the diff was computed against; the commit fails if the stored seq moved. */
  baseSeq: number;
  /** Changes to append; each gets the next seq. Names appear at most once. */
  changes: { name: string; etag?: string; deleted: boolean }[];
}

export interface StateStore {
  /**
   * Identifies this store's lifetime. Changes when the store is emptied (e.g. Redis restarted without
   * persistence); tokens minted under another epoch are invalid. A shared store may see the epoch change
   * while a request runs: a caller compares epoch() before and after, and discards an answer computed across
   * a change (changesSince itself answers 'expired' when it notices one).
   */
  epoch(): Promise<string>;

  /** Current snapshot for a collection key, or undefined if never recorded. */
  getSnapshot(key: string): Promise<Snapshot | undefined>;
  /**
   * Atomically appends changes to the log, applies them to the snapshot and advances the seq.
   * Returns the new seq, or 'conflict' when another writer moved the seq first (the caller re-diffs).
   */
  commitSnapshot(key: string, commit: SnapshotCommit): Promise<number | 'conflict'>;
  /**
   * Log entries with seq > since, or 'expired' when entries after `since` were trimmed (or `since`
   * is in the future).
   */
  changesSince(key: string, since: number): Promise<ChangeLogEntry[] | 'expired'>;

  /** Small opaque values with optional TTL: backend cursors, computed ETags. */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;

  /** Liveness for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The store cannot be reached or did not answer in time. Only what needs state (sync-collection, getctag)
 * fails with it; src/http/errors.ts answers 503 with Retry-After.
 */
export class StateUnavailableError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 5, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StateUnavailableError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
