// The Redis StateStore (DESIGN.md §Central interfaces 2, issue 6): what replicas share — snapshots, change
// logs, cursors, computed ETags — lives in Redis (standalone, Sentinel or Cluster, through ioredis), so any
// replica answers any request. Key schema: src/state/keys.ts; scripts: src/state/redis-scripts.ts; connection
// state: src/state/redis-connection.ts; epoch: src/state/redis-epoch.ts; cache: src/state/redis-snapshot-cache.ts.
//
// Correctness rules:
// - Every check-and-write is one Lua script (compare seq, append log, advance seq), so concurrent replicas
//   never fork a token sequence or record a change twice.
// - The epoch is bound to the Redis server(s) holding the data (run_id): a restart or a failover may lose the
//   last writes, so a server other than the one that minted the epoch gets a new epoch and every old token
//   is refused (403 valid-sync-token, clients resync) instead of being answered from rolled-back data.
//   A process checks this after every (re)connection before it uses the store; an answer from a
//   connection that changed mid-call is discarded (503), never served.
// - With the store unreachable, calls fail fast with StateUnavailableError (no offline queue, no resend of
//   unanswered commands): only sync-collection and getctag answer 503; objects never touch Redis.
// One call = one round trip: getSnapshot, commitSnapshot and changesSince are one EVALSHA each, and epoch()
// costs nothing once the connection is verified.
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../dav/context.ts';
import {
  DEFAULT_LOG_MAX_AGE_SECONDS,
  DEFAULT_LOG_MAX_ENTRIES,
  SNAPSHOT_IDLE_TTL_SECONDS,
  snapshotKeys,
} from './keys.ts';
import { RedisConnection } from './redis-connection.ts';
import { RedisEpoch } from './redis-epoch.ts';
import { CHANGES_SINCE, COMMIT_SNAPSHOT, GET_SNAPSHOT } from './redis-scripts.ts';
import { type CachedSnapshot, DEFAULT_CACHE_ENTRIES, SnapshotCache } from './redis-snapshot-cache.ts';
import type { ChangeLogEntry, Snapshot, SnapshotCommit, StateStore } from './store.ts';

export interface RedisStateStoreOptions {
  /** A connected (or connecting) ioredis client; the store owns it and quits it on close(). */
  client: Redis | Cluster;
  /** Log entries kept per collection. Default 10 000. */
  maxLogEntries?: number;
  /** Log entries older than this are dropped. Default 30 days. */
  maxLogAgeSeconds?: number;
  /** Snapshot and log of a collection without commits for this long expire (0: never). Default 90 days. */
  idleTtlSeconds?: number;
  /** Retry-After of the StateUnavailableError thrown while Redis is unreachable. Default 5. */
  retryAfterSeconds?: number;
  /**
   * Object entries of recently read snapshots kept in the process (0: none). Each is validated by the store
   * on every read (same epoch, same seq, same size, else the full snapshot is sent), so it saves the transfer
   * of unchanged snapshots and can never answer stale data. Default 200 000.
   */
  snapshotCacheEntries?: number;
  /** How long ping() waits. Default 1000 ms. */
  pingTimeoutMs?: number;
  log?: Logger;
}

export class RedisStateStore implements StateStore {
  readonly #conn: RedisConnection;
  readonly #epoch: RedisEpoch;
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #idleTtl: number;
  readonly #cache: SnapshotCache;

