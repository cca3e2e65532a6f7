// The Redis StateStore (DESIGN.md §Central interfaces 2, issue 6): what replicas share — snapshots, change
// logs, cursors, computed ETags — lives in Redis (standalone, Sentinel or Cluster, through ioredis), so any
// replica answers any request. Key schema: src/state/keys.ts; scripts: src/state/redis-scripts.ts.
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
import { createHash, randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../dav/context.ts';
import {
  DEFAULT_LOG_MAX_AGE_SECONDS,
  DEFAULT_LOG_MAX_ENTRIES,
  EPOCH_KEY,
  SNAPSHOT_IDLE_TTL_SECONDS,
  snapshotKeys,
} from './keys.ts';
import { CHANGES_SINCE, COMMIT_SNAPSHOT, ENSURE_EPOCH, GET_SNAPSHOT, type LuaScript } from './redis-scripts.ts';
import {
  type ChangeLogEntry,
  type Snapshot,
  type SnapshotCommit,
  type StateStore,
  StateUnavailableError,
} from './store.ts';

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

type Client = Redis | Cluster;

const DEFAULT_CACHE_ENTRIES = 200_000;

interface CachedSnapshot {
  epoch: string;
  seq: number;
  entries: Map<string, string>;
}

/** Least-recently-used snapshots, bounded by their total number of entries. */
class SnapshotCache {
  readonly #max: number;
  readonly #map = new Map<string, CachedSnapshot>();
  #size = 0;
  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }
  get(key: string, epoch: string): CachedSnapshot | undefined {
    const c = this.#map.get(key);
    if (!c) return undefined;
    this.#map.delete(key);
    if (c.epoch !== epoch) {
      this.#size -= c.entries.size;
      return undefined;
    }
    this.#map.set(key, c);
    return c;
  }
  set(key: string, c: CachedSnapshot): void {
    this.delete(key);
    if (c.entries.size > this.#max / 4) return;
    this.#map.set(key, c);
    this.#size += c.entries.size;
    for (const [k, old] of this.#map) {
      if (this.#size <= this.#max) break;
      this.#map.delete(k);
      this.#size -= old.entries.size;
    }
  }
  delete(key: string): void {
    const c = this.#map.get(key);
    if (!c) return;
    this.#map.delete(key);
    this.#size -= c.entries.size;
  }
}

/** Server replies that mean "not now" rather than "bug": the caller gets a 503, not a 500. */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOAUTH|WRONGPASS|OOM|MOVED|ASK)\b/;

const isCluster = (c: Client): c is Cluster => (c as Cluster).isCluster === true;

/** The run_id of a server, from INFO server. */
function runIdOf(info: string): string {
  const m = /^run_id:([0-9a-f]+)\s*$/m.exec(info);
  if (!m) throw new Error('INFO server has no run_id');
  return m[1];
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export class RedisStateStore implements StateStore {
  readonly #client: Client;
  readonly #cluster: boolean;
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #idleTtl: number;
  readonly #retryAfter: number;
  readonly #pingTimeoutMs: number;
  readonly #log: Logger | undefined;
  readonly #shas = new Map<LuaScript, string>();
  readonly #cache: SnapshotCache;
  /** Bumped whenever a connection closes or the topology changes: answers across a bump are discarded. */
  #gen = 0;
  #verifiedGen = -1;
  #epoch: string | undefined;
  #verifying: Promise<void> | undefined;
  #closed = false;
  #lastErrorLog = 0;

  constructor(options: RedisStateStoreOptions) {
    this.#client = options.client;
    this.#cluster = isCluster(options.client);
    this.#maxEntries = Math.max(1, options.maxLogEntries ?? DEFAULT_LOG_MAX_ENTRIES);
    this.#maxAgeMs = (options.maxLogAgeSeconds ?? DEFAULT_LOG_MAX_AGE_SECONDS) * 1000;
    this.#idleTtl = Math.max(0, Math.floor(options.idleTtlSeconds ?? SNAPSHOT_IDLE_TTL_SECONDS));
    this.#retryAfter = options.retryAfterSeconds ?? 5;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 1000;
    this.#log = options.log;
    this.#cache = new SnapshotCache(options.snapshotCacheEntries ?? DEFAULT_CACHE_ENTRIES);
    for (const s of [GET_SNAPSHOT, COMMIT_SNAPSHOT, CHANGES_SINCE, ENSURE_EPOCH]) this.#shas.set(s, sha1(s.lua));
    const invalidate = () => {
      this.#gen++;
    };
    const client = this.#client;
    client.on('error', (err: Error) => this.#logError(err));
    // ioredis gives a connection up ('end') only when told to; should it ever do so on its own, start over.
    client.on('end', () => {
      invalidate();
      if (this.#closed) return;
      this.#log?.warn('state store (Redis) connection ended; reconnecting');
      setTimeout(() => {
        if (!this.#closed) client.connect().catch(() => {});
      }, 1000).unref();
    });
    if (isCluster(client)) {
      // Every node connection: a node closing may mean a restart or a failover of its slots.
      client.on('+node', (node: Redis) => node.on('close', invalidate));
      client.on('-node', invalidate);
      client.on('node error', (err: Error) => {
        invalidate();
        this.#logError(err);
      });
    } else {
      client.on('close', invalidate);
    }
  }

  async epoch(): Promise<string> {
    return (await this.#ensure()).epoch;
  }

  async getSnapshot(key: string): Promise<Snapshot | undefined> {
    const k = snapshotKeys(key);
    for (let attempt = 0; ; attempt++) {
      // A cached snapshot is only a proposal: the script answers 'U' when the stored one is the same.
      let cached: CachedSnapshot | undefined;
      const { reply, epoch } = await this.#run('getSnapshot', GET_SNAPSHOT, [k.seq, k.snapshot], (e) => {
        cached = this.#cache.get(key, e);
        return cached ? [String(cached.seq), String(cached.entries.size)] : ['', ''];
      });
      const r = reply as ['E'] | ['N'] | ['U', string] | ['S', string, string[]];
      if (r[0] === 'E') {
        this.#epochMoved(attempt);
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
      const { reply, epoch } = await this.#run('commitSnapshot', COMMIT_SNAPSHOT, [k.seq, k.snapshot, k.log], args);
      const r = String(reply);
      if (r === 'E') {
        this.#epochMoved(attempt);
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
    const { reply } = await this.#run(
      'changesSince',
      CHANGES_SINCE,
      [k.seq, k.log],
      [String(since), String(this.#maxEntries), String(this.#maxAgeMs)],
    );
    const r = reply as ['E'] | ['X'] | ['L', string, string[]];
    if (r[0] === 'E') {
      // The caller validated its token against an epoch that is gone: the token is void.
      this.#verifiedGen = -1;
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
    const v = await this.#plain('get', () => this.#client.get(key));
    return v ?? undefined;
  }

  /** Like the memory store: a set without TTL clears an earlier TTL (plain SET does). */
  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds !== undefined && !(ttlSeconds > 0))
      throw new RangeError(`ttlSeconds must be positive, got ${ttlSeconds}`);
    await this.#plain('set', () =>
      ttlSeconds === undefined
        ? this.#client.set(key, value)
        : this.#client.set(key, value, 'PX', Math.max(1, Math.round(ttlSeconds * 1000))),
    );
  }

  async delete(key: string): Promise<void> {
    await this.#plain('delete', () => this.#client.del(key));
  }

  /** True when Redis answers PING within the ping timeout (never throws). */
  async ping(): Promise<boolean> {
    if (this.#closed || !this.#connected()) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error('ping timeout')), this.#pingTimeoutMs);
      });
      return (await Promise.race([this.#client.ping(), timeout])) === 'PONG';
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const client = this.#client;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.quit(),
        new Promise((res) => {
          timer = setTimeout(res, 1000);
        }),
      ]);
    } catch {
      // Not connected: nothing to say goodbye to.
    } finally {
      clearTimeout(timer);
      client.disconnect();
    }
  }

  // --- connection and epoch ---------------------------------------------------------------------------

  #connected(): boolean {
    return this.#client.status === 'ready';
  }

  #unavailable(message: string, cause?: unknown): StateUnavailableError {
    return new StateUnavailableError(`state store (Redis): ${message}`, this.#retryAfter, { cause });
  }

  /** The verified epoch and the connection generation it holds for. */
  async #ensure(): Promise<{ epoch: string; gen: number }> {
    if (this.#closed) throw new Error('state store is closed');
    // ioredis announces 'close' a tick after the status changes: the status is the earlier signal.
    if (!this.#connected()) throw this.#unavailable('not connected');
    if (this.#epoch !== undefined && this.#verifiedGen === this.#gen) return { epoch: this.#epoch, gen: this.#gen };
    this.#verifying ??= this.#verify().finally(() => {
      this.#verifying = undefined;
    });
    await this.#verifying;
    if (this.#epoch === undefined || this.#verifiedGen !== this.#gen)
      throw this.#unavailable('connection changed while checking the epoch');
    return { epoch: this.#epoch, gen: this.#gen };
  }

  /**
   * Binds the epoch to the server(s) now answering: the run_id of the (master) server, or of every Cluster
   * master. A different server than the one that minted the epoch (restart, failover) → a new epoch.
   */
  async #verify(): Promise<void> {
    const gen = this.#gen;
    let identity: string;
    try {
      identity = await this.#identity();
    } catch (err) {
      throw this.#mapError('epoch check', err);
    }
    const candidate = randomUUID();
    const epoch = String(
      await this.#script('ensureEpoch', ENSURE_EPOCH, [EPOCH_KEY], [identity, candidate, String(Date.now())]),
    );
    if (gen !== this.#gen) return; // the connection changed meanwhile: the next call verifies again
    if (epoch !== this.#epoch) {
      if (epoch === candidate)
        this.#log?.warn('state epoch changed: older sync tokens are refused and clients resync', {
          reason: this.#epoch === undefined ? 'new or emptied store, or another Redis server' : 'Redis server changed',
        });
      else this.#log?.info('state epoch', { epoch: epoch.slice(0, 8) });
    }
    this.#epoch = epoch;
    this.#verifiedGen = gen;
  }

  async #identity(): Promise<string> {
    const client = this.#client;
    if (!isCluster(client)) return runIdOf(await client.info('server'));
    const masters = client.nodes('master');
    if (masters.length === 0) throw new Error('no cluster master known');
    const ids = await Promise.all(masters.map(async (n) => runIdOf(await n.info('server'))));
    return ids.sort().join(',');
  }

  /** The epoch script found another epoch: verify again, and retry the call once under the new one. */
  #epochMoved(attempt: number): void {
    this.#verifiedGen = -1;
    if (attempt > 0) throw this.#unavailable('the epoch keeps changing');
  }

  // --- calls ------------------------------------------------------------------------------------------

  /** Runs a collection script under the verified epoch; an answer across a connection change is discarded. */
  async #run(
    what: string,
    script: LuaScript,
    keys: string[],
    args: string[] | ((epoch: string) => string[]),
  ): Promise<{ reply: unknown; epoch: string }> {
    const { epoch, gen } = await this.#ensure();
    // The epoch key can join the collection's keys only where it shares their node (not in Cluster mode).
    const allKeys = this.#cluster ? keys : [...keys, EPOCH_KEY];
    const rest = typeof args === 'function' ? args(epoch) : args;
    const reply = await this.#script(what, script, allKeys, [epoch, ...rest]);
    if (gen !== this.#gen) throw this.#unavailable(`${what}: the connection changed during the call`);
    return { reply, epoch };
  }

  async #plain<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('state store is closed');
    if (!this.#connected()) throw this.#unavailable('not connected');
    try {
      return await fn();
    } catch (err) {
      throw this.#mapError(what, err);
    }
  }

  /** EVALSHA, loading the script with EVAL when the server does not know it (after a restart or failover). */
  async #script(what: string, script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    const sha = this.#shas.get(script) as string;
    const client = this.#client;
    try {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return await client.eval(script.lua, keys.length, ...keys, ...args);
      }
    } catch (err) {
      throw this.#mapError(what, err);
    }
  }

  /** Connection trouble and transient server states → StateUnavailableError; a script bug stays an error. */
  #mapError(what: string, err: unknown): Error {
    if (err instanceof StateUnavailableError) return err;
    const e = err instanceof Error ? err : new Error(String(err));
    if (e.name === 'ReplyError' && !TRANSIENT_REPLY.test(e.message)) return e;
    return this.#unavailable(`${what}: ${e.message}`, e);
  }

  #logError(err: Error): void {
    const now = Date.now();
    if (now - this.#lastErrorLog < 10_000) return;
    this.#lastErrorLog = now;
    this.#log?.warn('state store (Redis) connection problem', { error: err.message });
  }
}
