// Contract: the native change feed (`changesSince`, `currentToken`) that backs RFC 6578 sync-collection.
// Tokens are opaque here; only what the core relies on is asserted. Skipped when the backend has no feed
// (the core then uses snapshot-sync, tested in src/backend/snapshot-sync.test.ts).
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { Backend } from '../../src/backend/port.ts';
import type { ChangeSet, CollectionRef } from '../../src/backend/types.ts';
import { type ContractFactory, fixture, ref, withSubject, writableCalendar } from './support.ts';

type Feed = (r: CollectionRef, since: string | null) => Promise<ChangeSet>;

/** The backend's feed, failing the test on 'invalid-token' where a valid answer is required; undefined (skipped) without a feed. */
function feedOf(t: TestContext, b: Backend): Feed | undefined {
  const changesSince = b.changesSince?.bind(b);
  if (!changesSince) {
    t.skip(`${b.id} has no native change feed (snapshot sync is used)`);
    return undefined;
  }
  return async (r, since) => {
    const res = await changesSince(r, since);
    assert.notEqual(res, 'invalid-token', `token ${since} should be valid`);
    return res as ChangeSet;
  };
}

const names = (cs: ChangeSet): string[] => cs.changed.map((c) => c.name).sort();

export function feedContract(factory: ContractFactory): void {
  describe('change feed', () => {
    test('RFC 6578 §3.4: initial sync (null) lists every present object with its etag', (t) =>
      withSubject(factory, async (s) => {
        const feed = feedOf(t, s.backend);
        const r = feed && (await writableCalendar(t, s));
        if (!feed || !r) return;
        const b = s.backend;
        const empty = await feed(r, null);
        assert.deepEqual(empty.changed, []);
        assert.deepEqual(empty.deleted, []);
        assert.equal(typeof empty.token, 'string');
        const a = await b.putObject(r, 'a.ics', fixture(s, 'uid-a'), {});
        const c = await b.putObject(r, 'c.ics', fixture(s, 'uid-c'), {});
        await b.putObject(r, 'gone.ics', fixture(s, 'uid-gone'), {});
        await b.deleteObject(r, 'gone.ics', {});
        const all = await feed(r, null);
        assert.deepEqual(
          all.changed.slice().sort((x, y) => x.name.localeCompare(y.name)),
          [
            { name: 'a.ics', etag: a.etag },
            { name: 'c.ics', etag: c.etag },
          ],
        );
        assert.deepEqual(all.deleted, []);
        assert.notEqual(all.token, empty.token);
      }));

    test('RFC 6578 §3.5: delta after create, update and delete reports latest etags and deleted names', (t) =>
      withSubject(factory, async (s) => {
        const feed = feedOf(t, s.backend);
        const r = feed && (await writableCalendar(t, s));
        if (!feed || !r) return;
        const b = s.backend;
        const t0 = (await feed(r, null)).token;
        await b.putObject(r, 'a.ics', fixture(s, 'uid-a', 'v1'), {});
        await b.putObject(r, 'b.ics', fixture(s, 'uid-b'), {});
        const d1 = await feed(r, t0);
        assert.deepEqual(names(d1), ['a.ics', 'b.ics']);
        assert.deepEqual(d1.deleted, []);
        const a2 = await b.putObject(r, 'a.ics', fixture(s, 'uid-a', 'v2'), {});
        await b.deleteObject(r, 'b.ics', {});
        const c = await b.putObject(r, 'c.ics', fixture(s, 'uid-c'), {});
        const d2 = await feed(r, d1.token);
        assert.deepEqual(names(d2), ['a.ics', 'c.ics']);
        assert.equal(d2.changed.find((x) => x.name === 'a.ics')?.etag, a2.etag);
        assert.equal(d2.changed.find((x) => x.name === 'c.ics')?.etag, c.etag);
        assert.deepEqual(d2.deleted, ['b.ics']);
        // From the older token: one entry per name, with the latest state.
        const d02 = await feed(r, t0);
        assert.deepEqual(names(d02), ['a.ics', 'c.ics']);
        assert.equal(d02.changed.filter((x) => x.name === 'a.ics').length, 1);
        assert.equal(d02.changed.find((x) => x.name === 'a.ics')?.etag, a2.etag);
        assert.ok(!d02.changed.some((x) => x.name === 'b.ics'), 'created-then-deleted is not reported as changed');
        assert.equal(d02.token, d2.token);
      }));

    test('RFC 6578 §3.2: no change gives an empty delta and the same token; currentToken agrees', (t) =>
      withSubject(factory, async (s) => {
        const feed = feedOf(t, s.backend);
        const r = feed && (await writableCalendar(t, s));
        if (!feed || !r) return;
        const b = s.backend;
        await b.putObject(r, 'a.ics', fixture(s, 'uid-a'), {});
        const now = await feed(r, null);
        const again = await feed(r, now.token);
        assert.deepEqual(again, { token: now.token, changed: [], deleted: [] });
        if (b.currentToken) assert.equal(await b.currentToken(r), now.token);
      }));

    test('RFC 6578 §3.1: every change yields a new token; older tokens still see a superset', (t) =>
      withSubject(factory, async (s) => {
        const feed = feedOf(t, s.backend);
        const r = feed && (await writableCalendar(t, s));
        if (!feed || !r) return;
        const b = s.backend;
        const tokens = [(await feed(r, null)).token];
        const steps = [
          () => b.putObject(r, 'a.ics', fixture(s, 'uid-a', 'v1'), {}),
          () => b.putObject(r, 'a.ics', fixture(s, 'uid-a', 'v2'), {}),
          () => b.putObject(r, 'b.ics', fixture(s, 'uid-b'), {}),
          () => b.deleteObject(r, 'a.ics', {}),
        ];
        for (const step of steps) {
          await step();
          const tok: string = (await feed(r, null)).token;
          assert.ok(!tokens.includes(tok), `token ${tok} is new`);
          if (b.currentToken) assert.equal(await b.currentToken(r), tok);
          tokens.push(tok);
        }
        const after1 = await feed(r, tokens[1]);
        const after3 = await feed(r, tokens[3]);
        assert.deepEqual(names(after1), ['b.ics']);
        assert.deepEqual(after1.deleted, ['a.ics']);
        assert.deepEqual(names(after3), []);
        assert.deepEqual(after3.deleted, ['a.ics']);
      }));

    test('RFC 6578 §3.2: unknown, malformed or future tokens → invalid-token', (t) =>
      withSubject(factory, async (s) => {
        const feed = feedOf(t, s.backend);
        const r = feed && (await writableCalendar(t, s));
        if (!feed || !r) return;
        const b = s.backend;
        await b.putObject(r, 'a.ics', fixture(s, 'uid-a'), {});
        const { token } = await feed(r, null);
        for (const bad of ['', 'not-a-token', `${token}x`, '-1', ' 1']) {
          assert.equal(await b.changesSince?.(r, bad), 'invalid-token', `token ${JSON.stringify(bad)}`);
        }
        if (/^\d+$/.test(token)) {
          const future = String(BigInt(token) + 1000n);
          assert.equal(await b.changesSince?.(r, future), 'invalid-token', 'a token from the future');
        }
      }));

    test('a token of a deleted collection is not valid for a new collection with the same id', (t) =>
      withSubject(factory, async (s) => {
        const feed = feedOf(t, s.backend);
        const admin = feed && !s.backend.readonly ? s.backend.admin : undefined;
        if (!feed) return;
        if (!admin) return void t.skip('needs admin');
        const b = s.backend;
        const r = ref(s.owner, 'recycled');
        await admin.createCollection(r, 'calendar', {});
        await b.putObject(r, 'a.ics', fixture(s, 'uid-a'), {});
        const old = (await feed(r, null)).token;
        await admin.deleteCollection(r);
        await admin.createCollection(r, 'calendar', {});
        for (let i = 0; i < 3; i++) await b.putObject(r, `n${i}.ics`, fixture(s, `uid-n${i}`), {});
        assert.equal(await b.changesSince?.(r, old), 'invalid-token');
      }));
  });
}
