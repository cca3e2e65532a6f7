// In-process StateStore (DESIGN.md §Central interfaces 2): for single-instance deployments and tests.
// Every method does its check-and-write synchronously, so commitSnapshot is a true compare-and-set even
// under concurrent callers. Nothing survives a restart; the new epoch then invalidates old tokens.
import { randomUUID } from 'node:crypto';
import { DEFAULT_LOG_MAX_AGE_SECONDS, DEFAULT_LOG_MAX_ENTRIES } from './keys.ts';
import type { ChangeLogEntry, Snapshot, SnapshotCommit, StateStore } from './store.ts';

export interface MemoryStateStoreOptions {
  /** Log entries kept per collection; a token before the oldest kept entry is 'expired'. Default 10 000. */
  maxLogEntries?: number;
  /** Log entries older than this are dropped (checked on commit and on read). Default 30 days. */
  maxLogAgeSeconds?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

interface TimedEntry extends ChangeLogEntry {
  at: number;
}

interface CollectionState {
  seq: number;
  entries: Map<string, string>;
  log: TimedEntry[];
  /** Lowest `since` still answerable: every entry after it is retained. */
  floor: number;
}

export class MemoryStateStore implements StateStore {
  readonly #epoch = randomUUID();
  readonly #collections = new Map<string, CollectionState>();
  readonly #values = new Map<string, { value: string; expiresAt: number | undefined }>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #closed = false;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxLogEntries ?? DEFAULT_LOG_MAX_ENTRIES);
    this.#maxAgeMs = (options.maxLogAgeSeconds ?? DEFAULT_LOG_MAX_AGE_SECONDS) * 1000;
    this.#now = options.now ?? Date.now;
  }

  async epoch(): Promise<string> {
    this.#open();
    return this.#epoch;
  }

  async getSnapshot(key: string): Promise<Snapshot | undefined> {
    this.#open();
    const c = this.#collections.get(key);
    return c && { seq: c.seq, entries: new Map(c.entries) };
  }

  async commitSnapshot(key: string, commit: SnapshotCommit): Promise<number | 'conflict'> {
    this.#open();
    const names = new Set(commit.changes.map((ch) => ch.name));
    if (names.size !== commit.changes.length) throw new TypeError('commitSnapshot: a name appears twice in one commit');
    const noEtag = commit.changes.find((ch) => !ch.deleted && ch.etag === undefined);
    if (noEtag) throw new TypeError(`commitSnapshot: change of ${noEtag.name} lacks an etag`);
    const c: CollectionState = this.#collections.get(key) ?? { seq: 0, entries: new Map(), log: [], floor: 0 };
    if (commit.baseSeq !== c.seq) return 'conflict';
    const at = this.#now();
    for (const ch of commit.changes) {
      const seq = ++c.seq;
      if (ch.deleted) {
        c.entries.delete(ch.name);
        c.log.push({ seq, name: ch.name, deleted: true, at });
      } else {
        const etag = ch.etag as string;
        c.entries.set(ch.name, etag);
        c.log.push({ seq, name: ch.name, etag, deleted: false, at });
      }
    }
    this.#trim(c);
    this.#collections.set(key, c);
    return c.seq;
  }

  async changesSince(key: string, since: number): Promise<ChangeLogEntry[] | 'expired'> {
    this.#open();
    const c = this.#collections.get(key);
    if (!Number.isSafeInteger(since) || since < 0) return 'expired';
    if (!c) return since === 0 ? [] : 'expired';
    this.#trim(c);
    if (since < c.floor || since > c.seq) return 'expired';
    return c.log.filter((e) => e.seq > since).map(({ at: _at, ...e }) => e);
  }

  async get(key: string): Promise<string | undefined> {
    this.#open();
    const v = this.#values.get(key);
    if (!v) return undefined;
    if (v.expiresAt !== undefined && v.expiresAt <= this.#now()) {
      this.#values.delete(key);
      return undefined;
    }
    return v.value;
  }

  /** Sets a value; a new set replaces the TTL (none if omitted), like Redis SET. `ttlSeconds` must be > 0. */
  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.#open();
    if (ttlSeconds !== undefined && !(ttlSeconds > 0))
      throw new RangeError(`ttlSeconds must be positive, got ${ttlSeconds}`);
    this.#values.set(key, { value, expiresAt: ttlSeconds === undefined ? undefined : this.#now() + ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.#open();
    this.#values.delete(key);
  }

  async ping(): Promise<boolean> {
    return !this.#closed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#collections.clear();
    this.#values.clear();
  }

  #open(): void {
    if (this.#closed) throw new Error('state store is closed');
  }

  /** Drops entries beyond the count limit or older than the age limit; the floor rises past them. */
  #trim(c: CollectionState): void {
    const oldest = this.#now() - this.#maxAgeMs;
    let drop = Math.max(0, c.log.length - this.#maxEntries);
    while (drop < c.log.length && c.log[drop].at < oldest) drop++;
    if (drop === 0) return;
    c.floor = c.log[drop - 1].seq;
    c.log.splice(0, drop);
  }
}
