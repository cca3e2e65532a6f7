// Starts Debian's `redis-server` (and `redis-sentinel`) for the integration tests: free loopback ports, a
// temporary directory, no persistence unless asked, and everything stopped (and the directory removed)
// afterwards. Also a three-master Redis Cluster for the contract suite in cluster mode.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, freePort, pingReady, type RedisProcess, serverArgs, spawnRedis, waitFor } from './redis-process.ts';
import { HOST, parseInfo, redisCommand } from './redis-resp.ts';
import { hasExecutable } from './server.ts';

export { freePort, type RedisProcess } from './redis-process.ts';
export { commandStats, parseInfo, redisCommand } from './redis-resp.ts';

/** Whether the Debian packages are installed (the suites skip with a message when not). */
export async function hasRedis(): Promise<boolean> {
  return hasExecutable('redis-server');
}
export async function hasRedisSentinel(): Promise<boolean> {
  return (await hasExecutable('redis-server')) && (await hasExecutable('redis-sentinel'));
}

export interface StartedRedis extends RedisProcess {
  /** Stops the server and removes its directory. */
  cleanup(): Promise<void>;
}

/** One standalone redis-server on a free loopback port. `extraArgs`, e.g. ['--requirepass', 'x']. */
export async function startRedis(extraArgs: string[] = []): Promise<StartedRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'davgate-redis-'));
  const port = await freePort();
  const p = spawnRedis({ bin: 'redis-server', port, dir, args: serverArgs(port, dir, extraArgs), ready: pingReady });
  try {
    await waitFor(`redis-server on ${port}`, () => pingReady(p), 10_000);
  } catch (err) {
    await p.stop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${p.logs()}`);
  }
  return {
    ...p,
    async cleanup() {
      await p.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SentinelSetup {
  masterName: string;
  master: RedisProcess;
  replica: RedisProcess;
  sentinel: RedisProcess;
  /** `127.0.0.1:PORT` of the sentinel, as the gateway's `state.nodes`. */
  sentinelNode: string;
  /** Port of the current master as the sentinel reports it. */
  currentMasterPort(): Promise<number>;
  /** Waits until the sentinel names a master other than `oldPort` and that server answers as master. */
  waitForFailover(oldPort: number, timeoutMs?: number): Promise<number>;
  cleanup(): Promise<void>;
}

/** A master, one replica and one sentinel (quorum 1, down-after 1 s) watching them. */
export async function startSentinelSetup(masterName = 'davgate'): Promise<SentinelSetup> {
  const dir = await mkdtemp(join(tmpdir(), 'davgate-sentinel-'));
  const [mPort, rPort, sPort] = [await freePort(), await freePort(), await freePort()];
  const procs: RedisProcess[] = [];
  const cleanup = async () => {
    for (const p of procs.reverse()) await p.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const mDir = join(dir, 'master');
    const rDir = join(dir, 'replica');
    const sDir = join(dir, 'sentinel');
    for (const d of [mDir, rDir, sDir]) await mkdir(d, { recursive: true });
    const master = spawnRedis({
      bin: 'redis-server',
      port: mPort,
      dir: mDir,
      args: serverArgs(mPort, mDir),
      ready: pingReady,
    });
    procs.push(master);
    await waitFor('master', () => pingReady(master), 10_000);
    const replica = spawnRedis({
      bin: 'redis-server',
      port: rPort,
      dir: rDir,
      args: serverArgs(rPort, rDir, ['--replicaof', HOST, String(mPort)]),
      ready: pingReady,
    });
    procs.push(replica);
    await waitFor(
      'replica in sync',
      async () => parseInfo(await replica.command('INFO', 'replication')).get('master_link_status') === 'up',
      10_000,
    );
    const conf = join(sDir, 'sentinel.conf');
    await writeFile(
      conf,
      [
        `port ${sPort}`,
        `bind ${HOST}`,
        `dir ${sDir}`,
        'logfile ""',
        `sentinel monitor ${masterName} ${HOST} ${mPort} 1`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 5000`,
        `sentinel parallel-syncs ${masterName} 1`,
        '',
      ].join('\n'),
    );
    const sentinel = spawnRedis({
      bin: 'redis-sentinel',
      port: sPort,
      dir: sDir,
      args: [conf],
      ready: async (p) => (await p.command('SENTINEL', 'get-master-addr-by-name', masterName)).includes('\n'),
    });
    procs.push(sentinel);
    await waitFor(
      'sentinel knows the replica',
      async () => {
        const r = await sentinel.command('SENTINEL', 'replicas', masterName);
        return r.includes(String(rPort));
      },
      15_000,
    );
    const currentMasterPort = async () =>
      Number((await sentinel.command('SENTINEL', 'get-master-addr-by-name', masterName)).split('\n')[1]);
    return {
      masterName,
      master,
      replica,
      sentinel,
      sentinelNode: `${HOST}:${sPort}`,
      currentMasterPort,
      async waitForFailover(oldPort, timeoutMs = 30_000) {
        let port = oldPort;
        await waitFor(
          'sentinel failover',
          async () => {
            port = await currentMasterPort();
            if (port === oldPort) return false;
            return parseInfo(await redisCommand(port, ['INFO', 'replication'])).get('role') === 'master';
          },
          timeoutMs,
        );
        return port;
      },
      cleanup,
    };
  } catch (err) {
    const logs = procs.map((p) => `--- ${p.port}\n${p.logs()}`).join('\n');
    await cleanup();
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
}

export interface ClusterSetup {
  /** `127.0.0.1:PORT` of every master (seed nodes for the gateway). */
  nodes: string[];
  masters: RedisProcess[];
  cleanup(): Promise<void>;
}

/** Three cluster-enabled masters (no replicas), slots assigned by `redis-cli --cluster create`. */
export async function startCluster(): Promise<ClusterSetup> {
  const dir = await mkdtemp(join(tmpdir(), 'davgate-cluster-'));
  const masters: RedisProcess[] = [];
  const cleanup = async () => {
    for (const p of masters) await p.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const d = join(dir, String(port));
      await mkdir(d, { recursive: true });
      const args = serverArgs(port, d, ['--cluster-enabled', 'yes', '--cluster-config-file', join(d, 'nodes.conf')]);
      const p = spawnRedis({ bin: 'redis-server', port, dir: d, args, ready: pingReady });
      masters.push(p);
      await waitFor(`cluster node ${port}`, () => pingReady(p), 10_000);
    }
    const nodes = masters.map((m) => `${HOST}:${m.port}`);
    const create = spawn('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    create.stdout.on('data', (d) => {
      out += d;
    });
    create.stderr.on('data', (d) => {
      out += d;
    });
    await exited(create);
    if (create.exitCode !== 0) throw new Error(`redis-cli --cluster create failed:\n${out}`);
    for (const m of masters)
      await waitFor(
        `cluster state ok on ${m.port}`,
        async () => parseInfo(await m.command('CLUSTER', 'INFO')).get('cluster_state') === 'ok',
        15_000,
      );
    return { nodes, masters, cleanup };
  } catch (err) {
    const logs = masters.map((p) => `--- ${p.port}\n${p.logs()}`).join('\n');
    await cleanup();
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
}
