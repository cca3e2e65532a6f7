// `npm run bench`: starts the real davgate server (embedded default: SQLite + in-memory state) on a
// temporary data directory, creates a user, loads an address book of realistic vCards and measures
// the workloads of issue 2's acceptance criteria. Prints a table and writes JSON results.
// All traffic stays on 127.0.0.1; every loop is bounded. docs/performance.md explains the workloads.
//
//   node bench/run.ts [--cards 3500] [--puts 1000] [--sync-runs 9] [--resync-runs 200]
//                     [--wrk-seconds 10] [--wrk-threads 2] [--out bench/results/latest.json]
//                     [--cpu-prof DIR] [--keep]
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type GeneratedCard, generateVcards } from './vcards.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USER = 'bench';
const PASSWORD = 'bench-password-0123456789';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const { values: args } = parseArgs({
  options: {
    cards: { type: 'string', default: '3500' },
    puts: { type: 'string', default: '1000' },
    'put-connections': { type: 'string', default: '8' },
    'sync-runs': { type: 'string', default: '9' },
    'resync-runs': { type: 'string', default: '200' },
    'wrk-seconds': { type: 'string', default: '10' },
    'wrk-threads': { type: 'string', default: '2' },
    'wrk-connections': { type: 'string', default: '16' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results', 'latest.json') },
    'cpu-prof': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});

function positiveInt(name: string): number {
  const n = Number(args[name as keyof typeof args]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

const CARDS = positiveInt('cards');
const PUTS = positiveInt('puts');
const PUT_CONNECTIONS = positiveInt('put-connections');
const SYNC_RUNS = positiveInt('sync-runs');
const RESYNC_RUNS = positiveInt('resync-runs');
const WRK_SECONDS = positiveInt('wrk-seconds');
const WRK_THREADS = positiveInt('wrk-threads');
const WRK_CONNECTIONS = positiveInt('wrk-connections');
const MULTIGET_BATCH = 100;

// ---------------------------------------------------------------------------------------------
// Statistics

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function summarize(samples: number[]): Summary {
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

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// HTTP client (node:http with keep-alive agents: one TCP connection per concurrent worker)

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Target {
  host: string;
  port: number;
}

function send(
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

function expectStatus(reply: Reply, expected: number[], what: string): void {
  if (!expected.includes(reply.status)) {
    throw new Error(`${what}: expected ${expected.join('/')} but got ${reply.status}: ${reply.body.slice(0, 500)}`);
  }
}

function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

// ---------------------------------------------------------------------------------------------
// The server process

interface Server {
  child: ChildProcess;
  pid: number;
  target: Target;
  /** Path prefix of the DAV root, e.g. /dav */
  prefix: string;
  stderr: string[];
}

function node(): string {
  return process.execPath;
}

function runUserAdd(dataDir: string, configFile: string): void {
  execFileSync(
    node(),
    [join(ROOT, 'src/main.ts'), 'user', 'add', USER, '--config', configFile, '--data-dir', dataDir],
    {
      input: `${PASSWORD}\n`,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 30_000,
    },
  );
}

async function startServer(dataDir: string, configFile: string, cpuProfDir: string | undefined): Promise<Server> {
  const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const child = spawn(
    node(),
    [
      ...nodeArgs,
      join(ROOT, 'src/main.ts'),
      'serve',
      '--config',
      configFile,
      '--data-dir',
      dataDir,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
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

async function stopServer(server: Server): Promise<number | null> {
  if (server.child.exitCode !== null) return server.child.exitCode;
  const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

function procStatus(pid: number): { vmHWM_MB: number; vmRSS_MB: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { vmHWM_MB: round(kb('VmHWM') / 1024, 1), vmRSS_MB: round(kb('VmRSS') / 1024, 1) };
}

// ---------------------------------------------------------------------------------------------
// DAV bodies and response parsing (regexes are enough for the server's own, known output)

const PROPFIND_ETAGS =
  '<?xml version="1.0" encoding="utf-8"?>\n<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontenttype/></d:prop></d:propfind>';
const PROPFIND_CTAG =
  '<?xml version="1.0" encoding="utf-8"?>\n<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>';

function multigetBody(hrefs: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop>${hrefs
    .map((h) => `<d:href>${h}</d:href>`)
    .join('')}</card:addressbook-multiget>`;
}

function syncCollectionBody(token: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
}

const RESPONSE_RE = /<(?:[\w.-]+:)?response\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?response>/g;
const HREF_RE = /<(?:[\w.-]+:)?href>([^<]*)<\/(?:[\w.-]+:)?href>/;
const ETAG_RE = /<(?:[\w.-]+:)?getetag>([^<]*)<\/(?:[\w.-]+:)?getetag>/;
const ADDRESS_DATA_RE = /<(?:[\w.-]+:)?address-data\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?address-data>/;

interface Member {
  href: string;
  etag: string | undefined;
  data: string | undefined;
}

function members(xml: string): Member[] {
  const out: Member[] = [];
  for (const m of xml.matchAll(RESPONSE_RE)) {
    const href = HREF_RE.exec(m[1])?.[1];
    if (!href) continue;
    out.push({ href, etag: ETAG_RE.exec(m[1])?.[1], data: ADDRESS_DATA_RE.exec(m[1])?.[1] });
  }
  return out;
}

function tagText(xml: string, local: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${local}\\b[^>]*>([^<]*)</(?:[\\w.-]+:)?${local}>`).exec(xml)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Workloads

const VCARD_HEADERS = { 'Content-Type': 'text/vcard; charset=utf-8', 'If-None-Match': '*' };

interface TimedPut {
  seq: number;
  ms: number;
}

/** PUTs `cards` with `connections` concurrent keep-alive workers; returns per-PUT latency by start order. */
async function putAll(
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
function deciles(puts: TimedPut[]): { slice: string; medianMs: number; p90Ms: number; meanMs: number }[] {
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

interface SyncResult {
  ms: number;
  propfindMs: number;
  multigetMs: number;
  requests: number;
  bytes: number;
}

/** A client's initial sync: PROPFIND Depth 1 for etags, then addressbook-multiget in batches, sequentially. */
async function initialSync(
  target: Target,
  agent: http.Agent,
  collectionPath: string,
  expected: number,
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
  for (let i = 0; i < objects.length; i += MULTIGET_BATCH) {
    const batch = objects.slice(i, i + MULTIGET_BATCH).map((m) => m.href);
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

async function timedLoop(runs: number, fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

interface WrkResult {
  requestsPerSec: number;
  requests: number;
  non2xx: number;
  socketErrors: string | undefined;
  latency: Record<string, string>;
  raw: string;
}

function wrkVersion(): string | undefined {
  try {
    const out = execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /wrk (\S+)/.exec(out)?.[1];
  } catch (e) {
    // `wrk -v` prints its version and exits 1.
    const out = String((e as { stdout?: string }).stdout ?? '');
    return /wrk (\S+)/.exec(out)?.[1];
  }
}

function runWrk(url: string): WrkResult {
  const raw = execFileSync(
    'wrk',
    [
      `-t${WRK_THREADS}`,
      `-c${WRK_CONNECTIONS}`,
      `-d${WRK_SECONDS}s`,
      '--latency',
      '--timeout',
      '10s',
      '-H',
      `Authorization: ${AUTH}`,
      url,
    ],
    { encoding: 'utf8', timeout: (WRK_SECONDS + 30) * 1000 },
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

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'davgate-bench-'));
  const dataDir = join(work, 'data');
  const configFile = join(work, 'davgate.yaml');
  // warn: the access log (info) would otherwise dominate the measurements.
  writeFileSync(configFile, 'logging:\n  level: warn\n');
  let server: Server | undefined;
  const rssByPhase: Record<string, { vmHWM_MB: number; vmRSS_MB: number }> = {};
  try {
    runUserAdd(dataDir, configFile);
    server = await startServer(dataDir, configFile, args['cpu-prof']);
    const srv = server;
    const target = srv.target;
    const book = `${srv.prefix}/addressbooks/${USER}/contacts/`;
    log(`server pid ${srv.pid} on http://${target.host}:${target.port}${srv.prefix}/, data in ${work}`);
    rssByPhase.started = procStatus(srv.pid);

    // 1. Load the address book.
    const cards = generateVcards(CARDS);
    const bytes = cards.reduce((a, c) => a + Buffer.byteLength(c.text), 0);
    log(
      `loading ${CARDS} vCards (${(bytes / 1e6).toFixed(1)} MB, ${cards.filter((c) => c.hasPhoto).length} with PHOTO)`,
    );
    const load = await putAll(target, book, cards, PUT_CONNECTIONS);
    rssByPhase.loaded = procStatus(srv.pid);

    // 2. Initial sync, over one keep-alive connection.
    const agent = keepAliveAgent(1);
    log(`initial sync x${SYNC_RUNS}`);
    const syncs: SyncResult[] = [];
    for (let i = 0; i < SYNC_RUNS; i++) syncs.push(await initialSync(target, agent, book, CARDS));
    rssByPhase.synced = procStatus(srv.pid);

    // 4. ctag check (PROPFIND Depth 0 getctag + sync-token), which also gives the client its token.
    const depth0 = { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' };
    let token = '';
    let ctag = '';
    const ctagMs = await timedLoop(RESYNC_RUNS, async () => {
      const r = await send(target, agent, 'PROPFIND', book, depth0, PROPFIND_CTAG);
      expectStatus(r, [207], 'PROPFIND getctag');
      ctag = tagText(r.body, 'getctag') ?? '';
      token = tagText(r.body, 'sync-token') ?? '';
    });
    if (!ctag || !token) throw new Error('PROPFIND Depth 0 returned no getctag or sync-token');

    // 3. No-change re-sync with the last token.
    log(`no-change sync-collection x${RESYNC_RUNS}`);
    const reportHeaders = { 'Content-Type': 'application/xml; charset=utf-8' };
    const resyncBody = syncCollectionBody(token);
    const resyncMs = await timedLoop(RESYNC_RUNS, async () => {
      const r = await send(target, agent, 'REPORT', book, reportHeaders, resyncBody);
      expectStatus(r, [207], 'sync-collection');
      const changed = members(r.body).length;
      if (changed !== 0) throw new Error(`no-change sync-collection returned ${changed} members`);
    });
    agent.destroy();

    // 5. GET of one object at 16 connections (wrk). A typical card: no PHOTO.
    const one = cards.find((c) => !c.hasPhoto) ?? cards[0];
    const oneUrl = `http://${target.host}:${target.port}${book}${one.name}`;
    const wrkV = wrkVersion();
    let wrk: WrkResult | undefined;
    if (wrkV) {
      log(`wrk GET ${WRK_SECONDS}s at ${WRK_CONNECTIONS} connections, ${WRK_THREADS} threads`);
      wrk = runWrk(oneUrl);
    } else {
      log('wrk not found (apt-get install wrk): GET throughput skipped');
    }
    rssByPhase.afterGet = procStatus(srv.pid);

    // 6. New vCards at 8 connections, the book growing from CARDS to CARDS + PUTS.
    log(`${PUTS} PUTs of new vCards at ${PUT_CONNECTIONS} connections`);
    const fresh = generateVcards(PUTS, { offset: CARDS, seed: 77 });
    const put = await putAll(target, book, fresh, PUT_CONNECTIONS);

    // 7. Peak RSS of the server process.
    rssByPhase.end = procStatus(srv.pid);
    const rss = rssByPhase.end;

    const exitCode = await stopServer(srv);
    server = undefined;

    const syncMs = syncs.map((s) => s.ms);
    const syncSummary = summarize(syncMs);
    const resync = summarize(resyncMs);
    const ctagSummary = summarize(ctagMs);
    const putSummary = summarize(put.puts.map((p) => p.ms));
    const putRate = PUTS / (put.wallMs / 1000);
    const putDeciles = deciles(put.puts);
    const loadDeciles = deciles(load.puts);
    const flatness = putDeciles[putDeciles.length - 1].medianMs / putDeciles[0].medianMs;

    const results = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      command: `node bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine: {
        nproc: cpus().length,
        cpu: cpus()[0]?.model,
        node: process.version,
        wrk: wrkV,
        platform: `${process.platform} ${process.arch}`,
      },
      server: { exitCode, storage: 'sqlite', state: 'memory', logging: 'warn' },
      dataset: {
        cards: CARDS,
        bytes,
        withPhoto: cards.filter((c) => c.hasPhoto).length,
        getObjectBytes: Buffer.byteLength(one.text),
      },
      load: {
        wallMs: round(load.wallMs),
        perSecond: round(CARDS / (load.wallMs / 1000), 1),
        deciles: loadDeciles,
      },
      initialSync: {
        runs: syncMs.map((x) => round(x)),
        first_s: round(syncMs[0] / 1000, 3),
        median_s: round(syncSummary.median / 1000, 3),
        min_s: round(syncSummary.min / 1000, 3),
        propfindMedianMs: round(summarize(syncs.map((s) => s.propfindMs)).median),
        multigetMedianMs: round(summarize(syncs.map((s) => s.multigetMs)).median),
        requests: syncs[0].requests,
        responseBytes: syncs[0].bytes,
      },
      noChangeResync: { ...mapRound(resync), unit: 'ms' },
      ctag: { ...mapRound(ctagSummary), unit: 'ms' },
      get: wrk
        ? {
            url: `${book}${one.name}`,
            threads: WRK_THREADS,
            connections: WRK_CONNECTIONS,
            seconds: WRK_SECONDS,
            requestsPerSec: wrk.requestsPerSec,
            requests: wrk.requests,
            non2xx: wrk.non2xx,
            socketErrors: wrk.socketErrors,
            latency: wrk.latency,
          }
        : null,
      put: {
        count: PUTS,
        connections: PUT_CONNECTIONS,
        wallMs: round(put.wallMs),
        perSecond: round(putRate, 1),
        latencyMs: mapRound(putSummary),
        deciles: putDeciles,
        lastOverFirstDecileMedian: round(flatness),
      },
      rss: { peakMB: rss.vmHWM_MB, byPhase: rssByPhase },
    };

    const rows: [string, string, string, string, string][] = [
      ['workload', 'measured', 'target', 'met', 'SabreDAV/SQLite (Radicale)'],
      [
        `initial sync, ${CARDS} cards (median of ${SYNC_RUNS})`,
        `${results.initialSync.median_s.toFixed(3)} s`,
        '< 0.3 s',
        yes(results.initialSync.median_s < 0.3),
        '0.47 s (4.1 s)',
      ],
      [
        `no-change sync-collection (median of ${RESYNC_RUNS})`,
        `${resync.median.toFixed(2)} ms`,
        '< 5 ms',
        yes(resync.median < 5),
        '',
      ],
      [`ctag PROPFIND Depth 0 (median of ${RESYNC_RUNS})`, `${ctagSummary.median.toFixed(2)} ms`, '', '', '4 ms'],
      [
        `GET one object, ${WRK_CONNECTIONS} conns (wrk)`,
        wrk ? `${Math.round(wrk.requestsPerSec)} req/s` : 'skipped',
        '≥ 5,000 req/s',
        wrk ? yes(wrk.requestsPerSec >= 5000 && wrk.non2xx === 0) : '-',
        '~2,800 req/s',
      ],
      [
        `${PUTS} PUTs of new vCards, ${PUT_CONNECTIONS} conns`,
        `${Math.round(putRate)} PUT/s`,
        '≥ 1,000/s',
        yes(putRate >= 1000),
        '',
      ],
      ['PUT latency, last/first decile median', `${flatness.toFixed(2)}×`, 'flat', yes(flatness < 1.5), ''],
      ['server peak RSS (VmHWM)', `${rss.vmHWM_MB} MB`, '< 150 MB', yes(rss.vmHWM_MB < 150), ''],
    ];
    printTable(rows);
    console.log(`\nload: ${CARDS} PUTs in ${(load.wallMs / 1000).toFixed(2)} s (${results.load.perSecond}/s)`);
    console.log(
      `initial sync runs (s): ${syncMs.map((x) => (x / 1000).toFixed(3)).join(' ')}; PROPFIND ${results.initialSync.propfindMedianMs} ms + ${syncs[0].requests - 1} multigets ${results.initialSync.multigetMedianMs} ms`,
    );
    console.log(`no-change sync p90 ${resync.p90.toFixed(2)} ms, ctag p90 ${ctagSummary.p90.toFixed(2)} ms`);
    if (wrk) console.log(`GET latency ${JSON.stringify(wrk.latency)}, non-2xx ${wrk.non2xx}`);
    console.log(`PUT ms per decile (median/p90): ${putDeciles.map((d) => `${d.medianMs}/${d.p90Ms}`).join('  ')}`);
    console.log(
      `RSS by phase (MB, VmRSS): ${Object.entries(rssByPhase)
        .map(([k, v]) => `${k} ${v.vmRSS_MB}`)
        .join(', ')}`,
    );

    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nresults written to ${args.out}`);
  } catch (err) {
    if (server) process.stderr.write(`server stderr (tail):\n${server.stderr.join('').slice(-4000)}\n`);
    throw err;
  } finally {
    if (server) await stopServer(server);
    if (args.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

function mapRound(s: Summary): Summary {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 3)])) as unknown as Summary;
}

function yes(ok: boolean): string {
  return ok ? 'yes' : 'NO';
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

await main();
