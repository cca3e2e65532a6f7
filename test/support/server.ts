// Starts the real gateway (`node src/main.ts serve`) on a free loopback port with a fresh data
// directory, for tests that drive it with real clients (litmus, python-caldav, vdirsyncer).
// Users are created beforehand with `davgate user add NAME`, the password on standard input.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'src/main.ts');
const READY = /^davgate listening on (http:\/\/\S+)$/m;
/** Keep the tail of the server's output: enough to explain a failure, bounded for long runs. */
const MAX_LOG_CHARS = 64 * 1024;

export interface ServerUser {
  name: string;
  password: string;
}

export interface StartServerOptions {
  /** User names to create (each gets a random password); default `['alice']`. */
  users?: string[];
  /** A YAML config file passed as --config (flags still override port, host and data dir). */
  config?: string;
  /** Extra environment (e.g. DAVGATE_LOGGING_LEVEL); DAVGATE_* from the caller's environment is dropped. */
  env?: Record<string, string>;
  /** How long to wait for the ready line; default 20 s. */
  readyTimeoutMs?: number;
  /**
   * Use this data directory instead of a fresh one, e.g. one SQLite file shared by several gateway processes
   * (replicas); it is left in place on stop. Pass `users: []` to the later processes and reuse the first's.
   */
  dataDir?: string;
}

export interface RunningServer {
  /** The DAV root as the server printed it, e.g. http://127.0.0.1:41234/dav/ */
  url: string;
  /** The origin with a trailing slash, e.g. http://127.0.0.1:41234/ (what a person types into a client). */
  baseUrl: string;
  /** The public prefix without a trailing slash, e.g. /dav ('' when served at the root). */
  prefix: string;
  port: number;
  users: ServerUser[];
  dataDir: string;
  /** The server's recent stdout and stderr (the tail), for assertion messages. */
  logs(): string;
  /** Stops the process (SIGTERM, SIGKILL after 5 s) and removes the data directory (unless passed in). Idempotent. */
  stop(): Promise<void>;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DAVGATE_')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

class LogTail {
  text = '';
  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > MAX_LOG_CHARS) this.text = this.text.slice(-MAX_LOG_CHARS);
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((res) => child.once('exit', (code) => res(code)));
}

/** Runs one CLI command to completion, `input` on stdin; rejects with its output when it fails. */
async function runCli(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new LogTail();
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => out.push(c));
  child.stdin.end(input);
  const spawnError = new Promise<never>((_, rej) => child.once('error', rej));
  const code = await Promise.race([exited(child), spawnError]);
  if (code !== 0) throw new Error(`davgate ${args.join(' ')} exited with ${code}:\n${out.text}`);
  return out.text;
}

function dataDirArgs(dataDir: string, config?: string): string[] {
  return ['--data-dir', dataDir, ...(config ? ['--config', config] : [])];
}

export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'davgate-it-')));
  const env = cleanEnv(opts.env);
  const users = (opts.users ?? ['alice']).map((name) => ({ name, password: randomBytes(12).toString('base64url') }));
  let child: ChildProcess | undefined;
  const tail = new LogTail();
  let stopping: Promise<void> | undefined;

  const stop = () => {
    stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        const done = exited(child);
        child.kill('SIGTERM');
        const force = setTimeout(() => child?.kill('SIGKILL'), 5000);
        await done;
        clearTimeout(force);
      }
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    // Sequential: each command opens the same SQLite file.
    for (const u of users)
      await runCli(['user', 'add', u.name, ...dataDirArgs(dataDir, opts.config)], `${u.password}\n`, env);

    const args = [MAIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...dataDirArgs(dataDir, opts.config)];
    const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stderr.on('data', (c) => tail.push(c));
    const url = await new Promise<string>((res, rej) => {
      let stdout = '';
      const timer = setTimeout(
        () => rej(new Error(`davgate serve printed no ready line within ${opts.readyTimeoutMs ?? 20_000} ms`)),
        opts.readyTimeoutMs ?? 20_000,
      );
      proc.stdout.on('data', (c: Buffer) => {
        tail.push(c);
        stdout += c.toString();
        const m = READY.exec(stdout);
        if (m) {
          clearTimeout(timer);
          res(m[1]);
        }
      });
      proc.once('error', (err) => {
        clearTimeout(timer);
        rej(err);
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        rej(new Error(`davgate serve exited (${signal ?? code}) before it was ready`));
      });
    });
    const parsed = new URL(url);
    return {
      url,
      baseUrl: `${parsed.origin}/`,
      prefix: parsed.pathname.replace(/\/+$/, ''),
      port: Number(parsed.port),
      users,
      dataDir,
      logs: () => tail.text,
      stop,
    };
  } catch (err) {
    await stop();
    const logs = tail.text ? `\n--- server output ---\n${tail.text}` : '';
    throw new Error(`${(err as Error).message}${logs}`, { cause: err });
  }
}

/** The `Authorization` header value for a user. */
export function basicAuth(user: ServerUser): string {
  return `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}`;
}

/** Whether an executable is on PATH (the integration suites skip when their Debian package is absent). */
export async function hasExecutable(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, name), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}
