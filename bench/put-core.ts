// `node bench/put-core.ts`: the write path in process, without HTTP — buildApp over an SQLite store (a
// temporary file) and app.request(): vCard creates, conditional vCard updates (If-Match current), stale
// If-Match (412), the GET a client sends after a 412, and calendar-object creates (the issue 3 generator).
// Reports CPU time per request for each phase; `--cpu-prof FILE` profiles the timed phases for
// bench/profile-top.ts. CPU per request is what the server-level benches (run.ts, postgres.ts, calendar.ts)
// are bound by, and the shared machine disturbs it less than wall time.
//
//   node bench/put-core.ts [--cards 1000] [--events 2000] [--rounds 3] [--only card-create,…] [--postgres]
//                          [--cpu-prof FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite, openSqlStore } from '../adapters/sql/open.ts';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/auth/password.ts';
import { createLogger } from '../src/http/logger.ts';
import { MemoryStateStore } from '../src/state/memory.ts';
import { startPostgres } from '../test/support/postgres.ts';
import { postgresCpuMs } from './pg-cpu.ts';
import { generateVcards } from './vcards.ts';

process.env.CALBENCH_NO_MAIN = '1';
const { generate } = await import('./calendar.ts');

const { values: args } = parseArgs({
  options: {
    cards: { type: 'string', default: '1000' },
    events: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string', default: 'card-create,card-update,card-stale,card-get,cal-create' },
    /** The store on a throw-away PostgreSQL (test/support/postgres.ts) instead of SQLite. */
    postgres: { type: 'boolean', default: false },
    /** With --postgres: connect through its Unix socket instead of loopback TCP. */
    socket: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const only = new Set(String(args.only).split(','));

const dir = mkdtempSync(join(tmpdir(), 'davgate-putcore-'));
const pg = args.postgres ? await startPostgres() : undefined;
const pgDb = pg ? await pg.createDatabase() : undefined;
const store =
  pg && pgDb
    ? await openSqlStore(args.socket ? { ...pgDb, host: pg.dir } : pgDb)
    : await openSqlite(join(dir, 'davgate.sqlite'));
const state = new MemoryStateStore();
await store.users.create({ name: 'bench', displayName: 'Bench' }, await hashPassword('pw', { N: 1024, r: 8, p: 1 }));
await store.backend.admin.createCollection({ owner: 'bench', home: 'addressbooks', id: 'contacts' }, 'addressbook', {
  displayName: 'Contacts',
});
const app = buildApp({
  prefix: '/dav',
  backend: store.backend,
  users: store.users,
  state,
  log: createLogger('silent'),
});
const AUTH = `Basic ${Buffer.from('bench:pw').toString('base64')}`;

async function req(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await app.request(`http://localhost${path}`, {
    method,
    headers: { Authorization: AUTH, ...headers },
    body,
  });
  await res.arrayBuffer();
  return res;
}

const profiler = args['cpu-prof'] ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
}
const results: Record<string, number[]> = {};
/** With --postgres: PostgreSQL's CPU per request too (its processes share the machine's cores). */
const pgResults: Record<string, number[]> = {};
async function phase(name: string, n: number, run: (i: number) => Promise<void>, needed = false): Promise<void> {
  if (!only.has(name)) {
    // Later phases need what this one stores (the creates): run it untimed.
    if (needed) for (let i = 0; i < n; i++) await run(i);
    return;
  }
  if (profiler) await profiler.post('Profiler.start');
  const before = process.cpuUsage();
  const pgBefore = pg ? postgresCpuMs(pg.dir) : 0;
  for (let i = 0; i < n; i++) await run(i);
  const used = process.cpuUsage(before);
  if (pg) {
    pgResults[name] ??= [];
    pgResults[name].push(Math.round(((postgresCpuMs(pg.dir) - pgBefore) * 1000) / n));
  }
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(`${args['cpu-prof']}.${name}.cpuprofile`, JSON.stringify(profile));
  }
  results[name] ??= [];
  results[name].push(Math.round((used.user + used.system) / n));
}

const ROUNDS = Number(args.rounds);
const CARDS = Number(args.cards);
const events = generate(Number(args.events));
const VCARD = { 'Content-Type': 'text/vcard; charset=utf-8' };
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
for (let round = 0; round < ROUNDS; round++) {
  const cards = generateVcards(CARDS, { offset: round * CARDS });
  const book = '/dav/addressbooks/bench/contacts/';
  const etags: string[] = [];
  await phase(
    'card-create',
    CARDS,
    async (i) => {
      const r = await req('PUT', book + cards[i].name, cards[i].text, { ...VCARD, 'If-None-Match': '*' });
      if (r.status !== 201) throw new Error(`create: ${r.status}`);
      etags[i] = r.headers.get('etag') ?? '';
    },
    only.has('card-update') || only.has('card-stale') || only.has('card-get'),
  );
  const stale = [...etags];
  await phase('card-update', CARDS, async (i) => {
    const text = cards[i].text.replace('END:VCARD', `NOTE:u${round}\r\nEND:VCARD`);
    const r = await req('PUT', book + cards[i].name, text, { ...VCARD, 'If-Match': etags[i] });
    if (r.status !== 204) throw new Error(`update: ${r.status}`);
  });
  await phase('card-stale', CARDS, async (i) => {
    const text = cards[i].text.replace('END:VCARD', 'NOTE:stale\r\nEND:VCARD');
    const r = await req('PUT', book + cards[i].name, text, { ...VCARD, 'If-Match': stale[i] });
    if (r.status !== 412) throw new Error(`stale: ${r.status}`);
  });
  await phase('card-get', CARDS, async (i) => {
    const r = await req('GET', book + cards[i].name);
    if (r.status !== 200) throw new Error(`get: ${r.status}`);
  });
  const cal = `cal${round}`;
  await store.backend.admin.createCollection({ owner: 'bench', home: 'calendars', id: cal }, 'calendar', {
    displayName: cal,
    components: ['VEVENT'],
  });
  await phase('cal-create', events.length, async (i) => {
    const r = await req('PUT', `/dav/calendars/bench/${cal}/${events[i].name}`, events[i].text, ICS);
    if (r.status !== 201) throw new Error(`calendar: ${r.status}`);
  });
}
await store.close();
await pg?.stop();
rmSync(dir, { recursive: true, force: true });
const out = pg
  ? { cpuMicrosPerRequest: results, postgresCpuMicrosPerRequest: pgResults }
  : { cpuMicrosPerRequest: results };
process.stdout.write(`${JSON.stringify(out)}\n`);
