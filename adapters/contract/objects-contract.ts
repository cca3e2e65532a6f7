// Contract: object resources (RFC 4918 §9.7 PUT, §9.6 DELETE, RFC 9110 §13 conditional requests,
// RFC 4791 §5.3.2.1 / RFC 6352 §6.3.2.1 no-uid-conflict, RFC 4918 §4 dead properties).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PutInput } from '../../src/backend/types.ts';
import {
  type ContractFactory,
  collect,
  fixture,
  listed,
  needKind,
  ref,
  rejectsWith,
  summaryLine,
  text,
  withSubject,
  writableCalendar,
  xml,
} from './support.ts';

const PROP_A = '{urn:x-contract}a';
const PROP_B = '{urn:x-contract}b';

export function objectsContract(factory: ContractFactory): void {
  describe('objects', () => {
    test('RFC 4918 §9.7: PUT creates, GET returns the bytes, the listing shows name and etag', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        const input = fixture(s, 'uid-1', 'Créé ✓');
        const res = await b.putObject(r, 'one.ics', input, {});
        assert.equal(res.created, true);
        assert.ok(res.etag.length > 0);
        assert.ok(!res.etag.startsWith('"') && !res.etag.startsWith('W/'), 'etag is unquoted and strong');
        const [got, ...rest] = await b.getObjects(r, ['one.ics']);
        assert.equal(rest.length, 0);
        assert.equal(got.name, 'one.ics');
        assert.equal(got.etag, res.etag);
        assert.equal(text(got.body), text(input.body));
        assert.match(got.contentType, s.addressDataOnly ? /^text\/vcard/ : /^text\/calendar/);
        assert.ok(got.lastModified instanceof Date && !Number.isNaN(got.lastModified.getTime()));
        assert.deepEqual([...(await listed(b, r))], [['one.ics', res.etag]]);
      }));

    test('RFC 4918 §9.7.1: PUT on an existing name replaces it (created: false)', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        await b.putObject(r, 'one.ics', fixture(s, 'uid-1', 'v1'), {});
        const res = await b.putObject(r, 'one.ics', fixture(s, 'uid-1', 'v2'), {});
        assert.equal(res.created, false);
        const [got] = await b.getObjects(r, ['one.ics']);
        assert.match(text(got.body), summaryLine('v2'));
        assert.equal((await listed(b, r)).size, 1);
      }));

    test('RFC 9110 §8.8.3: etag stable while content is unchanged, different after a change', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        const first = await b.putObject(r, 'e.ics', fixture(s, 'uid-e', 'v1'), {});
        await b.putObject(r, 'other.ics', fixture(s, 'uid-o'), {});
        for (let i = 0; i < 2; i++) {
          assert.equal((await b.getObjects(r, ['e.ics']))[0].etag, first.etag);
          assert.equal((await listed(b, r)).get('e.ics'), first.etag);
        }
        const second = await b.putObject(r, 'e.ics', fixture(s, 'uid-e', 'v2'), {});
        assert.notEqual(second.etag, first.etag);
        assert.equal((await b.getObjects(r, ['e.ics']))[0].etag, second.etag);
        assert.equal((await listed(b, r)).get('e.ics'), second.etag);
      }));

    test('multiget: missing names are simply absent', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        await b.putObject(r, 'a.ics', fixture(s, 'uid-a'), {});
        await b.putObject(r, 'b.ics', fixture(s, 'uid-b'), {});
        const got = await b.getObjects(r, ['b.ics', 'missing.ics', 'a.ics']);
        assert.deepEqual(got.map((o) => o.name).sort(), ['a.ics', 'b.ics']);
        assert.deepEqual(await b.getObjects(r, []), []);
        assert.deepEqual(await b.getObjects(r, ['missing.ics']), []);
      }));

    test('RFC 4918 §9.6: DELETE removes the object; deleting again → not-found', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        await b.putObject(r, 'a.ics', fixture(s, 'uid-a'), {});
        await b.putObject(r, 'b.ics', fixture(s, 'uid-b'), {});
        await b.deleteObject(r, 'a.ics', {});
        assert.deepEqual(await b.getObjects(r, ['a.ics']), []);
        assert.deepEqual([...(await listed(b, r)).keys()], ['b.ics']);
        await rejectsWith(b.deleteObject(r, 'a.ics', {}), 'not-found');
        await rejectsWith(b.deleteObject(r, 'a.ics', { ifMatch: 'whatever' }), 'not-found');
      }));

    test('binary and non-ASCII bodies round-trip byte-exact', (t) =>
      withSubject(factory, async (s) => {
        const b = s.backend;
        let r = s.collection;
        if (b.admin && !b.readonly) {
          if (!needKind(t, s, 'plain')) return;
          r = ref(s.owner, 'files');
          await b.admin.createCollection(r, 'plain', {});
        }
        if (!r || b.readonly) return void t.skip('no writable collection');
        if (r === s.collection && (s.calendarDataOnly || s.addressDataOnly)) {
          return void t.skip('the fixture collection only holds calendar data');
        }
        const all = new Uint8Array(512);
        for (let i = 0; i < all.length; i++) all[i] = (i * 7 + 3) & 0xff;
        all[0] = 0;
        all[1] = 0xff;
        all[2] = 0xc3; // lone UTF-8 lead byte: must not be "repaired"
        const bin: PutInput = { body: all, contentType: 'application/octet-stream' };
        const res = await b.putObject(r, 'blob.bin', bin, {});
        const crlf = new TextEncoder().encode('LINE1\r\nLINE2\nÄÖÜ ✓ 😀\r\n');
        await b.putObject(r, 'text.txt', { body: crlf, contentType: 'text/plain; charset=utf-8' }, {});
        const got = new Map((await b.getObjects(r, ['blob.bin', 'text.txt'])).map((o) => [o.name, o]));
        assert.deepEqual(Buffer.from(got.get('blob.bin')?.body ?? []), Buffer.from(all));
        assert.deepEqual(Buffer.from(got.get('text.txt')?.body ?? []), Buffer.from(crlf));
        assert.equal(got.get('blob.bin')?.etag, res.etag);
      }));

    test('bytes handed in or out are copies: later mutation changes nothing stored', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        const input = fixture(s, 'uid-copy', 'orig');
        const expected = text(input.body);
        await b.putObject(r, 'c.ics', input, {});
        input.body.fill(0x41);
        const [first] = await b.getObjects(r, ['c.ics']);
        first.body.fill(0x42);
        assert.equal(text((await b.getObjects(r, ['c.ics']))[0].body), expected);
      }));

    test('RFC 4918 §4: dead properties on objects set and removed together, kept across PUT', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        if (!b.patchObjectProps) return void t.skip(`${b.id} has no patchObjectProps`);
        const put = await b.putObject(r, 'p.ics', fixture(s, 'uid-p', 'v1'), {});
        assert.deepEqual((await b.getObjects(r, ['p.ics']))[0].deadProps, {});
        await b.patchObjectProps(r, 'p.ics', { [PROP_A]: xml(PROP_A, 'a1') });
        await b.patchObjectProps(r, 'p.ics', { [PROP_A]: null, [PROP_B]: xml(PROP_B, 'b1', { x: 'y' }) });
        let [got] = await b.getObjects(r, ['p.ics']);
        assert.deepEqual(got.deadProps, { [PROP_B]: xml(PROP_B, 'b1', { x: 'y' }) });
        assert.equal(got.etag, put.etag, 'dead properties are not content');
        await b.putObject(r, 'p.ics', fixture(s, 'uid-p', 'v2'), {});
        [got] = await b.getObjects(r, ['p.ics']);
        assert.deepEqual(got.deadProps, { [PROP_B]: xml(PROP_B, 'b1', { x: 'y' }) });
        await rejectsWith(b.patchObjectProps(r, 'missing.ics', { [PROP_A]: xml(PROP_A, 'x') }), 'not-found');
      }));

    test('query (when offered) returns every matching candidate with current etags', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        if (!b.query) return void t.skip(`${b.id} has no query`);
        const a = await b.putObject(r, 'a.ics', fixture(s, 'uid-a'), {});
        const c = await b.putObject(r, 'c.ics', fixture(s, 'uid-c'), {});
        const res = await b.query(r, { kind: 'calendar', component: 'VEVENT' });
        const byName = new Map(res.items.map((o) => [o.name, o.etag]));
        assert.equal(byName.get('a.ics'), a.etag);
        assert.equal(byName.get('c.ics'), c.etag);
        assert.equal(typeof res.exact, 'boolean');
      }));

    test('listing, multiget, query and initial sync agree on names and etags (also read-only)', (t) =>
      withSubject(factory, async (s) => {
        const b = s.backend;
        let r = s.collection;
        if (b.admin && !b.readonly) {
          r = ref(s.owner, 'agree');
          await b.admin.createCollection(r, 'calendar', {});
        }
        if (!r) return void t.skip('no collection');
        if (!b.readonly) {
          for (const n of ['a', 'b', 'c']) await b.putObject(r, `${n}.ics`, fixture(s, `uid-${n}`), {});
        }
        const list = await listed(b, r);
        if (list.size === 0) return void t.skip('the read-only collection is empty');
        const got = await b.getObjects(r, [...list.keys()]);
        assert.deepEqual(new Map(got.map((o) => [o.name, o.etag])), list);
        if (b.query) {
          const q = await b.query(r, { kind: r.home === 'addressbooks' ? 'addressbook' : 'calendar' });
          for (const o of q.items) assert.equal(list.get(o.name), o.etag, `query item ${o.name}`);
          if (!q.exact) assert.equal(q.items.length, list.size, 'an inexact query without filter returns everything');
        }
        const init = await b.changesSince?.(r, null);
        if (init !== undefined) {
          assert.notEqual(init, 'invalid-token');
          if (init !== 'invalid-token') assert.deepEqual(new Map(init.changed.map((o) => [o.name, o.etag])), list);
        }
      }));

    test('operations on a missing collection → not-found', () =>
      withSubject(factory, async (s) => {
        const b = s.backend;
        const r = ref(s.owner, 'no-such-collection');
        assert.equal(await b.getCollection(r), undefined);
        await rejectsWith(collect(b.listObjects(r)), 'not-found');
        await rejectsWith(b.getObjects(r, ['x.ics']), 'not-found');
        if (b.readonly) return;
        await rejectsWith(b.putObject(r, 'x.ics', fixture(s, 'uid-x'), {}), 'not-found');
        await rejectsWith(b.deleteObject(r, 'x.ics', {}), 'not-found');
      }));

    test('read-only backend refuses writes with forbidden', (t) =>
      withSubject(factory, async (s) => {
        const b = s.backend;
        if (!b.readonly) return void t.skip(`${b.id} is writable`);
        const cols = [
          ...(await b.listCollections(s.owner, 'calendars')),
          ...(await b.listCollections(s.owner, 'addressbooks')),
        ];
        const r = s.collection ?? cols[0]?.ref;
        if (!r) return void t.skip('no collection to write to');
        await rejectsWith(b.putObject(r, 'x.ics', fixture(s, 'uid-x'), {}), 'forbidden');
      }));
  });
}
