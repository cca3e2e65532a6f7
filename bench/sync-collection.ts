// `node bench/sync-collection.ts`: the initial RFC 6578 sync-collection of the issue 2 address book
// in one REPORT (empty token, getetag + address-data: one 8 MB multistatus), against the real server
// started as bench/run.ts starts it. This is the answer the streaming multistatus writer exists for:
// before it, the whole tree and the whole document were held at once. Prints the wall time per
// REPORT (median), the server's CPU per REPORT and its RSS (VmHWM peak, VmRSS by phase).
//
//   node bench/sync-collection.ts [--cards 3500] [--runs 9] [--server-root DIR]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  clockTicks,
  expectStatus,
  keepAliveAgent,
  members,
  procCpuMs,
  procStatus,
  putAll,
  ROOT,
  round,
  runUserAdd,
  send,
  startServer,
  stopServer,
  summarize,
  tagText,
  USER,
} from './lib.ts';
import { generateVcards } from './vcards.ts';

const { values: args } = parseArgs({
  options: {
    cards: { type: 'string', default: '3500' },
    runs: { type: 'string', default: '9' },
    'server-root': { type: 'string', default: ROOT },
  },
});
const CARDS = Number(args.cards);
const RUNS = Number(args.runs);

const BODY =
  '<?xml version="1.0" encoding="utf-8"?>\n<d:sync-collection xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">' +
  '<d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/><card:address-data/></d:prop></d:sync-collection>';

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'davgate-synccol-'));
  const dataDir = join(work, 'data');
  const configFile = join(work, 'davgate.yaml');
  writeFileSync(configFile, 'logging:\n  level: warn\n');
  const root = resolve(args['server-root']);
  const loadStart = loadavg()[0];
  runUserAdd(root, dataDir, configFile);
  const srv = await startServer(root, dataDir, configFile, undefined, 'start');
  try {
    const book = `${srv.prefix}/addressbooks/${USER}/contacts/`;
    const started = procStatus(srv.pid);
    await putAll(srv.target, book, generateVcards(CARDS), 8);
    const loaded = procStatus(srv.pid);
    const agent = keepAliveAgent(1);
    const hz = clockTicks();
    const cpu0 = procCpuMs(srv.pid, hz);
    const wall: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = await send(srv.target, agent, 'REPORT', book, { 'Content-Type': 'application/xml' }, BODY);
      wall.push(performance.now() - t0);
      expectStatus(r, [207], 'sync-collection');
      const got = members(r.body).filter((m) => m.etag && m.data).length;
      if (got !== CARDS || !tagText(r.body, 'sync-token')) throw new Error(`sync-collection returned ${got} cards`);
      bytes = Buffer.byteLength(r.body);
    }
    const cpuPerRun = (procCpuMs(srv.pid, hz) - cpu0) / RUNS;
    agent.destroy();
    const synced = procStatus(srv.pid);
    const s = summarize(wall);
    console.log(
      `initial sync-collection of ${CARDS} cards (${(bytes / 1e6).toFixed(1)} MB): median ${round(s.median / 1000, 3)} s ` +
        `(runs ${wall.map((w) => (w / 1000).toFixed(3)).join(' ')}); server CPU ${round(cpuPerRun, 1)} ms per REPORT`,
    );
    console.log(
      `server RSS (MB): peak ${synced.vmHWM_MB}; VmRSS started ${started.vmRSS_MB}, loaded ${loaded.vmRSS_MB} ` +
        `(peak ${loaded.vmHWM_MB}), after the REPORTs ${synced.vmRSS_MB}; load average ${round(loadStart)} → ${round(loadavg()[0])}`,
    );
  } finally {
    await stopServer(srv);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
