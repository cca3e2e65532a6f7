// One redis-server or redis-sentinel child process for the tests: free loopback ports, spawning with
// its output kept, readiness polling, kill/restart/stop, and the default server arguments.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { HOST, redisCommand } from './redis-resp.ts';

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

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => child.once('exit', () => res()));
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
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

export interface ProcessSpec {
  bin: 'redis-server' | 'redis-sentinel';
  port: number;
  dir: string;
  /** Arguments after the binary (config file and/or --options). */
  args: string[];
  ready: (p: RedisProcess) => Promise<boolean>;
}

export function spawnRedis(spec: ProcessSpec): RedisProcess {
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
export const pingReady = async (p: RedisProcess) => {
  try {
    return (await p.command('PING')) === 'PONG';
  } catch (err) {
    if (/NOAUTH/.test((err as Error).message)) return true;
    throw err;
  }
};

export const serverArgs = (port: number, dir: string, extra: string[] = []) => [
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
