// vdirsyncer (the Debian package) as two independent clients, A and B, each syncing a local vdir of
// .ics files and one of .vcf files with the server's default calendar and address book. 200 events and
// 200 contacts go both ways; then both clients (and a third device talking to the server directly)
// edit, add and delete, and after the next syncs no data is lost: both folders and the server hold
// exactly the expected items with the expected content. Acceptance of issue 2.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasExecutable, type RunningServer, startServer } from '../support/server.ts';
import { DavClient } from './dav-client.ts';
import { type Generated, makeContact, makeEvent, sameText, uidOf } from './vdir-data.ts';

const skip = (await hasExecutable('vdirsyncer')) ? false : 'vdirsyncer is not installed (Debian package "vdirsyncer")';
const N = 200;
const SYNC_TIMEOUT_MS = 180_000;

type Kind = 'events' | 'contacts';
const KINDS: Kind[] = ['events', 'contacts'];
const EXT: Record<Kind, string> = { events: '.ics', contacts: '.vcf' };
const MAKE: Record<Kind, (i: number, rev?: number, editor?: string) => Generated> = {
  events: makeEvent,
  contacts: makeContact,
};
const CONTENT_TYPE: Record<Kind, string> = {
  events: 'text/calendar; charset=utf-8',
  contacts: 'text/vcard; charset=utf-8',
};

interface Client {
  name: 'A' | 'B';
  config: string;
  dirs: Record<Kind, string>;
}

function vdirsyncer(client: Client, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'vdirsyncer',
      ['-c', client.config, ...args],
      { timeout: SYNC_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C.UTF-8' } },
      (err, stdout, stderr) => {
        const out = `${stdout}${stderr}`;
        if (err)
          reject(
            new Error(
              `vdirsyncer ${args.join(' ')} (client ${client.name}) failed: ${err.message}\n${out.slice(-6000)}`,
            ),
          );
        else resolve(out);
      },
    );
    // discover may ask whether to create a missing collection: the directories exist, but answer anyway.
    child.stdin?.end('y\ny\ny\ny\n');
  });
}

/** Item operations in vdirsyncer's log ("Copying (uploading) item X to S", "Deleting item X from S"). */
function operations(log: string): { upload: number; update: number; delete: number; lines: string[] } {
  const lines = log.split('\n').filter((l) => /Copying \((uploading|updating)\) item|Deleting item/.test(l));
  return {
    upload: lines.filter((l) => l.includes('(uploading)')).length,
    update: lines.filter((l) => l.includes('(updating)')).length,
    delete: lines.filter((l) => l.includes('Deleting item')).length,
    lines,
  };
}

async function readVdir(
  dir: string,
  ext: string,
): Promise<{ items: Map<string, { file: string; body: string }>; problems: string[] }> {
  const items = new Map<string, { file: string; body: string }>();
  const problems: string[] = [];
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith(ext)) continue;
    const body = await readFile(join(dir, file), 'utf8');
    const uid = uidOf(body);
    if (!uid) problems.push(`${dir}/${file}: no UID`);
    else if (items.has(uid)) problems.push(`${dir}: UID ${uid} in both ${items.get(uid)?.file} and ${file}`);
    else items.set(uid, { file, body });
  }
  return { items, problems };
}

/** Runs `fn` over `items` with at most `width` calls in flight, results in order. */
async function inBatches<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

