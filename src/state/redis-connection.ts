// Connection state of the Redis state store (src/state/redis.ts): owns the ioredis client, counts connection
// generations (bumped whenever a connection closes or the topology changes, so an answer across a bump is
// discarded), fails fast while Redis is unreachable, and runs commands and Lua scripts (EVALSHA, EVAL on
// NOSCRIPT) with their errors mapped once (src/state/redis-errors.ts).
import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../dav/context.ts';
import { mapRedisError, redisUnavailable } from './redis-errors.ts';
import { CHANGES_SINCE, COMMIT_SNAPSHOT, ENSURE_EPOCH, GET_SNAPSHOT, type LuaScript } from './redis-scripts.ts';
import type { StateUnavailableError } from './store.ts';

export type RedisClient = Redis | Cluster;

export const isCluster = (c: RedisClient): c is Cluster => (c as Cluster).isCluster === true;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export interface RedisConnectionOptions {
  /** Retry-After of the StateUnavailableError thrown while Redis is unreachable. */
  retryAfterSeconds: number;
  /** How long ping() waits. */
  pingTimeoutMs: number;
  log?: Logger;
}

export class RedisConnection {
  readonly client: RedisClient;
  readonly cluster: boolean;
  readonly #retryAfter: number;
  readonly #pingTimeoutMs: number;
  readonly #log: Logger | undefined;
  readonly #shas = new Map<LuaScript, string>();
  /** Bumped whenever a connection closes or the topology changes: answers across a bump are discarded. */
  #gen = 0;
  #closed = false;
  #lastErrorLog = 0;

  constructor(client: RedisClient, options: RedisConnectionOptions) {
    this.client = client;
    this.cluster = isCluster(client);
    this.#retryAfter = options.retryAfterSeconds;
    this.#pingTimeoutMs = options.pingTimeoutMs;
    this.#log = options.log;
    for (const s of [GET_SNAPSHOT, COMMIT_SNAPSHOT, CHANGES_SINCE, ENSURE_EPOCH]) this.#shas.set(s, sha1(s.lua));
    const invalidate = () => {
      this.#gen++;
    };
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

  /** The current connection generation. */
  get gen(): number {
    return this.#gen;
  }

  get closed(): boolean {
    return this.#closed;
  }

  connected(): boolean {
    return this.client.status === 'ready';
  }

  unavailable(message: string, cause?: unknown): StateUnavailableError {
    return redisUnavailable(message, this.#retryAfter, cause);
  }

  mapError(what: string, err: unknown): Error {
    return mapRedisError(what, err, this.#retryAfter);
  }

  /** Throws unless the store is open and connected. */
  assertUsable(): void {
    if (this.#closed) throw new Error('state store is closed');
    // ioredis announces 'close' a tick after the status changes: the status is the earlier signal.
    if (!this.connected()) throw this.unavailable('not connected');
  }

  /** A plain command, failing fast while Redis is unreachable. */
  async plain<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.assertUsable();
    try {
      return await fn();
    } catch (err) {
      throw this.mapError(what, err);
    }
  }

  /** EVALSHA, loading the script with EVAL when the server does not know it (after a restart or failover). */
  async script(what: string, script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    const sha = this.#shas.get(script) as string;
    const client = this.client;
    try {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return await client.eval(script.lua, keys.length, ...keys, ...args);
      }
    } catch (err) {
      throw this.mapError(what, err);
    }
  }

  /** True when Redis answers PING within the ping timeout (never throws). */
  async ping(): Promise<boolean> {
    if (this.#closed || !this.connected()) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error('ping timeout')), this.#pingTimeoutMs);
      });
      return (await Promise.race([this.client.ping(), timeout])) === 'PONG';
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const client = this.client;
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

  #logError(err: Error): void {
    const now = Date.now();
    if (now - this.#lastErrorLog < 10_000) return;
    this.#lastErrorLog = now;
    this.#log?.warn('state store (Redis) connection problem', { error: err.message });
  }
}
