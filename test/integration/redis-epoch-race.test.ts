// A shared state store can change its epoch while a request runs (Redis restarted empty or failed over
// between two calls of one sync-collection). The answer must then not mix the two lifetimes: a client token
// from the old epoch gets 403 valid-sync-token, an initial sync is recomputed under the new epoch (issue 6).
// Simulated in-process: a store that swaps its whole content and epoch between two calls.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import { buildApp } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/password.ts';
import type { CollectionRef } from '../../src/backend/types.ts';
import { createLogger } from '../../src/http/logger.ts';
import { collectionKey } from '../../src/state/keys.ts';
import { MemoryStateStore } from '../../src/state/memory.ts';
import type { ChangeLogEntry, Snapshot, SnapshotCommit, StateStore } from '../../src/state/store.ts';
import { MemoryUserStore } from '../support/memory-users.ts';
import { decodeToken, ics } from './redis-dav.ts';

type Method = 'getSnapshot' | 'commitSnapshot' | 'changesSince';

/** Delegates to a store that is replaced by `next` right after the first call of `after`. */
class SwappingStore implements StateStore {
  current: StateStore;
  next: StateStore | undefined;
  after: Method | undefined;
  constructor(first: StateStore) {
    this.current = first;
  }
  swapAfter(method: Method, next: StateStore): void {
    this.after = method;
    this.next = next;
  }
  #done(method: Method): void {
    if (this.after === method && this.next) {
      this.current = this.next;
      this.next = undefined;
      this.after = undefined;
    }
  }
  epoch = () => this.current.epoch();
  async getSnapshot(key: string): Promise<Snapshot | undefined> {
    const r = await this.current.getSnapshot(key);
    this.#done('getSnapshot');
    return r;
  }
  async commitSnapshot(key: string, commit: SnapshotCommit): Promise<number | 'conflict'> {
    const r = await this.current.commitSnapshot(key, commit);
    this.#done('commitSnapshot');
    return r;
  }
  async changesSince(key: string, since: number): Promise<ChangeLogEntry[] | 'expired'> {
    const r = await this.current.changesSince(key, since);
    this.#done('changesSince');
    return r;
  }
  get = (k: string) => this.current.get(k);
  set = (k: string, v: string, ttl?: number) => this.current.set(k, v, ttl);
  delete = (k: string) => this.current.delete(k);
  ping = () => this.current.ping();
  close = () => this.current.close();
}

const CAL = '/dav/calendars/alice/calendar/';
const REF: CollectionRef = { owner: 'alice', home: 'calendars', id: 'calendar' };
const AUTH = `Basic ${Buffer.from('alice:pw').toString('base64')}`;
const syncBody = (token: string) =>
  `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

async function setup() {
  const backend = new MemoryBackend({ changeFeed: false });
  const users = new MemoryUserStore();
  await users.create({ name: 'alice', displayName: 'Alice' }, await hashPassword('pw', { N: 1024, r: 8, p: 1 }));
  await backend.admin?.createCollection(REF, 'calendar', { displayName: 'Calendar', components: ['VEVENT'] });
  const state = new SwappingStore(new MemoryStateStore());
  const app = buildApp({ prefix: '/dav', backend, users, state, log: createLogger('silent') });
  const req = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const res = await app.request(`http://localhost${path}`, {
      method,
      body,
      headers: { Authorization: AUTH, ...headers },
    });
    return { status: res.status, text: await res.text() };
  };
  const sync = (token: string) =>
    req('REPORT', CAL, syncBody(token), { Depth: '0', 'Content-Type': 'application/xml' });
  for (const n of ['a', 'b', 'c'])
    assert.equal(
      (await req('PUT', `${CAL}${n}.ics`, ics(`${n}.ics`, n), { 'Content-Type': 'text/calendar' })).status,
      201,
    );
  return { backend, state, req, sync };
}

/** A store "after the restart" in which some other replica already recorded a different history. */
async function repopulated(backend: MemoryBackend, seqs: number): Promise<StateStore> {
  const s = new MemoryStateStore();
  const key = collectionKey(backend.id, REF);
  const changes = Array.from({ length: seqs }, (_, i) => ({ name: `ghost${i}.ics`, etag: `g${i}`, deleted: false }));
  await s.commitSnapshot(key, { baseSeq: 0, changes });
  return s;
}

const tokenOf = (xml: string) => /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(xml)?.[1] ?? '';

describe('state epoch changing during a request', () => {
  for (const method of ['getSnapshot', 'changesSince'] as const)
    test(`a client token is refused (403 valid-sync-token) when the store changes after ${method}`, async () => {
      const t = await setup();
      const first = await t.sync('');
      assert.equal(first.status, 207);
      const token = tokenOf(first.text);
      t.state.swapAfter(method, await repopulated(t.backend, 10));
      const r = await t.sync(token);
      assert.equal(r.status, 403, r.text);
      assert.match(r.text, /valid-sync-token/);
    });

  test('an initial sync across the change is recomputed under the new epoch', async () => {
    const t = await setup();
    const oldEpoch = await t.state.epoch();
    t.state.swapAfter('getSnapshot', new MemoryStateStore());
    const r = await t.sync('');
    assert.equal(r.status, 207, r.text);
    const token = decodeToken(tokenOf(r.text));
    assert.notEqual(token.e, oldEpoch);
    assert.equal(token.e, await t.state.epoch());
    assert.deepEqual([...r.text.matchAll(/<d:href>[^<]*\/([^/<]+\.ics)<\/d:href>/g)].map((m) => m[1]).sort(), [
      'a.ics',
      'b.ics',
      'c.ics',
    ]);
    // The token it got is valid under the new epoch.
    const again = await t.sync(tokenOf(r.text));
    assert.equal(again.status, 207);
  });

  test('getctag is stamped with the epoch in force when it was computed', async () => {
    const t = await setup();
    t.state.swapAfter('getSnapshot', new MemoryStateStore());
    const r = await t.req('PROPFIND', CAL, '<d:propfind xmlns:d="DAV:"><d:prop><d:sync-token/></d:prop></d:propfind>', {
      Depth: '0',
      'Content-Type': 'application/xml',
    });
    assert.equal(r.status, 207);
    const tok = /<d:sync-token>([^<]+)</.exec(r.text)?.[1] ?? '';
    assert.equal(decodeToken(tok).e, await t.state.epoch());
  });
});
