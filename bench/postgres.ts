// Issue 5 benchmark: the native SQL store on PostgreSQL behind the real server (scripts/start.sh, as an operator
// starts it, with storage.kind postgres; --entry src for node src/main.ts). Measures the initial sync-collection of a 3,500-contact address book, the
// no-change sync, and conditional PUTs (If-Match) from several connections contending on a few objects,
// counting lost updates: every 2xx PUT's change must be in the final data (412s are fine).
// Run by hand: node bench/postgres.ts [--cards 3500] [--puts 2000] [--connections 8] [--objects 50] [--entry start|src]
//                                     [--cpu-prof DIR]
// Results: docs/performance.md §"SQL on PostgreSQL". PostgreSQL comes from test/support/postgres.ts
// (a throw-away server in a temp directory; fsync and synchronous_commit off, as for the tests).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres } from '../test/support/postgres.ts';
import {
  ETAG_RE,
  expectStatus,
  HREF_RE,
  keepAliveAgent,
  machineTicks,
  procCpuMs,
  RESPONSE_RE,
  ROOT,
  round,
  runUserAdd,
  send,
  startServer,
  stealPercent,
  stopServer,
  summarize,
  syncCollectionBody,
  type Target,
  USER,
} from './lib.ts';
import { postgresCpuMs } from './pg-cpu.ts';
import { RawConnection, type RawReply } from './raw-http.ts';
import { generateVcards } from './vcards.ts';

const { values: args } = parseArgs({
  options: {
    cards: { type: 'string', default: '3500' },
    puts: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '8' },
    objects: { type: 'string', default: '50' },
    'sync-runs': { type: 'string', default: '9' },
    'resync-runs': { type: 'string', default: '200' },
    /**
     * HTTP client of the contended-PUT phase: `raw` (bench/raw-http.ts, least CPU taken from the server on
     * the shared cores) or `node` (node:http with a keep-alive agent, as the other phases).
     */
    client: { type: 'string', default: 'raw' },
    /** Connect the server to PostgreSQL through its Unix socket instead of loopback TCP. */
    socket: { type: 'boolean', default: false },
    /**
     * How the server starts (bench/server.ts): `start` = scripts/start.sh as an operator runs it (stripped
     * JavaScript, its V8 flags), `src` = node src/main.ts with Node's defaults.
     */
    entry: { type: 'string', default: 'start' },
    /** Run the server under node --cpu-prof, profiles written to this directory. */
    'cpu-prof': { type: 'string' },
  },
});
if (args.entry !== 'start' && args.entry !== 'src') throw new Error('--entry: start or src');
const CARDS = Number(args.cards);
const PUTS = Number(args.puts);
const CONNS = Number(args.connections);
const OBJECTS = Number(args.objects);
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const VCARD = { 'Content-Type': 'text/vcard; charset=utf-8' };

const loadBefore = loadavg();
const pg = await startPostgres();
const work = mkdtempSync(join(tmpdir(), 'davgate-pgbench-'));
const db = await pg.createDatabase();
const configFile = join(work, 'davgate.yaml');
writeFileSync(
  configFile,
  `logging:\n  level: warn\nstorage:\n  kind: postgres\n  host: ${args.socket ? pg.dir : db.host}\n  port: ${db.port}\n  user: ${db.user}\n  database: ${db.database}\n  pool:\n    max: ${CONNS + 2}\n`,
);
let server: Awaited<ReturnType<typeof startServer>> | undefined;
try {
  runUserAdd(ROOT, join(work, 'data'), configFile);
  server = await startServer(ROOT, join(work, 'data'), configFile, args['cpu-prof'], args.entry);
  await run(server);
} finally {
  // Whatever failed, the throw-away PostgreSQL and the data go.
  if (server) await stopServer(server);
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}

type Contend = (method: 'PUT' | 'GET', path: string, ifMatch?: string, body?: string) => Promise<RawReply>;

/** One connection of the contended phase: a conditional PUT (vCard, If-Match) or a GET, as --client says. */
async function contendClient(target: Target): Promise<{ request: Contend; close(): void }> {
  const headers = (method: string, ifMatch?: string) =>
    method === 'PUT' ? { ...VCARD, 'If-Match': String(ifMatch) } : {};
  if (args.client === 'raw') {
    const c = await RawConnection.open(target);
    return {
      request: (method, path, ifMatch, body) => c.request(method, path, headers(method, ifMatch), body),
      close: () => c.close(),
    };
  }
  const agent = keepAliveAgent(1);
  return {
    request: async (method, path, ifMatch, body) => {
      const r = await send(target, agent, method, path, headers(method, ifMatch), body);
      return { status: r.status, etag: r.headers.etag, body: r.body };
    },
    close: () => agent.destroy(),
  };
}

