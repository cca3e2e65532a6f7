// `node bench/ldap.ts`: the LDAP address book workloads of issue 4 against a real slapd with 20,000
// people and 50 groups (test/support/slapd.ts) and the real gateway (test/support/ldap-gateway.ts),
// LDAP bind authentication on. All traffic stays on 127.0.0.1; every loop is bounded.
//
//   initial   a client's first sync: PROPFIND Depth 1 (getetag) on the book, then addressbook-multiget
//             in batches of 100, one request after another (target < 4 s)
//   nochange  sync-collection with the token from before when nothing changed (target < 200 ms)
//   query     addressbook-query `contains` on FN or EMAIL with varying text (target p50 < 50 ms)
//
//   node bench/ldap.ts [--people 20000] [--nochange-runs 21] [--queries 60] [--out bench/results/ldap.json]
//                      [--cpu-prof DIR]   (server under --cpu-prof; summarise with bench/profile-top.ts)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { basic, startLdapGateway } from '../test/support/ldap-gateway.ts';
import { person, startSlapd } from '../test/support/slapd.ts';
import { expectStatus, keepAliveAgent, members, round, send, summarize, syncCollectionBody, tagText } from './lib.ts';

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '20000' },
    'nochange-runs': { type: 'string', default: '21' },
    queries: { type: 'string', default: '60' },
    out: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const PEOPLE = Number(args.people);
const GROUPS = 50;
const me = person(1);
const AUTHZ = basic(me.uid, me.password);
const NS = 'xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"';

const log = (msg: string) => process.stderr.write(`${msg}\n`);

