// SqlBackend object semantics: conditional writes (RFC 9110 §13.1), no-uid-conflict (RFC 4791 §5.3.2.1),
// dead properties, batched reads, query narrowing, and the mapping of store failures to 'unavailable'.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { contentEtag } from '../../src/backend/etag.ts';
import type { ClarkName } from '../../src/dav/xml/names.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';
import { rejectsWith } from '../contract/support.ts';
import type { OpenedSqlStore } from './open.ts';
import { calRef, collect, event } from './test-fixtures.ts';

const PROP = '{urn:x-test}color' as ClarkName;
const prop = (v: string): XmlElement => ({ name: PROP, attrs: {}, children: [v] });

export function backendSuite(label: string, open: () => Promise<OpenedSqlStore>): void {
  describe(`SqlBackend objects (${label})`, () => {
    let s: OpenedSqlStore;
    const ref = calRef();
    beforeEach(async () => {
      s = await open();
      await s.backend.admin.createCollection(ref, 'calendar', { displayName: 'Cal' });
    });
    afterEach(() => s.close());

    test('PUT creates, then replaces: created flag and content etag of the stored bytes', async () => {
      const a = event('u1', 'one');
      const first = await s.backend.putObject(ref, 'a.ics', a, {});
      assert.deepEqual(first, { etag: contentEtag(a.body), created: true });
      const b = event('u1', 'two');
      const second = await s.backend.putObject(ref, 'a.ics', b, {});
      assert.deepEqual(second, { etag: contentEtag(b.body), created: false });
      const [got] = await s.backend.getObjects(ref, ['a.ics']);
      assert.deepEqual(Buffer.from(got.body), Buffer.from(b.body));
      assert.equal(got.contentType, 'text/calendar; charset=utf-8');
      assert.equal(got.etag, second.etag);
      assert.ok(got.lastModified instanceof Date && !Number.isNaN(got.lastModified.getTime()));
    });

    test('etag is stable for unchanged bytes', async () => {
      const a = await s.backend.putObject(ref, 'a.ics', event('u1'), {});
      const b = await s.backend.putObject(ref, 'a.ics', event('u1'), {});
      assert.equal(a.etag, b.etag);
    });

    test('RFC 9110 §13.1.2: If-None-Match: * on an existing object → precondition-failed, body unchanged', async () => {
      await s.backend.putObject(ref, 'a.ics', event('u1', 'kept'), {});
      await rejectsWith(
        s.backend.putObject(ref, 'a.ics', event('u1', 'lost'), { ifNoneMatchAny: true }),
        'precondition-failed',
      );
      const [got] = await s.backend.getObjects(ref, ['a.ics']);
      assert.match(new TextDecoder().decode(got.body), /SUMMARY:kept/);
      assert.equal((await s.backend.putObject(ref, 'b.ics', event('u2'), { ifNoneMatchAny: true })).created, true);
    });

    test('RFC 9110 §13.1.1: If-Match must equal the current etag (and fails on a missing object)', async () => {
      const { etag } = await s.backend.putObject(ref, 'a.ics', event('u1'), {});
      await rejectsWith(
        s.backend.putObject(ref, 'a.ics', event('u1', 'x'), { ifMatch: 'stale' }),
        'precondition-failed',
      );
      await rejectsWith(s.backend.putObject(ref, 'new.ics', event('u9'), { ifMatch: etag }), 'precondition-failed');
      const ok = await s.backend.putObject(ref, 'a.ics', event('u1', 'x'), { ifMatch: etag });
      assert.equal(ok.created, false);
      assert.deepEqual(await collect(s.backend.listObjects(ref)), [{ name: 'a.ics', etag: ok.etag }]);
    });

    test('RFC 4791 §5.3.2.1 no-uid-conflict: a UID held by another name → conflict naming the holder', async () => {
      await s.backend.putObject(ref, 'a.ics', event('same'), {});
      const err = await rejectsWith(s.backend.putObject(ref, 'b.ics', event('same'), {}), 'conflict');
      assert.equal(err.conflictName, 'a.ics');
      assert.deepEqual(
        (await collect(s.backend.listObjects(ref))).map((o) => o.name),
        ['a.ics'],
      );
      // Same UID in another collection is fine; replacing the holder itself is fine.
      const other = calRef('other');
      await s.backend.admin.createCollection(other, 'calendar', {});
      await s.backend.putObject(other, 'b.ics', event('same'), {});
      await s.backend.putObject(ref, 'a.ics', event('same', 'again'), {});
    });

    test('DELETE: not-found when absent, precondition-failed on If-Match mismatch, removes otherwise', async () => {
      await rejectsWith(s.backend.deleteObject(ref, 'nope.ics', {}), 'not-found');
      const { etag } = await s.backend.putObject(ref, 'a.ics', event('u1'), {});
      await rejectsWith(s.backend.deleteObject(ref, 'a.ics', { ifMatch: 'stale' }), 'precondition-failed');
      await s.backend.deleteObject(ref, 'a.ics', { ifMatch: etag });
      assert.deepEqual(await s.backend.getObjects(ref, ['a.ics']), []);
      assert.equal(await s.backend.findByUid(ref, 'u1'), undefined);
    });

    test('dead properties: patched all at once, kept when the object body is replaced, gone with the object', async () => {
      await s.backend.putObject(ref, 'a.ics', event('u1'), {});
      const other = '{urn:x-test}other' as ClarkName;
      await s.backend.patchObjectProps(ref, 'a.ics', {
        [PROP]: prop('red'),
        [other]: { name: other, attrs: {}, children: [] },
      });
      await s.backend.patchObjectProps(ref, 'a.ics', { [other]: null });
      const before = await s.backend.currentToken(ref);
      await s.backend.putObject(ref, 'a.ics', event('u1', 'changed'), {});
      const [got] = await s.backend.getObjects(ref, ['a.ics']);
      assert.deepEqual(got.deadProps, { [PROP]: prop('red') });
      assert.notEqual(await s.backend.currentToken(ref), before);
      await rejectsWith(s.backend.patchObjectProps(ref, 'missing.ics', { [PROP]: prop('x') }), 'not-found');
      await s.backend.deleteObject(ref, 'a.ics', {});
      await s.backend.putObject(ref, 'a.ics', event('u1'), {});
      assert.deepEqual((await s.backend.getObjects(ref, ['a.ics']))[0].deadProps, {});
    });

    test('getObjects: only existing names, duplicates once, lists longer than one chunk', async () => {
      const names: string[] = [];
      for (let i = 0; i < 1203; i++) names.push(`e${i}.ics`);
      for (const n of names) await s.backend.putObject(ref, n, event(n), {});
      const asked = [...names, 'missing.ics', 'e1.ics'];
      const got = await s.backend.getObjects(ref, asked);
      assert.equal(got.length, names.length);
      assert.deepEqual(new Set(got.map((o) => o.name)), new Set(names));
      assert.deepEqual(await s.backend.getObjects(ref, []), []);
    });

    test('findByUid and query narrowing by component type (exact; objects of unknown type are unsure)', async () => {
      await s.backend.putObject(ref, 'e.ics', event('ev', 'x', 'VEVENT'), {});
      await s.backend.putObject(ref, 't.ics', event('td', 'x', 'VTODO'), {});
      await s.backend.putObject(
        ref,
        'raw.ics',
        { body: new Uint8Array([1, 2]), contentType: 'application/octet-stream' },
        {},
      );
      assert.equal(await s.backend.findByUid(ref, 'td'), 't.ics');
      assert.equal(await s.backend.findByUid(ref, 'none'), undefined);
      const todos = await s.backend.query(ref, { kind: 'calendar', component: 'VTODO' });
      assert.equal(todos.exact, true);
      assert.deepEqual(todos.unsure, ['raw.ics']);
      assert.deepEqual(todos.items.map((o) => o.name).sort(), ['raw.ics', 't.ics']);
      const all = await s.backend.query(ref, { kind: 'calendar' });
      assert.equal(all.items.length, 3);
    });

    test('operations on a missing collection → not-found', async () => {
      const missing = calRef('missing');
      await rejectsWith(s.backend.putObject(missing, 'a.ics', event('u'), {}), 'not-found');
      await rejectsWith(collect(s.backend.listObjects(missing)), 'not-found');
      await rejectsWith(s.backend.getObjects(missing, ['a.ics']), 'not-found');
      await rejectsWith(s.backend.changesSince(missing, null), 'not-found');
      await rejectsWith(s.backend.currentToken(missing), 'not-found');
      assert.equal(await s.backend.getCollection(missing), undefined);
    });

    test('a closed database surfaces as unavailable', async () => {
      await s.close();
      await rejectsWith(s.backend.putObject(ref, 'a.ics', event('u'), {}), 'unavailable');
      await rejectsWith(s.backend.listCollections('alice', 'calendars'), 'unavailable');
    });
  });

  describe(`SqlBackend admin (${label})`, () => {
    let s: OpenedSqlStore;
    beforeEach(async () => {
      s = await open();
    });
    afterEach(() => s.close());

    test('a calendar cannot live in the addressbooks home, nor an address book in the calendars home', async () => {
      await rejectsWith(
        s.backend.admin.createCollection({ owner: 'a', home: 'addressbooks', id: 'c' }, 'calendar', {}),
        'forbidden',
      );
      await rejectsWith(
        s.backend.admin.createCollection({ owner: 'a', home: 'calendars', id: 'c' }, 'addressbook', {}),
        'forbidden',
      );
    });

    test('malformed collection ids are refused', async () => {
      for (const id of ['', '/a', 'a/', 'a//b', 'a/../b', '.']) {
        await rejectsWith(s.backend.admin.createCollection(calRef(id), 'plain', {}), 'forbidden');
      }
    });

    test('nested collection whose name is taken by a resource of the plain parent → exists', async () => {
      await s.backend.admin.createCollection(calRef('p'), 'plain', {});
      await s.backend.putObject(
        calRef('p'),
        'thing',
        { body: new Uint8Array([1]), contentType: 'application/octet-stream' },
        {},
      );
      await rejectsWith(s.backend.admin.createCollection(calRef('p/thing'), 'plain', {}), 'exists');
    });

    test('RFC 4918 §9.2: a patch that cannot be stored changes nothing, not even its valid parts', async () => {
      await s.backend.admin.createCollection(calRef(), 'calendar', { displayName: 'Before' });
      const cyclic = prop('x');
      cyclic.children.push(cyclic); // JSON serialisation fails half-way through applying the patch
      await assert.rejects(
        s.backend.admin.updateCollection(calRef(), { displayName: 'After', deadProps: { [PROP]: cyclic } }),
      );
      const got = await s.backend.getCollection(calRef());
      assert.equal(got?.displayName, 'Before');
      assert.deepEqual(got?.deadProps, {});
      await rejectsWith(s.backend.admin.updateCollection(calRef('other'), { displayName: 'After' }), 'not-found');
    });

    test('collections are listed ordered by order, then id; properties round-trip', async () => {
      await s.backend.admin.createCollection(calRef('b'), 'calendar', {
        order: 2,
        color: '#112233',
        timezone: 'BEGIN:VCALENDAR',
      });
      await s.backend.admin.createCollection(calRef('a'), 'calendar', { order: 1 });
      await s.backend.admin.createCollection(calRef('c'), 'calendar', {});
      const list = await s.backend.listCollections('alice', 'calendars');
      assert.deepEqual(
        list.map((c) => c.ref.id),
        ['a', 'b', 'c'],
      );
      assert.deepEqual(list[1], {
        ref: calRef('b'),
        kind: 'calendar',
        deadProps: {},
        order: 2,
        color: '#112233',
        timezone: 'BEGIN:VCALENDAR',
      });
    });
  });
}
