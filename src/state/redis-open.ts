// Opens the Redis state store from the configuration (state.kind redis): builds the ioredis client for
// standalone, Sentinel or Cluster mode, reads the ACL password from a file or an environment variable, sets
// up TLS, and waits briefly for the first connection. Called from src/main.ts only.
//
// Client settings that matter for correctness (see src/state/redis.ts): no offline queue and no resend of
// unanswered commands after a reconnect (a call either gets its answer from the connection it was sent on,
// or fails), a command timeout, and quick reconnects. Passwords are never logged: the log names hosts only.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { ConfigError } from '../config/errors.ts';
import type { RedisStateConfig } from '../config/schema.ts';
import type { Logger } from '../dav/context.ts';
import { RedisStateStore } from './redis.ts';

/** Reconnect quickly (the store fails fast meanwhile): 50 ms, 100 ms, … capped at 1 s. */
const retryStrategy = (times: number) => Math.min(times * 50, 1000);

function secret(
  key: string,
  file: string | undefined,
  envKey: string,
  envName: string | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError([`config error: ${key}: cannot read ${file}${code ? ` (${code})` : ''}`]);
    }
  }
  if (envName) {
    const v = env[envName];
    if (v === undefined || v === '')
      throw new ConfigError([`config error: ${envKey}: environment variable ${envName} is not set`]);
    return v;
  }
  return undefined;
}

function tlsOptions(c: RedisStateConfig, urlTls: boolean): ConnectionOptions | undefined {
  if (!c.tls.enabled && !urlTls) return undefined;
  const read = (key: string, f: string | undefined) => {
    if (!f) return undefined;
    try {
      return readFileSync(f);
    } catch (err) {
      throw new ConfigError([
        `config error: state.tls.${key}: cannot read ${f} (${(err as NodeJS.ErrnoException).code})`,
      ]);
    }
  };
  return {
    ca: read('caFile', c.tls.caFile),
    cert: read('certFile', c.tls.certFile),
    key: read('keyFile', c.tls.keyFile),
    servername: c.tls.serverName,
    rejectUnauthorized: c.tls.verify,
  };
}

function hostPort(node: string): { host: string; port: number } {
  const i = node.lastIndexOf(':');
  const host = node.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(node.slice(i + 1)) };
}

export interface RedisClientPlan {
  mode: RedisStateConfig['mode'];
  /** Where it connects, for logs: never credentials. */
  where: string;
  options: RedisOptions;
  /** Cluster seed nodes (cluster mode). */
  nodes: { host: string; port: number }[];
}

/** The ioredis options for a configuration (pure apart from reading secret and certificate files). */
export function redisClientPlan(c: RedisStateConfig, env: NodeJS.ProcessEnv = process.env): RedisClientPlan {
  const url = new URL(c.url);
  const urlTls = url.protocol === 'rediss:';
  const tls = tlsOptions(c, urlTls);
  const password = secret('state.passwordFile', c.passwordFile, 'state.passwordEnv', c.passwordEnv, env);
  const db = Number(url.pathname.replace(/^\//, '') || '0');
  if (!Number.isInteger(db) || db < 0) throw new ConfigError([`config error: state.url: bad database number`]);
  const common: RedisOptions = {
    username: c.username,
    password,
    tls,
    connectTimeout: c.connectTimeoutMs,
    commandTimeout: c.commandTimeoutMs,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy,
    // A demoted master answers READONLY: reconnect, which asks the Sentinels for the new master.
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
    connectionName: 'davgate',
  };
  const nodes = c.nodes.map(hostPort);
  switch (c.mode) {
    case 'standalone':
      return {
        mode: 'standalone',
        where: `${url.hostname}:${url.port || 6379}`,
        options: { ...common, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 6379), db },
        nodes: [],
      };
    case 'sentinel': {
      const sentinelPassword = secret(
        'state.sentinelPasswordFile',
        c.sentinelPasswordFile,
        'state.sentinelPasswordEnv',
        c.sentinelPasswordEnv,
        env,
      );
      return {
        mode: 'sentinel',
        where: `sentinel ${c.sentinelName} via ${c.nodes.join(',')}`,
        options: {
          ...common,
          db,
          name: c.sentinelName,
          sentinels: nodes,
          sentinelUsername: c.sentinelUsername,
          sentinelPassword,
          enableTLSForSentinelMode: tls !== undefined,
          sentinelTLS: tls,
          sentinelRetryStrategy: retryStrategy,
          sentinelCommandTimeout: c.commandTimeoutMs,
          // No failoverDetector: when +switch-master arrives while the client is already reconnecting (the
          // master died), it disconnects the connector for good (status 'end', never ready again; seen with
          // ioredis 6.0). A dead master closes the connection anyway, and on a planned failover Sentinel
          // kills the old master's client connections and a demoted master answers READONLY (below).
          failoverDetector: false,
        },
        nodes: [],
      };
    }
    case 'cluster':
      return { mode: 'cluster', where: `cluster via ${c.nodes.join(',')}`, options: common, nodes };
  }
}

/** Builds the client, waits up to connectTimeoutMs for it (start-up goes on without Redis), returns the store. */
export async function openRedisState(
  c: RedisStateConfig,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RedisStateStore> {
  const plan = redisClientPlan(c, env);
  let client: Redis | Cluster;
  if (plan.mode === 'cluster') {
    const { enableOfflineQueue: _q, retryStrategy: _r, ...nodeOptions } = plan.options;
    client = new Cluster(plan.nodes, {
      enableOfflineQueue: false,
      clusterRetryStrategy: retryStrategy,
      redisOptions: nodeOptions,
      slotsRefreshTimeout: c.commandTimeoutMs,
    });
  } else {
    client = new Redis(plan.options);
  }
  const store = new RedisStateStore({
    client,
    maxLogEntries: c.logMaxEntries,
    maxLogAgeSeconds: c.logMaxAgeSeconds,
    retryAfterSeconds: c.retryAfterSeconds,
    log,
  });
  const ready = await new Promise<boolean>((resolve) => {
    if (client.status === 'ready') return resolve(true);
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, c.connectTimeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
  if (ready) log.info('state store: Redis connected', { mode: plan.mode, where: plan.where });
  else
    log.warn('state store: Redis not reachable yet; sync answers 503 until it is', {
      mode: plan.mode,
      where: plan.where,
    });
  return store;
}
