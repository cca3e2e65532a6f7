// Epoch handling of the Redis state store (src/state/redis.ts): the epoch is bound to the Redis server(s)
// holding the data (run_id), so a restart or a failover, which may lose the last writes, yields a new epoch
// and every older sync token is refused (403 valid-sync-token, clients resync) instead of being answered from
// rolled-back data. The epoch is checked after every (re)connection before the store is used, and collection
// scripts run under the verified epoch; an answer from a connection that changed mid-call is discarded (503).
import { randomUUID } from 'node:crypto';
import type { Logger } from '../dav/context.ts';
import { EPOCH_KEY } from './keys.ts';
import { isCluster, type RedisClient, type RedisConnection } from './redis-connection.ts';
import { ENSURE_EPOCH, type LuaScript } from './redis-scripts.ts';

/** The run_id of a server, from INFO server. */
function runIdOf(info: string): string {
  const m = /^run_id:([0-9a-f]+)\s*$/m.exec(info);
  if (!m) throw new Error('INFO server has no run_id');
  return m[1];
}

/** The run_id of the (master) server, or the sorted run_ids of every Cluster master. */
async function identityOf(client: RedisClient): Promise<string> {
  if (!isCluster(client)) return runIdOf(await client.info('server'));
  const masters = client.nodes('master');
  if (masters.length === 0) throw new Error('no cluster master known');
  const ids = await Promise.all(masters.map(async (n) => runIdOf(await n.info('server'))));
  return ids.sort().join(',');
}

export class RedisEpoch {
  readonly #conn: RedisConnection;
  readonly #log: Logger | undefined;
  #verifiedGen = -1;
  #epoch: string | undefined;
  #verifying: Promise<void> | undefined;

  constructor(conn: RedisConnection, log: Logger | undefined) {
    this.#conn = conn;
    this.#log = log;
  }

  /** The verified epoch and the connection generation it holds for. */
  async ensure(): Promise<{ epoch: string; gen: number }> {
    this.#conn.assertUsable();
    if (this.#epoch !== undefined && this.#verifiedGen === this.#conn.gen)
      return { epoch: this.#epoch, gen: this.#conn.gen };
    this.#verifying ??= this.#verify().finally(() => {
      this.#verifying = undefined;
    });
    await this.#verifying;
    if (this.#epoch === undefined || this.#verifiedGen !== this.#conn.gen)
      throw this.#conn.unavailable('connection changed while checking the epoch');
    return { epoch: this.#epoch, gen: this.#conn.gen };
  }

  /** Forgets the verification: the next call checks the epoch again. */
  forget(): void {
    this.#verifiedGen = -1;
  }

  /** The epoch script found another epoch: verify again, and retry the call once under the new one. */
  moved(attempt: number): void {
    this.#verifiedGen = -1;
    if (attempt > 0) throw this.#conn.unavailable('the epoch keeps changing');
  }

  /** Runs a collection script under the verified epoch; an answer across a connection change is discarded. */
  async run(
    what: string,
    script: LuaScript,
    keys: string[],
    args: string[] | ((epoch: string) => string[]),
  ): Promise<{ reply: unknown; epoch: string }> {
    const { epoch, gen } = await this.ensure();
    // The epoch key can join the collection's keys only where it shares their node (not in Cluster mode).
    const allKeys = this.#conn.cluster ? keys : [...keys, EPOCH_KEY];
    const rest = typeof args === 'function' ? args(epoch) : args;
    const reply = await this.#conn.script(what, script, allKeys, [epoch, ...rest]);
    if (gen !== this.#conn.gen) throw this.#conn.unavailable(`${what}: the connection changed during the call`);
    return { reply, epoch };
  }

  /**
   * Binds the epoch to the server(s) now answering: the run_id of the (master) server, or of every Cluster
   * master. A different server than the one that minted the epoch (restart, failover) → a new epoch.
   */
  async #verify(): Promise<void> {
    const gen = this.#conn.gen;
    let identity: string;
    try {
      identity = await identityOf(this.#conn.client);
    } catch (err) {
      throw this.#conn.mapError('epoch check', err);
    }
    const candidate = randomUUID();
    const epoch = String(
      await this.#conn.script('ensureEpoch', ENSURE_EPOCH, [EPOCH_KEY], [identity, candidate, String(Date.now())]),
    );
    if (gen !== this.#conn.gen) return; // the connection changed meanwhile: the next call verifies again
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
}
