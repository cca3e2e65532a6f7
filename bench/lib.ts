// Building blocks of the benchmark (bench/run.ts): statistics, a keep-alive HTTP client, the DAV
// request bodies a CardDAV client sends, and the workloads (the server process: server.ts).
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { RawConnection } from './raw-http.ts';
import { AUTH } from './server.ts';
import type { GeneratedCard } from './vcards.ts';

// The server process (start, stop, users, /proc figures) lives in server.ts; re-exported for the scripts.
export * from './server.ts';

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

export function expectStatus(reply: Pick<Reply, 'status' | 'body'>, expected: number[], what: string): void {
  if (!expected.includes(reply.status)) {
    throw new Error(`${what}: expected ${expected.join('/')} but got ${reply.status}: ${reply.body.slice(0, 500)}`);
  }
}

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
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
  // The lean client (raw-http.ts): node:http's CPU per request would be taken from the server's cores.
  const conns = await Promise.all(Array.from({ length: connections }, () => RawConnection.open(target)));
  const puts: TimedPut[] = [];
  let next = 0;
  const worker = async (conn: RawConnection) => {
    for (;;) {
      const seq = next++;
      if (seq >= cards.length) return;
      const t0 = performance.now();
      const reply = await conn.request('PUT', `${collectionPath}${cards[seq].name}`, VCARD_HEADERS, cards[seq].text);
      const ms = performance.now() - t0;
      if (reply.status !== 201) throw new Error(`PUT ${cards[seq].name}: expected 201, got ${reply.status}`);
      puts.push({ seq, ms });
    }
  };
  const t0 = performance.now();
  try {
    await Promise.all(conns.map(worker));
  } finally {
    for (const c of conns) c.close();
  }
  const wallMs = performance.now() - t0;
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
  conn: RawConnection,
  collectionPath: string,
  expected: number,
  batchSize = 100,
): Promise<SyncResult> {
  const xml = { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' };
  const t0 = performance.now();
  const listing = await conn.request('PROPFIND', collectionPath, xml, PROPFIND_ETAGS);
  if (listing.status !== 207) throw new Error(`PROPFIND Depth 1: expected 207, got ${listing.status}`);
  let bytes = Buffer.byteLength(listing.body);
  const objects = members(listing.body).filter((m) => m.href !== collectionPath && m.etag);
  const t1 = performance.now();
  let fetched = 0;
  let requests = 1;
  for (let i = 0; i < objects.length; i += batchSize) {
    const batch = objects.slice(i, i + batchSize).map((m) => m.href);
    const reply = await conn.request('REPORT', collectionPath, xml, multigetBody(batch));
    requests++;
    if (reply.status !== 207) throw new Error(`addressbook-multiget: expected 207, got ${reply.status}`);
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
// Result helpers (drift fit, rounding, the printed table)

/** (fitted last − fitted first) / median for a least-squares line through `ys` (equally spaced). */
export function relativeDrift(ys: number[]): number {
  const n = ys.length;
  if (n < 2) return Number.NaN;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  const sorted = [...ys].sort((a, b) => a - b);
  return ((num / den) * (n - 1)) / quantile(sorted, 0.5);
}

export function mapRound(s: Summary): Summary {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 3)])) as unknown as Summary;
}

export function yes(ok: boolean): string {
  return ok ? 'yes' : 'NO';
}

export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}
