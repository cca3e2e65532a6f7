// Shared plumbing for the database launchers (postgres.ts, mariadb.ts): a temporary directory the
// server's own system user can write (servers refuse to run as root), a child process with a bounded
// log tail, readiness polling and a stop that always removes the directory.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAX_LOG_CHARS = 32 * 1024;

/** uid/gid of a system user when we are root (so the server can drop to it), else undefined. */
export async function runAsUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const { stdout: uid } = await run('id', ['-u', name]);
  const { stdout: gid } = await run('id', ['-g', name]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** A fresh temporary directory owned by `owner` when given. */
export async function ownedTempDir(prefix: string, owner?: { uid: number; gid: number }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (owner) await chown(dir, owner.uid, owner.gid);
  return dir;
}

/** Runs a set-up command to completion (initdb, mariadb-install-db), failing with its output. */
export async function runTool(bin: string, args: string[], owner?: { uid: number; gid: number }): Promise<void> {
  try {
    await run(bin, args, { ...(owner ?? {}), maxBuffer: 4 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${bin} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

export interface DbProcess {
  child: ChildProcess;
  logs(): string;
  /** Sends `signal` (SIGKILL after 10 s) and waits for the exit. */
  end(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns a server process with a bounded log tail. */
export function spawnDb(bin: string, args: string[], dir: string, owner?: { uid: number; gid: number }): DbProcess {
  let log = '';
  const child = spawn(bin, args, { ...(owner ?? {}), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const push = (b: Buffer) => {
    log = (log + b.toString()).slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', push);
  child.stderr?.on('data', push);
  child.on('error', (e) => push(Buffer.from(`spawn error: ${e.message}\n`)));
  return {
    child,
    logs: () => log,
    async end(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((res) => child.once('exit', () => res()));
      child.kill(signal);
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(force);
    },
  };
}

/** Removes a launcher's directory (after its process ended). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Polls `check` until it succeeds, the process exits, or the time runs out. */
export async function waitReady(
  p: DbProcess,
  what: string,
  check: () => Promise<void>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      throw new Error(`${what} exited (${p.child.signalCode ?? p.child.exitCode}) before it was ready\n${p.logs()}`);
    }
    try {
      await check();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms: ${(last as Error)?.message}\n${p.logs()}`);
}