describe(`vdirsyncer 0.19: two clients sync ${N} events and ${N} contacts both ways`, { skip }, () => {
  let server: RunningServer;
  let dav: DavClient;
  let work: string;
  const clients: Client[] = [];
  const collection: Record<Kind, string> = { events: '', contacts: '' };
  /** What every replica must hold: UID → body (the last revision written anywhere). */
  const expected: Record<Kind, Map<string, string>> = { events: new Map(), contacts: new Map() };
  let created = 0;

  before(async () => {
    server = await startServer({ users: ['vds'], env: { DAVGATE_LOGGING_LEVEL: 'warn' } });
    const [user] = server.users;
    dav = new DavClient(server.baseUrl, user);
    collection.events = `${server.prefix}/calendars/${user.name}/calendar/`;
    collection.contacts = `${server.prefix}/addressbooks/${user.name}/contacts/`;
    work = await mkdtemp(join(tmpdir(), 'davgate-vdirsyncer-'));
    for (const name of ['A', 'B'] as const) {
      const base = join(work, name);
      const client: Client = {
        name,
        config: join(base, 'config'),
        dirs: { events: join(base, 'calendar'), contacts: join(base, 'contacts') },
      };
      for (const d of Object.values(client.dirs)) await mkdir(d, { recursive: true });
      await writeFile(client.config, vdirsyncerConfig(client, join(base, 'status'), user.name, user.password));
      clients.push(client);
    }
    for (const c of clients) await vdirsyncer(c, 'discover');
  });

  after(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  function vdirsyncerConfig(client: Client, status: string, user: string, password: string): string {
    const q = JSON.stringify;
    const pair = (kind: Kind, type: 'caldav' | 'carddav') => [
      `[pair ${kind}]`,
      `a = ${q(`${kind}_local`)}`,
      `b = ${q(`${kind}_remote`)}`,
      // The URLs point at the collections themselves: no discovery of further collections.
      'collections = null',
      '',
      `[storage ${kind}_local]`,
      'type = "filesystem"',
      `path = ${q(client.dirs[kind])}`,
      `fileext = ${q(EXT[kind])}`,
      '',
      `[storage ${kind}_remote]`,
      `type = ${q(type)}`,
      `url = ${q(`${server.baseUrl.replace(/\/$/, '')}${collection[kind]}`)}`,
      `username = ${q(user)}`,
      `password = ${q(password)}`,
      '',
    ];
    return [
      '[general]',
      `status_path = ${q(status)}`,
      '',
      ...pair('events', 'caldav'),
      ...pair('contacts', 'carddav'),
    ].join('\n');
  }

  const clientA = () => clients[0];
  const clientB = () => clients[1];

  async function sync(client: Client) {
    const started = Date.now();
    const log = await vdirsyncer(client, 'sync');
    const ops = operations(log);
    console.log(
      `  vdirsyncer sync (client ${client.name}): ${Date.now() - started} ms, ${ops.upload} uploaded, ${ops.update} updated, ${ops.delete} deleted`,
    );
    return ops;
  }

  /** A client's folder as UID → file name, read once per batch of local edits. */
  async function localIndex(client: Client, kind: Kind): Promise<Map<string, string>> {
    const { items } = await readVdir(client.dirs[kind], EXT[kind]);
    return new Map([...items].map(([uid, v]) => [uid, v.file]));
  }

  /** A client writes an item into its folder (a new file, or the file already holding that UID). */
  async function writeLocal(client: Client, kind: Kind, index: Map<string, string>, g: Generated) {
    const file = index.get(g.uid) ?? `${client.name.toLowerCase()}-${++created}${EXT[kind]}`;
    await writeFile(join(client.dirs[kind], file), g.body);
    index.set(g.uid, file);
    expected[kind].set(g.uid, g.body);
  }

  async function deleteLocal(client: Client, kind: Kind, index: Map<string, string>, uid: string) {
    const file = index.get(uid);
    assert.ok(file, `client ${client.name} has ${uid} before deleting it`);
    await unlink(join(client.dirs[kind], file));
    index.delete(uid);
    expected[kind].delete(uid);
  }

  /** The server's members by UID, checking that each listed ETag is the one GET returns. */
  async function serverItems(kind: Kind) {
    const items = new Map<string, { href: string; etag: string; body: string }>();
    const problems: string[] = [];
    const members = await dav.list(collection[kind]);
    const bodies = await inBatches(members, 8, (m) => dav.get(m.href));
    for (const [k, m] of members.entries()) {
      const got = bodies[k];
      if (got.etag !== null && got.etag !== m.etag)
        problems.push(`server ${m.href}: getetag ${m.etag} but GET ETag ${got.etag}`);
      const uid = uidOf(got.body);
      if (!uid) problems.push(`server ${m.href}: no UID`);
      else if (items.has(uid)) problems.push(`server: UID ${uid} at ${items.get(uid)?.href} and ${m.href}`);
      else items.set(uid, { href: m.href, etag: m.etag, body: got.body });
    }
    return { items, problems };
  }

  /** Both folders and the server hold exactly `expected`, item by item. */
  async function assertConverged() {
    const problems: string[] = [];
    for (const kind of KINDS) {
      const want = expected[kind];
      const replicas: [string, Map<string, { body: string }>, boolean][] = [];
      for (const c of clients) {
        const r = await readVdir(c.dirs[kind], EXT[kind]);
        problems.push(...r.problems);
        replicas.push([`client ${c.name} ${kind}`, r.items, false]);
      }
      const s = await serverItems(kind);
      problems.push(...s.problems);
      // The server keeps the bytes a client sent; XML transport may only change line endings for the folders.
      replicas.push([`server ${kind}`, s.items, true]);
      for (const [name, items, exact] of replicas) {
        const missing = [...want.keys()].filter((u) => !items.has(u));
        const extra = [...items.keys()].filter((u) => !want.has(u));
        if (missing.length) problems.push(`${name}: ${missing.length} missing, e.g. ${missing.slice(0, 3).join(', ')}`);
        if (extra.length) problems.push(`${name}: ${extra.length} unexpected, e.g. ${extra.slice(0, 3).join(', ')}`);
        const differ = [...want].filter(
          ([u, body]) =>
            items.has(u) && !(exact ? items.get(u)?.body === body : sameText(items.get(u)?.body ?? '', body)),
        );
        if (differ.length) {
          const [u, body] = differ[0];
          problems.push(
            `${name}: ${differ.length} with other content, e.g. ${u}:\n--- expected\n${body}\n--- found\n${items.get(u)?.body}`,
          );
        }
      }
    }
    assert.deepEqual(problems, []);
  }

  it(`round 1: A uploads ${N * 0.6} events and contacts, B uploads ${N * 0.4} and downloads A's, A downloads B's`, async () => {
    const split = N * 0.6;
    for (const kind of KINDS) {
      const index = { A: new Map<string, string>(), B: new Map<string, string>() };
      for (let i = 0; i < N; i++) {
        const c = i < split ? clientA() : clientB();
        await writeLocal(c, kind, index[c.name], MAKE[kind](i));
      }
    }
    const a1 = await sync(clientA());
    assert.deepEqual([a1.upload, a1.update, a1.delete], [2 * split, 0, 0], 'A uploads its items');
    const b1 = await sync(clientB());
    assert.deepEqual([b1.upload, b1.update, b1.delete], [2 * N, 0, 0], "B uploads its items and downloads A's");
    const a2 = await sync(clientA());
    assert.deepEqual([a2.upload, a2.update, a2.delete], [2 * (N - split), 0, 0], "A downloads B's items");
    for (const kind of KINDS) assert.equal(expected[kind].size, N);
    await assertConverged();
  });

  it('round 2: edits, additions and deletions on A, on B and on the server all arrive everywhere', async () => {
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
    for (const kind of KINDS) {
      const make = MAKE[kind];
      const a = await localIndex(clientA(), kind);
      const b = await localIndex(clientB(), kind);
      // Client A: edits its own and some of B's, deletes its own and some of B's, adds new ones.
      for (const i of [...range(0, 20), ...range(120, 125)]) await writeLocal(clientA(), kind, a, make(i, 1, 'A'));
      for (const i of [...range(20, 30), ...range(125, 130)]) await deleteLocal(clientA(), kind, a, make(i).uid);
      for (const i of range(N, N + 10)) await writeLocal(clientA(), kind, a, make(i, 0, 'A'));
      // Client B: the same on other items.
      for (const i of [...range(130, 150), ...range(30, 35)]) await writeLocal(clientB(), kind, b, make(i, 1, 'B'));
      for (const i of [...range(150, 160), ...range(35, 40)]) await deleteLocal(clientB(), kind, b, make(i).uid);
      for (const i of range(N + 10, N + 20)) await writeLocal(clientB(), kind, b, make(i, 0, 'B'));
      // A third device talking to the server directly: one edit, one deletion, one new item.
      const onServer = (await serverItems(kind)).items;
      const edited = make(100, 2, 'server');
      const old = onServer.get(edited.uid);
      assert.ok(old);
      await dav.put(old.href, edited.body, CONTENT_TYPE[kind], { 'If-Match': old.etag });
      expected[kind].set(edited.uid, edited.body);
      const gone = onServer.get(make(101).uid);
      assert.ok(gone);
      await dav.delete(gone.href, gone.etag);
      expected[kind].delete(make(101).uid);
      const added = make(N + 20, 0, 'server');
      await dav.put(`${collection[kind]}server-${N + 20}${EXT[kind]}`, added.body, CONTENT_TYPE[kind], {
        'If-None-Match': '*',
      });
      expected[kind].set(added.uid, added.body);
    }
    const a1 = await sync(clientA());
    const b1 = await sync(clientB());
    const a2 = await sync(clientA());
    // Per kind: A pushes 25 edits, 15 deletions, 10 additions and pulls the server's 1+1+1;
    // B pushes its own 25/15/10 and pulls A's plus the server's; A then pulls B's.
    assert.deepEqual([a1.upload, a1.update, a1.delete], [2 * 11, 2 * 26, 2 * 16], 'first sync of A');
    assert.deepEqual([b1.upload, b1.update, b1.delete], [2 * 21, 2 * 51, 2 * 31], 'sync of B');
    assert.deepEqual([a2.upload, a2.update, a2.delete], [2 * 10, 2 * 25, 2 * 15], 'second sync of A');
    // 30 deleted by the clients, 1 on the server; 20 added by the clients, 1 on the server.
    for (const kind of KINDS) assert.equal(expected[kind].size, N - 30 - 1 + 20 + 1);
    await assertConverged();
  });

  it('round 3: a sync with nothing changed transfers nothing (ETags stable)', async () => {
    for (const c of clients) {
      const ops = await sync(c);
      assert.deepEqual(ops.lines, []);
    }
    await assertConverged();
  });
});