log(`starting slapd with ${PEOPLE} people and ${GROUPS} groups…`);
const t0 = performance.now();
const slapd = await startSlapd({ people: PEOPLE, groups: GROUPS, sizeLimit: 500, tls: false });
log(`  seeded and started in ${round((performance.now() - t0) / 1000, 1)} s`);
const server = await startLdapGateway(
  slapd,
  args['cpu-prof'] ? { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${args['cpu-prof']}` } } : {},
);
const target = { host: '127.0.0.1', port: server.port };
const book = `${server.prefix}/addressbooks/${me.uid}/directory/`;
const agent = keepAliveAgent(1);
const H = { Authorization: AUTHZ, 'Content-Type': 'application/xml; charset=utf-8' };

try {
  // A gateway takes traffic once /readyz says so: here, after the directory prefetch.
  const readyAt = performance.now();
  for (let i = 0; i < 600; i++) {
    const r = await send(target, agent, 'GET', '/readyz');
    if (r.status === 200) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const readyMs = performance.now() - readyAt;
  log(`gateway ready ${round(readyMs)} ms after its ready line (directory prefetch)`);
  // Warm-up: authentication (one LDAP bind, then cached) and process start-up, not the directory.
  expectStatus(await send(target, agent, 'OPTIONS', book, H), [200, 204], 'OPTIONS');

  // --- initial sync ----------------------------------------------------------------------------
  async function initialSync() {
    const t = performance.now();
    const propfind = await send(
      target,
      agent,
      'PROPFIND',
      book,
      { ...H, Depth: '1' },
      `<d:propfind ${NS}><d:prop><d:getetag/></d:prop></d:propfind>`,
    );
    expectStatus(propfind, [207], 'PROPFIND');
    const listed = members(propfind.body).filter((m) => m.etag);
    const propfindMs = performance.now() - t;
    let cards = 0;
    let bytes = 0;
    for (let i = 0; i < listed.length; i += 100) {
      const hrefs = listed.slice(i, i + 100).map((m) => m.href);
      const body = `<card:addressbook-multiget ${NS}><d:prop><d:getetag/><card:address-data/></d:prop>${hrefs.map((h) => `<d:href>${h}</d:href>`).join('')}</card:addressbook-multiget>`;
      const r = await send(target, agent, 'REPORT', book, H, body);
      expectStatus(r, [207], 'multiget');
      cards += members(r.body).filter((m) => m.data).length;
      bytes += r.body.length;
    }
    const ms = performance.now() - t;
    if (cards !== PEOPLE + GROUPS) throw new Error(`initial sync got ${cards} cards, expected ${PEOPLE + GROUPS}`);
    return { cards, ms, propfindMs, multigets: Math.ceil(listed.length / 100), bytes };
  }
  // The first client after the gateway is ready, then a second one.
  const cold = await initialSync();
  log(
    `initial sync, first client: ${cold.cards} cards in ${round(cold.ms)} ms (PROPFIND ${round(cold.propfindMs)} ms)`,
  );
  const warm = await initialSync();
  log(`initial sync, next client: ${warm.cards} cards in ${round(warm.ms)} ms (PROPFIND ${round(warm.propfindMs)} ms)`);

  // --- no-change sync-collection --------------------------------------------------------------
  const first = await send(target, agent, 'REPORT', book, H, syncCollectionBody(''));
  expectStatus(first, [207], 'sync-collection');
  const token = tagText(first.body, 'sync-token') ?? '';
  const noChange: number[] = [];
  for (let i = 0; i < Number(args['nochange-runs']); i++) {
    const t = performance.now();
    const r = await send(target, agent, 'REPORT', book, H, syncCollectionBody(token));
    noChange.push(performance.now() - t);
    expectStatus(r, [207], 'sync-collection');
    if (members(r.body).length !== 0) throw new Error('no-change sync returned members');
  }
  const nc = summarize(noChange);
  log(`no-change sync-collection: median ${round(nc.median)} ms, max ${round(nc.max)} ms`);

  // --- contains queries -----------------------------------------------------------------------
  const query: number[] = [];
  let hits = 0;
  for (let i = 0; i < Number(args.queries); i++) {
    const p = person(1 + ((i * 7919) % PEOPLE));
    const onEmail = i % 2 === 1;
    const text = onEmail ? p.mail.slice(0, 9) : p.sn;
    const body = `<card:addressbook-query ${NS}><d:prop><d:getetag/><card:address-data/></d:prop><card:filter test="anyof"><card:prop-filter name="${onEmail ? 'EMAIL' : 'FN'}"><card:text-match collation="i;unicode-casemap" match-type="contains">${text}</card:text-match></card:prop-filter></card:filter></card:addressbook-query>`;
    const t = performance.now();
    const r = await send(target, agent, 'REPORT', book, { ...H, Depth: '1' }, body);
    query.push(performance.now() - t);
    expectStatus(r, [207], 'addressbook-query');
    const n = members(r.body).filter((m) => m.data).length;
    if (n === 0) throw new Error(`query ${text} found nothing`);
    hits += n;
  }
  const q = summarize(query);
  log(`contains query: p50 ${round(q.median)} ms, p90 ${round(q.p90)} ms (${round(hits / query.length, 1)} hits each)`);

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map((x) => round(x)) },
    directory: { people: PEOPLE, groups: GROUPS, serverSizeLimit: 500 },
    initialSync: {
      readyAfterStartMs: round(readyMs),
      cards: cold.cards,
      multigets: cold.multigets,
      mb: round(cold.bytes / 1e6),
      firstClientMs: round(cold.ms),
      firstClientPropfindMs: round(cold.propfindMs),
      nextClientMs: round(warm.ms),
      nextClientPropfindMs: round(warm.propfindMs),
      targetMs: 4000,
    },
    noChangeSync: {
      runs: nc.n,
      medianMs: round(nc.median),
      p90Ms: round(nc.p90),
      maxMs: round(nc.max),
      targetMs: 200,
    },
    containsQuery: { runs: q.n, p50Ms: round(q.median), p90Ms: round(q.p90), maxMs: round(q.max), targetP50Ms: 50 },
  };
  console.log(JSON.stringify(result, null, 2));
  if (args.out) {
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  }
} catch (e) {
  log(server.logs().slice(-3000));
  throw e;
} finally {
  agent.destroy();
  await server.stop();
  await slapd.stop();
}