async function run(server: Awaited<ReturnType<typeof startServer>>): Promise<void> {
  const target = server.target;
  const book = `${server.prefix}/addressbooks/${USER}/contacts/`;
  // 1. Load the address book over `CONNS` connections.
  const cards = generateVcards(CARDS);
  log(`loading ${CARDS} vCards into PostgreSQL`);
  const loadAgent = keepAliveAgent(CONNS);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNS }, async () => {
      while (next < cards.length) {
        const c = cards[next++];
        expectStatus(await send(target, loadAgent, 'PUT', `${book}${c.name}`, VCARD, c.text), [201], 'load PUT');
      }
    }),
  );

  // 2. Initial sync-collection (every href and etag), and the no-change sync with its token.
  const agent = keepAliveAgent(1);
  const initial: number[] = [];
  let token = '';
  for (let i = 0; i < Number(args['sync-runs']); i++) {
    const t0 = performance.now();
    const r = await send(target, agent, 'REPORT', book, XML, syncCollectionBody(''));
    initial.push(performance.now() - t0);
    expectStatus(r, [207], 'initial sync-collection');
    const n = [...r.body.matchAll(RESPONSE_RE)].filter((m) => ETAG_RE.test(m[1])).length;
    if (n !== CARDS) throw new Error(`initial sync listed ${n} cards, expected ${CARDS}`);
    token = /<(?:[\w.-]+:)?sync-token>([^<]*)</.exec(r.body)?.[1] ?? '';
  }
  const resync: number[] = [];
  for (let i = 0; i < Number(args['resync-runs']); i++) {
    const t0 = performance.now();
    const r = await send(target, agent, 'REPORT', book, XML, syncCollectionBody(token));
    resync.push(performance.now() - t0);
    expectStatus(r, [207], 'no-change sync');
    if (HREF_RE.test(r.body.replace(/<(?:[\w.-]+:)?sync-token>[^<]*</, '')))
      throw new Error('no-change sync listed changes');
  }

  // 3. Contended conditional PUTs: each writer appends its write id to a NOTE of a random object, PUT with
  // If-Match of the version it knows; on 412 it re-reads. Every 2xx id must be in the final NOTE.
  const card = (i: number, ids: string[]) =>
    `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:contend-${i}\r\nFN:Contended ${i}\r\nN:${i};Contended;;;\r\nNOTE:${ids.join(' ')}\r\nEND:VCARD\r\n`;
  const known: { etag: string; ids: string[] }[] = [];
  const setupAgent = keepAliveAgent(1);
  for (let i = 0; i < OBJECTS; i++) {
    const r = await send(target, setupAgent, 'PUT', `${book}contend-${i}.vcf`, VCARD, card(i, []));
    expectStatus(r, [201], 'contended object');
    known.push({ etag: String(r.headers.etag), ids: [] });
  }
  const okIds: { obj: number; id: string }[] = [];
  let attempts = 0;
  let status412 = 0;
  let rnd = 12_345;
  const random = () => {
    rnd = (rnd * 1_103_515_245 + 12_345) % 2_147_483_648;
    return rnd / 2_147_483_648;
  };
  log(`${PUTS} conditional PUTs from ${CONNS} connections on ${OBJECTS} objects`);
  const cpu0 = procCpuMs(server.pid);
  const pgCpu0 = postgresCpuMs(pg.dir);
  const clientCpu0 = process.cpuUsage();
  const ticks0 = machineTicks();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNS }, async (_, w) => {
      const { request, close } = await contendClient(target);
      const mine = known.map((k) => ({ ...k }));
      while (attempts < PUTS) {
        const obj = Math.floor(random() * OBJECTS);
        const id = `w${w}-${attempts++}`;
        const ids = [...mine[obj].ids, id];
        const r = await request('PUT', `${book}contend-${obj}.vcf`, mine[obj].etag, card(obj, ids));
        if (r.status === 204 || r.status === 200 || r.status === 201) {
          okIds.push({ obj, id });
          mine[obj] = { etag: String(r.etag), ids };
        } else if (r.status === 412) {
          status412++;
          const g = await request('GET', `${book}contend-${obj}.vcf`);
          if (g.status !== 200) throw new Error(`GET after 412: ${g.status}\n${g.body.slice(0, 500)}`);
          const note = /NOTE:([^\r\n]*)/.exec(g.body)?.[1] ?? '';
          mine[obj] = { etag: String(g.etag), ids: note.split(' ').filter(Boolean) };
        } else throw new Error(`conditional PUT: ${r.status}\n${r.body.slice(0, 500)}`);
      }
      close();
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const serverCpuMs = procCpuMs(server.pid) - cpu0;
  const pgCpuMs = postgresCpuMs(pg.dir) - pgCpu0;
  const clientCpu = process.cpuUsage(clientCpu0);
  const steal = stealPercent(ticks0);
  const finalIds = new Set<string>();
  for (let i = 0; i < OBJECTS; i++) {
    const g = await send(target, setupAgent, 'GET', `${book}contend-${i}.vcf`);
    for (const id of (/NOTE:([^\r\n]*)/.exec(g.body)?.[1] ?? '').split(' ')) if (id) finalIds.add(`${i}:${id}`);
  }
  const lost = okIds.filter((o) => !finalIds.has(`${o.obj}:${o.id}`)).length;

  const ini = summarize(initial);
  const re = summarize(resync);
  const results = {
    when: new Date().toISOString(),
    loadBefore: loadBefore.map((x) => round(x)),
    loadAfter: loadavg().map((x) => round(x)),
    initialSyncMs: { median: round(ini.median), min: round(ini.min), runs: initial.map((x) => round(x, 1)) },
    noChangeSyncMs: { median: round(re.median, 3), p90: round(re.p90, 3) },
    conditionalPuts: {
      attempts,
      ok: okIds.length,
      status412,
      perSecond: round(attempts / seconds, 0),
      seconds: round(seconds, 2),
      /** Server (node) CPU per request of the phase (PUTs and the GETs after 412s). */
      serverCpuUsPerRequest: round((serverCpuMs * 1000) / (attempts + status412), 0),
      /** The same for PostgreSQL (all its processes) and for this client, which share the machine's cores. */
      postgresCpuUsPerRequest: round((pgCpuMs * 1000) / (attempts + status412), 0),
      clientCpuUsPerRequest: round((clientCpu.user + clientCpu.system) / (attempts + status412), 0),
      lostUpdates: lost,
      /** The machine's steal time during the phase (% of its CPU time): the hypervisor's share. */
      stealPercent: steal,
    },
  };
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}
