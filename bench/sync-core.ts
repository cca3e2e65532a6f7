// `node bench/sync-core.ts`: the issue 2 initial sync in process, without HTTP — buildApp over an SQLite
// store (a temporary file) loaded with the 3,500 generated vCards (bench/vcards.ts), then the client's
// sync through app.request(): PROPFIND Depth 1 for getetag, then addressbook-multiget for getetag +
// address-data in batches of 100. Prints the CPU time per sync (process.cpuUsage) for each run, which
// the shared machine disturbs much less than the wall time of bench/run.ts; `--cpu-prof FILE` profiles
// the timed syncs (bench/profile-top.ts FILE).
//
//   node bench/sync-core.ts [--cards 3500] [--runs 10] [--cpu-prof FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '../adapters/sql/open.ts';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/auth/password.ts';
import { createLogger } from '../src/http/logger.ts';
import { MemoryStateStore } from '../src/state/memory.ts';
import { members, multigetBody, PROPFIND_ETAGS } from './lib.ts';
import { generateVcards } from './vcards.ts';

const { values: args } = parseArgs({
  options: {
    cards: { type: 'string', default: '3500' },
    runs: { type: 'string', default: '10' },
    'cpu-prof': { type: 'string' },
  },
});
const cards = Number(args.cards);
const dir = mkdtempSync(join(tmpdir(), 'davgate-synccore-'));
const store = await openSqlite(join(dir, 'davgate.sqlite'));
await store.users.create({ name: 'bench', displayName: 'Bench' }, await hashPassword('pw', { N: 1024, r: 8, p: 1 }));
const ref = { owner: 'bench', home: 'addressbooks' as const, id: 'contacts' };
await store.backend.admin.createCollection(ref, 'addressbook', { displayName: 'Contacts' });
const app = buildApp({
  prefix: '/dav',
  backend: store.backend,
  users: store.users,
  state: new MemoryStateStore(),
  log: createLogger('silent'),
});
const AUTH = `Basic ${Buffer.from('bench:pw').toString('base64')}`;
const BOOK = '/dav/addressbooks/bench/contacts/';

async function req(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await app.request(`http://localhost${path}`, {
    method,
    headers: { Authorization: AUTH, ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

for (const c of generateVcards(cards)) {
  const r = await req('PUT', `${BOOK}${c.name}`, c.text, {
    'Content-Type': 'text/vcard; charset=utf-8',
    'If-None-Match': '*',
  });
  if (r.status !== 201) throw new Error(`PUT ${c.uid}: ${r.status}`);
}

async function sync(): Promise<void> {
  const xml = { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' };
  const listing = await req('PROPFIND', BOOK, PROPFIND_ETAGS, xml);
  const hrefs = members(listing.text)
    .filter((m) => m.href !== BOOK && m.etag)
    .map((m) => m.href);
  let fetched = 0;
  for (let i = 0; i < hrefs.length; i += 100) {
    const reply = await req('REPORT', BOOK, multigetBody(hrefs.slice(i, i + 100)), xml);
    for (const m of members(reply.text)) if (m.data && m.etag) fetched++;
  }
  if (hrefs.length !== cards || fetched !== cards) throw new Error(`sync saw ${hrefs.length} etags, ${fetched} cards`);
}

await sync(); // warm-up, not timed
const profiler = args['cpu-prof'] ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const cpuMs: number[] = [];
for (let i = 0; i < Number(args.runs); i++) {
  const before = process.cpuUsage();
  await sync();
  const used = process.cpuUsage(before);
  cpuMs.push(Math.round((used.user + used.system) / 100) / 10);
}
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(String(args['cpu-prof']), JSON.stringify(profile));
}
const sorted = [...cpuMs].sort((a, b) => a - b);
console.log(JSON.stringify({ cards, cpuMsPerSync: cpuMs, median: sorted[Math.floor(sorted.length / 2)] }));
await store.close();
rmSync(dir, { recursive: true, force: true });
