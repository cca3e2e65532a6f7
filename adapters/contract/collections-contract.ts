// Contract: collection management through `admin` (RFC 4918 §9.3 MKCOL, RFC 4791 §5.3.1 MKCALENDAR,
// RFC 5689 extended MKCOL, RFC 4918 §9.2 PROPPATCH atomicity, §9.6 DELETE of a collection).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BackendError } from '../../src/backend/port.ts';
import {
  type ContractFactory,
  ics,
  listed,
  needAdmin,
  needKind,
  ref,
  rejectsWith,
  withSubject,
  xml,
} from './support.ts';

const COLOR = '{http://apple.com/ns/ical/}calendar-color';
const DEAD_A = '{urn:x-contract}a';
const DEAD_B = '{urn:x-contract}b';
const DEAD_C = '{urn:x-contract}c';

export function collectionsContract(factory: ContractFactory): void {
  describe('collections', () => {
    test('MKCALENDAR: created calendar is returned, gettable and listed in its home only', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        const r = ref(owner, 'work');
        const info = await admin.createCollection(r, 'calendar', {
          displayName: 'Work',
          components: ['VEVENT', 'VTODO'],
        });
        assert.deepEqual(info.ref, r);
        assert.equal(info.kind, 'calendar');
        assert.equal(info.displayName, 'Work');
        assert.deepEqual(info.components, ['VEVENT', 'VTODO']);
        const got = await backend.getCollection(r);
        assert.equal(got?.displayName, 'Work');
        assert.equal(got?.kind, 'calendar');
        assert.ok((await backend.listCollections(owner, 'calendars')).some((c) => c.ref.id === 'work'));
        assert.ok(!(await backend.listCollections(owner, 'addressbooks')).some((c) => c.ref.id === 'work'));
        assert.ok(!(await backend.listCollections(`${owner}-other`, 'calendars')).some((c) => c.ref.id === 'work'));
      }));

    test('extended MKCOL: address book lives in the addressbooks home', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        const r = ref(owner, 'contacts', 'addressbooks');
        const info = await admin.createCollection(r, 'addressbook', { displayName: 'Contacts', description: 'People' });
        assert.equal(info.kind, 'addressbook');
        assert.equal(info.description, 'People');
        const list = await backend.listCollections(owner, 'addressbooks');
        assert.deepEqual(
          list.filter((c) => c.ref.id === 'contacts').map((c) => c.kind),
          ['addressbook'],
        );
        assert.equal(await backend.getCollection(ref(owner, 'contacts', 'calendars')), undefined);
      }));

    test('RFC 4791 §5.3.1: MKCALENDAR on an existing id → exists, original untouched', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        const r = ref(owner, 'dup');
        await admin.createCollection(r, 'calendar', { displayName: 'First' });
        await rejectsWith(admin.createCollection(r, 'calendar', { displayName: 'Second' }), 'exists');
        assert.equal((await backend.getCollection(r))?.displayName, 'First');
      }));

    test('PROPPATCH: attributes set, changed and removed (null); unspecified ones untouched', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        const r = ref(owner, 'cal');
        await admin.createCollection(r, 'calendar', { displayName: 'Old', description: 'D', components: ['VEVENT'] });
        const updated = await admin.updateCollection(r, {
          displayName: 'New',
          color: '#FF0000FF',
          order: 3,
          components: ['VEVENT', 'VTODO'],
        });
        assert.equal(updated.displayName, 'New');
        assert.equal(updated.color, '#FF0000FF');
        assert.equal(updated.order, 3);
        assert.deepEqual(updated.components, ['VEVENT', 'VTODO']);
        assert.equal(updated.description, 'D');
        await admin.updateCollection(r, { description: null, color: null });
        const got = await backend.getCollection(r);
        assert.equal(got?.description, undefined);
        assert.equal(got?.color, undefined);
        assert.equal(got?.displayName, 'New');
        assert.equal(got?.order, 3);
      }));

    test('RFC 4918 §9.2: dead properties set and removed in one patch, all at once', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        const r = ref(owner, 'cal');
        await admin.createCollection(r, 'calendar', {
          deadProps: { [DEAD_A]: xml(DEAD_A, 'one'), [COLOR]: xml(COLOR, '#00FF00') },
        });
        await admin.updateCollection(r, {
          deadProps: { [DEAD_A]: null, [DEAD_B]: xml(DEAD_B, 'two', { lang: 'de' }), [DEAD_C]: xml(DEAD_C, 'drei') },
        });
        const got = await backend.getCollection(r);
        assert.ok(got);
        assert.deepEqual(Object.keys(got.deadProps).sort(), [COLOR, DEAD_B, DEAD_C].sort());
        assert.deepEqual(got.deadProps[DEAD_B], xml(DEAD_B, 'two', { lang: 'de' }));
        assert.deepEqual(got.deadProps[COLOR], xml(COLOR, '#00FF00'));
      }));

    test('collection info handed out is a copy: mutating it changes nothing stored', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        const r = ref(owner, 'cal');
        const info = await admin.createCollection(r, 'calendar', {
          displayName: 'Kept',
          deadProps: { [DEAD_A]: xml(DEAD_A, 'v') },
        });
        info.displayName = 'Mutated';
        info.deadProps[DEAD_B] = xml(DEAD_B, 'x');
        const got = await backend.getCollection(r);
        assert.equal(got?.displayName, 'Kept');
        assert.deepEqual(Object.keys(got?.deadProps ?? {}), [DEAD_A]);
      }));

    test('update or delete of a missing collection → not-found', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        await rejectsWith(admin.updateCollection(ref(owner, 'nope'), { displayName: 'x' }), 'not-found');
        await rejectsWith(admin.deleteCollection(ref(owner, 'nope')), 'not-found');
      }));

    test('RFC 4918 §9.3: nested plain collections are created under an existing plain parent and listed', (t) =>
      withSubject(factory, async (s) => {
        const { backend, owner } = s;
        const admin = needAdmin(t, backend);
        if (!admin || !needKind(t, s, 'plain')) return;
        await admin.createCollection(ref(owner, 'p'), 'plain', {});
        await admin.createCollection(ref(owner, 'p/q'), 'plain', { displayName: 'Q' });
        await admin.createCollection(ref(owner, 'p/q/r'), 'plain', {});
        const ids = (await backend.listCollections(owner, 'calendars')).map((c) => c.ref.id);
        for (const id of ['p', 'p/q', 'p/q/r']) assert.ok(ids.includes(id), `${id} listed`);
        assert.equal((await backend.getCollection(ref(owner, 'p/q')))?.displayName, 'Q');
      }));

    test('RFC 4918 §9.3.1: nested collection without its parent is refused (409) and not created', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        await rejectsWith(admin.createCollection(ref(owner, 'missing/child'), 'plain', {}), 'conflict', 'not-found');
        assert.equal(await backend.getCollection(ref(owner, 'missing/child')), undefined);
      }));

    test('RFC 4791 §5.3.1: no collection inside a calendar collection', (t) =>
      withSubject(factory, async ({ backend, owner }) => {
        const admin = needAdmin(t, backend);
        if (!admin) return;
        await admin.createCollection(ref(owner, 'cal'), 'calendar', {});
        const err = await rejectsWith(
          admin.createCollection(ref(owner, 'cal/sub'), 'plain', {}),
          'forbidden',
          'conflict',
        );
        assert.ok(err instanceof BackendError);
        assert.equal(await backend.getCollection(ref(owner, 'cal/sub')), undefined);
      }));

    test('RFC 4918 §9.6.1: DELETE of a collection removes its objects and nested collections, not siblings', (t) =>
      withSubject(factory, async (s) => {
        const { backend, owner } = s;
        const admin = needAdmin(t, backend);
        if (!admin || !needKind(t, s, 'plain')) return;
        for (const id of ['p', 'p/q', 'p/q/r', 'pq']) await admin.createCollection(ref(owner, id), 'plain', {});
        await backend.putObject(ref(owner, 'p/q'), 'x.ics', ics('nested-x'), {});
        await backend.putObject(ref(owner, 'pq'), 'y.ics', ics('sibling-y'), {});
        await admin.deleteCollection(ref(owner, 'p/q'));
        assert.equal(await backend.getCollection(ref(owner, 'p/q')), undefined);
        assert.equal(await backend.getCollection(ref(owner, 'p/q/r')), undefined);
        assert.ok(await backend.getCollection(ref(owner, 'p')));
        assert.deepEqual([...(await listed(backend, ref(owner, 'pq'))).keys()], ['y.ics']);
        // Re-creating the id gives an empty collection: nothing of the old one survives.
        await admin.createCollection(ref(owner, 'p/q'), 'plain', {});
        assert.equal((await listed(backend, ref(owner, 'p/q'))).size, 0);
        await admin.deleteCollection(ref(owner, 'p'));
        const ids = (await backend.listCollections(owner, 'calendars')).map((c) => c.ref.id);
        assert.deepEqual(
          ids.filter((id) => id === 'p' || id.startsWith('p/')),
          [],
        );
        assert.ok(ids.includes('pq'));
      }));
  });
}
