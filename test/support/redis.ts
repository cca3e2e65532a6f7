// Starts Debian's `redis-server` (and `redis-sentinel`) for the integration tests: free loopback ports, a
// temporary directory, no persistence unless asked, and everything stopped (and the directory removed)
// afterwards. Also a three-master Redis Cluster for the contract suite in cluster mode.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasExecutable } from './server.ts';

const HOST = '127.0.0.1';
const MAX_LOG_CHARS = 32 * 1024;

/** A free TCP port on loopback (the OS picks it; a tiny race before the caller binds it is accepted). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => child.once('exit', () => res()));
}

/** One RESP request over a fresh socket (no client library, so support code cannot share its bugs). */
export function redisCommand(port: number, args: string[], timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`redis ${port}: ${args[0]} timed out`));
    }, timeoutMs);
    const done = (err: Error | undefined, value?: string) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value as string);
    };
    sock.once('error', (e) => done(e));
    sock.connect(port, HOST, () => {
      sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      // Cheap completeness test first: a reply ends with CRLF.
      if (d.length < 2 || d[d.length - 2] !== 13 || d[d.length - 1] !== 10) return;
      const parsed = parseReply(Buffer.concat(chunks, size));
      if (parsed === undefined) return;
      if (parsed.error) done(new Error(parsed.error));
      else done(undefined, parsed.text);
    });
  });
}

/** Minimal RESP2 reply reader: simple strings, errors, integers, bulk strings, arrays (joined by \n). */
function parseReply(buf: Buffer): { text?: string; error?: string } | undefined {
  const read = (at: number): { text: string; end: number } | undefined => {
    const nl = buf.indexOf('\r\n', at);
    if (nl < 0) return undefined;
    const type = String.fromCharCode(buf[at]);
    const head = buf.toString('utf8', at + 1, nl);
    if (type === '$') {
      const len = Number(head);
      if (len < 0) return { text: '', end: nl + 2 };
      if (buf.length < nl + 2 + len + 2) return undefined;
      return { text: buf.toString('utf8', nl + 2, nl + 2 + len), end: nl + 2 + len + 2 };
    }
    if (type === '*') {
      const n = Number(head);
      const parts: string[] = [];
      let end = nl + 2;
      for (let i = 0; i < n; i++) {
        const r = read(end);
        if (!r) return undefined;
        parts.push(r.text);
        end = r.end;
      }
      return { text: parts.join('\n'), end };
    }
    return { text: head, end: nl + 2 };
  };
  if (buf[0] === 45 /* - */) {
    const r = read(0);
    return r && { error: r.text };
  }
  const r = read(0);
  return r && { text: r.text };
}

/** Parses an INFO section into key → value. */
export function parseInfo(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** Calls per command from INFO commandstats (e.g. { evalsha: 2, hgetall: 1 }). */
export async function commandStats(port: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [k, v] of parseInfo(await redisCommand(port, ['INFO', 'commandstats']))) {
    const m = /^cmdstat_(.+)$/.exec(k);
    const calls = /(?:^|,)calls=(\d+)/.exec(v);
    if (m && calls) out[m[1]] = Number(calls[1]);
  }
  return out;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ''}`);
}

export interface RedisProcess {
  port: number;
  /** `redis://127.0.0.1:PORT` */
  url: string;
  dir: string;
  /** Recent output of the process. */
  logs(): string;
  /** Runs one command (RESP, fresh connection) and returns the reply as text. */
  command(...args: string[]): Promise<string>;
  /** SIGKILL: the server vanishes mid-run (no shutdown, no save). */
  kill(): Promise<void>;
  /** Starts the server again on the same port (empty unless persistence was configured). */
  restart(): Promise<void>;
  /** SIGTERM and wait. Idempotent. */
  stop(): Promise<void>;
}

interface ProcessSpec {
  bin: 'redis-server' | 'redis-sentinel';
  port: number;
  dir: string;
  /** Arguments after the binary (config file and/or --options). */
  args: string[];
  ready: (p: RedisProcess) => Promise<boolean>;
}

function spawnRedis(spec: ProcessSpec): RedisProcess {
  let child: ChildProcess | undefined;
  let log = '';
  const start = () => {
    const c = spawn(spec.bin, spec.args, { cwd: spec.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const push = (d: Buffer) => {
      log += d.toString();
      if (log.length > MAX_LOG_CHARS) log = log.slice(-MAX_LOG_CHARS);
    };
    c.stdout?.on('data', push);
    c.stderr?.on('data', push);
    c.on('error', (e) => push(Buffer.from(`spawn error: ${e.message}\n`)));
    child = c;
  };
  const stopWith = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const done = exited(c);
    c.kill(signal);
    const force = setTimeout(() => c.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(force);
  };
  const p: RedisProcess = {
    port: spec.port,
    url: `redis://${HOST}:${spec.port}`,
    dir: spec.dir,
    logs: () => log,
    command: (...args) => redisCommand(spec.port, args),
    kill: () => stopWith('SIGKILL'),
    async restart() {
      await stopWith('SIGKILL');
      start();
      await waitFor(`${spec.bin} on ${spec.port} ready`, () => spec.ready(p), 10_000);
    },
    stop: () => stopWith('SIGTERM'),
  };
  start();
  return p;
}

/** Up means answering: PONG, or NOAUTH from a server that requires a password. */
const pingReady = async (p: RedisProcess) => {
  try {
    return (await p.command('PING')) === 'PONG';
  } catch (err) {
    if (/NOAUTH/.test((err as Error).message)) return true;
    throw err;
  }
};

const serverArgs = (port: number, dir: string, extra: string[] = []) => [
  '--port',
  String(port),
  '--bind',
  HOST,
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--daemonize',
  'no',
  '--logfile',
  '',
  ...extra,
];

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
