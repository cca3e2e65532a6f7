// Contract: conditional writes (RFC 9110 §13.1.1 If-Match, §13.1.2 If-None-Match) checked atomically
// with the write, and UID uniqueness per collection (RFC 4791 §5.3.2.1, RFC 6352 §6.3.2.1 no-uid-conflict).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ContractFactory,
  fixture,
  ref,
  rejectsWith,
  summaryLine,
  text,
  withSubject,
  writableCalendar,
} from './support.ts';

export function preconditionsContract(factory: ContractFactory): void {
  describe('preconditions and UID uniqueness', () => {
    test('RFC 9110 §13.1.2: If-None-Match: * creates only when absent', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        const first = await b.putObject(r, 'n.ics', fixture(s, 'uid-n', 'v1'), { ifNoneMatchAny: true });
        assert.equal(first.created, true);
        await rejectsWith(
          b.putObject(r, 'n.ics', fixture(s, 'uid-n', 'v2'), { ifNoneMatchAny: true }),
          'precondition-failed',
        );
        const [got] = await b.getObjects(r, ['n.ics']);
        assert.equal(got.etag, first.etag);
        assert.match(text(got.body), summaryLine('v1'));
      }));

    test('RFC 9110 §13.1.1: If-Match writes only over the matching etag; never creates', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        const v1 = await b.putObject(r, 'm.ics', fixture(s, 'uid-m', 'v1'), {});
        await rejectsWith(
          b.putObject(r, 'm.ics', fixture(s, 'uid-m', 'stale'), { ifMatch: `${v1.etag}x` }),
          'precondition-failed',
        );
        assert.match(text((await b.getObjects(r, ['m.ics']))[0].body), summaryLine('v1'));
        const v2 = await b.putObject(r, 'm.ics', fixture(s, 'uid-m', 'v2'), { ifMatch: v1.etag });
        assert.equal(v2.created, false);
        await rejectsWith(
          b.putObject(r, 'm.ics', fixture(s, 'uid-m', 'v3'), { ifMatch: v1.etag }),
          'precondition-failed',
        );
        await rejectsWith(
          b.putObject(r, 'absent.ics', fixture(s, 'uid-absent'), { ifMatch: v1.etag }),
          'precondition-failed',
        );
        assert.deepEqual(await b.getObjects(r, ['absent.ics']), []);
      }));

    test('RFC 9110 §13.1.1: DELETE with If-Match deletes only the matching version', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        const v1 = await b.putObject(r, 'd.ics', fixture(s, 'uid-d', 'v1'), {});
        const v2 = await b.putObject(r, 'd.ics', fixture(s, 'uid-d', 'v2'), {});
        await rejectsWith(b.deleteObject(r, 'd.ics', { ifMatch: v1.etag }), 'precondition-failed');
        assert.equal((await b.getObjects(r, ['d.ics'])).length, 1);
        await b.deleteObject(r, 'd.ics', { ifMatch: v2.etag });
        assert.deepEqual(await b.getObjects(r, ['d.ics']), []);
      }));

    test('RFC 4791 §5.3.2.1: a UID held by another object → conflict naming the holder', (t) =>
      withSubject(factory, async (s) => {
        const r = await writableCalendar(t, s);
        if (!r) return;
        const b = s.backend;
        await b.putObject(r, 'a.ics', fixture(s, 'shared-uid', 'A'), {});
        const err = await rejectsWith(b.putObject(r, 'b.ics', fixture(s, 'shared-uid', 'B'), {}), 'conflict');
        assert.equal(err.conflictName, 'a.ics');
        assert.deepEqual(await b.getObjects(r, ['b.ics']), []);
        // Rewriting the holder with its own UID is fine.
        assert.equal((await b.putObject(r, 'a.ics', fixture(s, 'shared-uid', 'A2'), {})).created, false);
        if (b.findByUid) {
          assert.equal(await b.findByUid(r, 'shared-uid'), 'a.ics');
          assert.equal(await b.findByUid(r, 'unknown-uid'), undefined);
        }
        // Once the holder is gone the UID is free again.
        await b.deleteObject(r, 'a.ics', {});
        assert.equal((await b.putObject(r, 'b.ics', fixture(s, 'shared-uid', 'B'), {})).created, true);
        if (b.findByUid) assert.equal(await b.findByUid(r, 'shared-uid'), 'b.ics');
      }));

    test('the same UID in two different collections is no conflict', (t) =>
      withSubject(factory, async (s) => {
        const admin = s.backend.admin;
        if (!admin || s.backend.readonly) return void t.skip('needs admin to create a second collection');
        const r1 = ref(s.owner, 'one');
        const r2 = ref(s.owner, 'two');
        await admin.createCollection(r1, 'calendar', {});
        await admin.createCollection(r2, 'calendar', {});
        await s.backend.putObject(r1, 'x.ics', fixture(s, 'same'), {});
        assert.equal((await s.backend.putObject(r2, 'y.ics', fixture(s, 'same'), {})).created, true);
      }));
  });
}
