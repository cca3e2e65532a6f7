// The server under benchmark as a process: where the checkout is, the user the workloads log in as,
// starting it as an operator does (scripts/start.sh) and stopping it, and its CPU time and memory
// from /proc. Used through bench/lib.ts.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target } from './lib.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const USER = 'bench';
export const PASSWORD = 'bench-password-0123456789';
export const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// The server process

export interface Server {
  child: ChildProcess;
  pid: number;
  target: Target;
  /** Path prefix of the DAV root, e.g. /dav */
  prefix: string;
  stderr: string[];
}

export function node(): string {
  return process.execPath;
}

export function runUserAdd(root: string, dataDir: string, configFile: string): void {
  execFileSync(
    node(),
    [join(root, 'src/main.ts'), 'user', 'add', USER, '--config', configFile, '--data-dir', dataDir],
    {
      input: `${PASSWORD}\n`,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 30_000,
    },
  );
}

/**
 * How the server is started: `start` = `scripts/start.sh serve …` of the server checkout, as an operator
 * starts it (stripped JavaScript from dist/, the V8 flags it sets; it execs node, so the pid is the
 * server's); `src` = `node src/main.ts serve …` with no flags (the TypeScript sources, Node's defaults).
 */
export type Entry = 'start' | 'src';

export async function startServer(
  root: string,
  dataDir: string,
  configFile: string,
  cpuProfDir: string | undefined,
  entry: Entry = 'start',
): Promise<Server> {
  const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const serveArgs = ['serve', '--config', configFile, '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'];
  const child =
    entry === 'start'
      ? spawn('bash', [join(root, 'scripts/start.sh'), ...serveArgs.slice(1)], {
          stdio: ['ignore', 'pipe', 'pipe'],
          // This node first on PATH (start.sh uses the first recent enough one); --cpu-prof via NODE_OPTIONS.
          env: {
            ...process.env,
            PATH: `${dirname(node())}:${process.env.PATH ?? ''}`,
            NODE_OPTIONS: [process.env.NODE_OPTIONS ?? '', ...nodeArgs].join(' ').trim(),
          },
        })
      : spawn(node(), [...nodeArgs, join(root, 'src/main.ts'), ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr.push(d);
    if (stderr.length > 200) stderr.shift();
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s: ${stderr.join('')}`)), 30_000);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      out += d;
      const m = /davgate listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr.join('')}`));
    });
  });
  const u = new URL(url);
  return {
    child,
    pid: child.pid ?? 0,
    target: { host: u.hostname, port: Number(u.port) },
    prefix: u.pathname.replace(/\/$/, ''),
    stderr,
  };
}

export async function stopServer(server: Server): Promise<number | null> {
  if (server.child.exitCode !== null) return server.child.exitCode;
  const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

export interface ProcMemory {
  vmHWM_MB: number;
  vmRSS_MB: number;
  /** VmRSS split: anonymous memory (V8 heap, malloc), file pages (code, mapped files), shared memory (SQLite -shm). */
  rssAnon_MB: number;
  rssFile_MB: number;
  rssShmem_MB: number;
}

export function procStatus(pid: number): ProcMemory {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  const mb = (key: string) => round(kb(key) / 1024, 1);
  return {
    vmHWM_MB: mb('VmHWM'),
    vmRSS_MB: mb('VmRSS'),
    rssAnon_MB: mb('RssAnon'),
    rssFile_MB: mb('RssFile'),
    rssShmem_MB: mb('RssShmem'),
  };
}

/** CPU time (user + system) the process has used so far, in ms (/proc/<pid>/stat fields 14 and 15). */
export function procCpuMs(pid: number, ticksPerSecond = 100): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** The machine's CPU ticks so far (all CPUs, /proc/stat `cpu` line): total, and stolen by the hypervisor. */
export interface CpuTicks {
  total: number;
  steal: number;
}

export function machineTicks(): CpuTicks {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return { total: 0, steal: 0 };
  }
}

/**
 * Share of the machine's CPU time the hypervisor took (steal) between two snapshots, in percent: on a
 * shared VM the same code runs slower while it is high, which CPU-per-operation figures do not show.
 */
export function stealPercent(from: CpuTicks, to: CpuTicks = machineTicks()): number {
  const total = to.total - from.total;
  return total > 0 ? Math.round((1000 * (to.steal - from.steal)) / total) / 10 : 0;
}

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux unless `getconf CLK_TCK` says otherwise). */
export function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** The commit of the server checkout: `git rev-parse`, or a COMMIT file written next to an exported tree. */
export function gitCommit(root: string): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'adapters'], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return `${head.trim()}${dirty.trim() ? ' (src/adapters modified in the working tree)' : ''}`;
  } catch {
    try {
      return readFileSync(join(root, 'COMMIT'), 'utf8').trim();
    } catch {
      return undefined;
    }
  }
}
