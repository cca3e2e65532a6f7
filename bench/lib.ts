// Building blocks of the benchmark (bench/run.ts): statistics, a keep-alive HTTP client, starting and
// stopping the real server, the DAV request bodies a CardDAV client sends, and the workloads.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedCard } from './vcards.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const USER = 'bench';
export const PASSWORD = 'bench-password-0123456789';
export const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

// ---------------------------------------------------------------------------------------------
// Statistics

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return {
    n: s.length,
    min: s[0],
    median: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    max: s[s.length - 1],
    mean,
  };
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// HTTP client (node:http with keep-alive agents: one TCP connection per concurrent worker)

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Target {
  host: string;
  port: number;
}

export function send(
  target: Target,
  agent: http.Agent,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const req = http.request(
      {
        host: target.host,
        port: target.port,
        method,
        path,
        agent,
        headers: {
          Authorization: AUTH,
          ...(payload ? { 'Content-Length': String(payload.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: timed out after 60 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function expectStatus(reply: Reply, expected: number[], what: string): void {
  if (!expected.includes(reply.status)) {
    throw new Error(`${what}: expected ${expected.join('/')} but got ${reply.status}: ${reply.body.slice(0, 500)}`);
  }
}

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

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

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux unless `getconf CLK_TCK` says otherwise). */
export function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

// ---------------------------------------------------------------------------------------------
// DAV bodies and response parsing (regexes are enough for the server's own, known output)

export const PROPFIND_ETAGS =
  '<?xml version="1.0" encoding="utf-8"?>\n<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontenttype/></d:prop></d:propfind>';
export const PROPFIND_CTAG =
  '<?xml version="1.0" encoding="utf-8"?>\n<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>';

export function multigetBody(hrefs: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop>${hrefs
    .map((h) => `<d:href>${h}</d:href>`)
    .join('')}</card:addressbook-multiget>`;
}

export function syncCollectionBody(token: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
}

export const RESPONSE_RE = /<(?:[\w.-]+:)?response\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?response>/g;
export const HREF_RE = /<(?:[\w.-]+:)?href>([^<]*)<\/(?:[\w.-]+:)?href>/;
export const ETAG_RE = /<(?:[\w.-]+:)?getetag>([^<]*)<\/(?:[\w.-]+:)?getetag>/;
export const ADDRESS_DATA_RE = /<(?:[\w.-]+:)?address-data\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?address-data>/;

export interface Member {
  href: string;
  etag: string | undefined;
  data: string | undefined;
}

export function members(xml: string): Member[] {
  const out: Member[] = [];
  for (const m of xml.matchAll(RESPONSE_RE)) {
    const href = HREF_RE.exec(m[1])?.[1];
    if (!href) continue;
    out.push({ href, etag: ETAG_RE.exec(m[1])?.[1], data: ADDRESS_DATA_RE.exec(m[1])?.[1] });
  }
  return out;
}

export function tagText(xml: string, local: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${local}\\b[^>]*>([^<]*)</(?:[\\w.-]+:)?${local}>`).exec(xml)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Workloads

export const VCARD_HEADERS = { 'Content-Type': 'text/vcard; charset=utf-8', 'If-None-Match': '*' };

export interface TimedPut {
  seq: number;
  ms: number;
}

/** PUTs `cards` with `connections` concurrent keep-alive workers; returns per-PUT latency by start order. */
export async function putAll(
  target: Target,
  collectionPath: string,
  cards: GeneratedCard[],
  connections: number,
): Promise<{ wallMs: number; puts: TimedPut[] }> {
  const agent = keepAliveAgent(connections);
  const bodies = cards.map((c) => Buffer.from(c.text, 'utf8'));
  const puts: TimedPut[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const seq = next++;
      if (seq >= cards.length) return;
      const t0 = performance.now();
      const reply = await send(target, agent, 'PUT', `${collectionPath}${cards[seq].name}`, VCARD_HEADERS, bodies[seq]);
      const ms = performance.now() - t0;
      expectStatus(reply, [201], `PUT ${cards[seq].name}`);
      puts.push({ seq, ms });
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const wallMs = performance.now() - t0;
  agent.destroy();
  puts.sort((a, b) => a.seq - b.seq);
  return { wallMs, puts };
}

/** Latency of PUTs grouped in ten equal slices by start order (the book grows from slice to slice). */
export function deciles(puts: TimedPut[]): { slice: string; medianMs: number; p90Ms: number; meanMs: number }[] {
  const out = [];
  const size = Math.ceil(puts.length / 10);
  for (let i = 0; i < 10; i++) {
    const part = puts.slice(i * size, (i + 1) * size);
    if (part.length === 0) continue;
    const s = summarize(part.map((p) => p.ms));
    out.push({
      slice: `${part[0].seq + 1}–${part[part.length - 1].seq + 1}`,
      medianMs: round(s.median),
      p90Ms: round(s.p90),
      meanMs: round(s.mean),
    });
  }
  return out;
}

export interface SyncResult {
  ms: number;
  propfindMs: number;
  multigetMs: number;
  requests: number;
  bytes: number;
}

/** A client's initial sync: PROPFIND Depth 1 for etags, then addressbook-multiget in batches, sequentially. */
export async function initialSync(
  target: Target,
  agent: http.Agent,
  collectionPath: string,
  expected: number,
  batchSize = 100,
): Promise<SyncResult> {
  const t0 = performance.now();
  const listing = await send(
    target,
    agent,
    'PROPFIND',
    collectionPath,
    { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
    PROPFIND_ETAGS,
  );
  expectStatus(listing, [207], 'PROPFIND Depth 1');
  let bytes = Buffer.byteLength(listing.body);
  const objects = members(listing.body).filter((m) => m.href !== collectionPath && m.etag);
  const t1 = performance.now();
  let fetched = 0;
  let requests = 1;
  for (let i = 0; i < objects.length; i += batchSize) {
    const batch = objects.slice(i, i + batchSize).map((m) => m.href);
    const reply = await send(
      target,
      agent,
      'REPORT',
      collectionPath,
      { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
      multigetBody(batch),
    );
    requests++;
    expectStatus(reply, [207], 'addressbook-multiget');
    bytes += Buffer.byteLength(reply.body);
    for (const m of members(reply.body)) if (m.data && m.etag) fetched++;
  }
  const t2 = performance.now();
  if (objects.length !== expected || fetched !== expected) {
    throw new Error(`initial sync saw ${objects.length} etags and ${fetched} address-data, expected ${expected}`);
  }
  return { ms: t2 - t0, propfindMs: t1 - t0, multigetMs: t2 - t1, requests, bytes };
}

export async function timedLoop(runs: number, fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export interface WrkResult {
  requestsPerSec: number;
  requests: number;
  non2xx: number;
  socketErrors: string | undefined;
  latency: Record<string, string>;
  raw: string;
}

export function wrkVersion(): string | undefined {
  try {
    const out = execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /wrk (\S+)/.exec(out)?.[1];
  } catch (e) {
    // `wrk -v` prints its version and exits 1.
    const out = String((e as { stdout?: string }).stdout ?? '');
    return /wrk (\S+)/.exec(out)?.[1];
  }
}

export function runWrk(url: string, threads: number, connections: number, seconds: number): WrkResult {
  const raw = execFileSync(
    'wrk',
    [
      `-t${threads}`,
      `-c${connections}`,
      `-d${seconds}s`,
      '--latency',
      '--timeout',
      '10s',
      '-H',
      `Authorization: ${AUTH}`,
      url,
    ],
    { encoding: 'utf8', timeout: (seconds + 30) * 1000 },
  );
  const latency: Record<string, string> = {};
  for (const m of raw.matchAll(/^\s+(50|75|90|99)%\s+(\S+)/gm)) latency[`p${m[1]}`] = m[2];
  return {
    requestsPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(raw)?.[1] ?? Number.NaN),
    requests: Number(/(\d+) requests in/.exec(raw)?.[1] ?? Number.NaN),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(raw)?.[1] ?? 0),
    socketErrors: /Socket errors:.*$/m.exec(raw)?.[0],
    latency,
    raw,
  };
}

// ---------------------------------------------------------------------------------------------
// Main