  constructor(options: RedisStateStoreOptions) {
    this.#maxEntries = Math.max(1, options.maxLogEntries ?? DEFAULT_LOG_MAX_ENTRIES);
    this.#maxAgeMs = (options.maxLogAgeSeconds ?? DEFAULT_LOG_MAX_AGE_SECONDS) * 1000;
    this.#idleTtl = Math.max(0, Math.floor(options.idleTtlSeconds ?? SNAPSHOT_IDLE_TTL_SECONDS));
    this.#cache = new SnapshotCache(options.snapshotCacheEntries ?? DEFAULT_CACHE_ENTRIES);
    this.#conn = new RedisConnection(options.client, {
      retryAfterSeconds: options.retryAfterSeconds ?? 5,
      pingTimeoutMs: options.pingTimeoutMs ?? 1000,
      log: options.log,
    });
    this.#epoch = new RedisEpoch(this.#conn, options.log);
  }

  async epoch(): Promise<string> {
    return (await this.#epoch.ensure()).epoch;
  }

  async getSnapshot(key: string): Promise<Snapshot | undefined> {
    const k = snapshotKeys(key);
    for (let attempt = 0; ; attempt++) {
      // A cached snapshot is only a proposal: the script answers 'U' when the stored one is the same.
      let cached: CachedSnapshot | undefined;
      const { reply, epoch } = await this.#epoch.run('getSnapshot', GET_SNAPSHOT, [k.seq, k.snapshot], (e) => {
        cached = this.#cache.get(key, e);
        return cached ? [String(cached.seq), String(cached.entries.size)] : ['', ''];
      });
      const r = reply as ['E'] | ['N'] | ['U', string] | ['S', string, string[]];
      if (r[0] === 'E') {
        this.#epoch.moved(attempt);
        continue;
      }
      if (r[0] === 'N') {
        this.#cache.delete(key);
        return undefined;
      }
      if (r[0] === 'U' && cached) return { seq: cached.seq, entries: new Map(cached.entries) };
      const entries = new Map<string, string>();
      const flat = (r as ['S', string, string[]])[2];
      for (let i = 0; i + 1 < flat.length; i += 2) entries.set(flat[i], flat[i + 1]);
      const seq = Number(r[1]);
      this.#cache.set(key, { epoch, seq, entries: new Map(entries) });
      return { seq, entries };
    }
  }

  async commitSnapshot(key: string, commit: SnapshotCommit): Promise<number | 'conflict'> {
    const names = new Set(commit.changes.map((ch) => ch.name));
    if (names.size !== commit.changes.length) throw new TypeError('commitSnapshot: a name appears twice in one commit');
    const noEtag = commit.changes.find((ch) => !ch.deleted && ch.etag === undefined);
    if (noEtag) throw new TypeError(`commitSnapshot: change of ${noEtag.name} lacks an etag`);
    const k = snapshotKeys(key);
    const args: string[] = [
      String(commit.baseSeq),
      String(this.#maxEntries),
      String(this.#maxAgeMs),
      String(this.#idleTtl),
    ];
    for (const ch of commit.changes) {
      if (ch.deleted) args.push('d', ch.name, '', JSON.stringify({ n: ch.name, d: 1 }));
      else args.push('p', ch.name, ch.etag as string, JSON.stringify({ n: ch.name, e: ch.etag }));
    }
    for (let attempt = 0; ; attempt++) {
      const { reply, epoch } = await this.#epoch.run(
        'commitSnapshot',
        COMMIT_SNAPSHOT,
        [k.seq, k.snapshot, k.log],
        args,
      );
      const r = String(reply);
      if (r === 'E') {
        this.#epoch.moved(attempt);
        continue;
      }
      if (r === 'C') return 'conflict';
      const seq = Number(r);
      // Keep the cache in step when it held the base the commit was computed against.
      const base = this.#cache.get(key, epoch);
      if (base && base.seq === commit.baseSeq) {
        const entries = new Map(base.entries);
        for (const ch of commit.changes) {
          if (ch.deleted) entries.delete(ch.name);
          else entries.set(ch.name, ch.etag as string);
        }
        this.#cache.set(key, { epoch, seq, entries });
      } else this.#cache.delete(key);
      return seq;
    }
  }

  async changesSince(key: string, since: number): Promise<ChangeLogEntry[] | 'expired'> {
    if (!Number.isSafeInteger(since) || since < 0) return 'expired';
    const k = snapshotKeys(key);
    const { reply } = await this.#epoch.run(
      'changesSince',
      CHANGES_SINCE,
      [k.seq, k.log],
      [String(since), String(this.#maxEntries), String(this.#maxAgeMs)],
    );
    const r = reply as ['E'] | ['X'] | ['L', string, string[]];
    if (r[0] === 'E') {
      // The caller validated its token against an epoch that is gone: the token is void.
      this.#epoch.forget();
      return 'expired';
    }
    if (r[0] === 'X') return 'expired';
    // The list is contiguous from floor + 1 and the script answered from `since`: entry i is seq since + 1 + i.
    return r[2].map((raw, i): ChangeLogEntry => {
      const json = JSON.parse(raw.slice(raw.indexOf(' ') + 1)) as { n: string; e?: string; d?: 1 };
      const seq = since + 1 + i;
      return json.d
        ? { seq, name: json.n, deleted: true }
        : { seq, name: json.n, etag: json.e as string, deleted: false };
    });
  }

  async get(key: string): Promise<string | undefined> {
    const v = await this.#conn.plain('get', () => this.#conn.client.get(key));
    return v ?? undefined;
  }

  /** Like the memory store: a set without TTL clears an earlier TTL (plain SET does). */
  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds !== undefined && !(ttlSeconds > 0))
      throw new RangeError(`ttlSeconds must be positive, got ${ttlSeconds}`);
    await this.#conn.plain('set', () =>
      ttlSeconds === undefined
        ? this.#conn.client.set(key, value)
        : this.#conn.client.set(key, value, 'PX', Math.max(1, Math.round(ttlSeconds * 1000))),
    );
  }

  async delete(key: string): Promise<void> {
    await this.#conn.plain('delete', () => this.#conn.client.del(key));
  }

  /** True when Redis answers PING within the ping timeout (never throws). */
  async ping(): Promise<boolean> {
    return this.#conn.ping();
  }

  async close(): Promise<void> {
    await this.#conn.close();
  }
}
