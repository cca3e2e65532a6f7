// Rows davgate writes are what SabreDAV's readers expect: each derived column checked against a value
// computed here (md5 via node:crypto, byte length, known occurrence instants), the change row and synctoken
// bump of SabreDAV's addChange, the calendars + calendarinstances rows of createCalendar — and a write by
// SabreDAV itself (plain SQL) between a client's read and its conditional write yields precondition-failed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import { BackendError } from '../../../src/backend/port.ts';
import { createSabredavBackend } from './index.ts';
import { bytes, num, str } from './rows.ts';
import { seedAsSabre } from './sabre-fixture.ts';
import { onEachDialect, openSabreDb } from './test-databases.ts';

const enc = new TextEncoder();
const md5 = (b: Uint8Array | string) => createHash('md5').update(b).digest('hex');
const RECURRING = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//davgate//test//EN',
  'BEGIN:VEVENT',
  'UID:new-series',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260302T140000',
  'DTEND;TZID=Europe/Berlin:20260302T150000',
  'RRULE:FREQ=DAILY;COUNT=30',
  'SUMMARY:Über-long series ✓',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

onEachDialect(
  (d) => `sabredav profile (${d}): rows davgate writes`,
  (d) => {
    test('calendar object: every derived column, change row and counter as SabreDAV writes them', async () => {
      const conn = await openSabreDb(d);
      try {
        const seed = await seedAsSabre(conn);
        const b = await createSabredavBackend(conn, {});
        const ref = { owner: 'alice', home: 'calendars' as const, id: 'default' };
        const before = Math.floor(Date.now() / 1000);
        const body = enc.encode(RECURRING);
        const put = await b.putObject(
          ref,
          'series.ics',
          { body, contentType: 'text/calendar' },
          { ifNoneMatchAny: true },
        );
        const afterPut = Math.floor(Date.now() / 1000);
        const row = (await sql`SELECT * FROM calendarobjects WHERE uri = 'series.ics'`.execute(conn.db))
          .rows[0] as Record<string, unknown>;
        assert.equal(put.etag, md5(body));
        assert.equal(str(row.etag), md5(body));
        assert.equal(num(row.size), Buffer.byteLength(RECURRING));
        assert.deepEqual(Buffer.from(bytes(row.calendardata)), Buffer.from(body));
        assert.equal(str(row.componenttype), 'VEVENT');
        assert.equal(str(row.uid), 'new-series');
        // 14:00 CET = 13:00 UTC on 2 March; the 30th instance ends 15:00 CEST = 13:00 UTC on 31 March.
        assert.equal(num(row.firstoccurence), Date.UTC(2026, 2, 2, 13) / 1000);
        assert.equal(num(row.lastoccurence), Date.UTC(2026, 2, 31, 13) / 1000);
        assert.ok(
          num(row.lastmodified) >= before && num(row.lastmodified) <= afterPut,
          'lastmodified is unix seconds of the write',
        );
        const change = (
          await sql`SELECT uri, synctoken, operation FROM calendarchanges WHERE calendarid = ${seed.calendarId} ORDER BY id DESC`.execute(
            conn.db,
          )
        ).rows[0] as Record<string, unknown>;
        assert.deepEqual(
          [str(change.uri), num(change.synctoken), num(change.operation)],
          ['series.ics', seed.calendarSynctoken, 1],
        );
        const counter = (await sql`SELECT synctoken FROM calendars WHERE id = ${seed.calendarId}`.execute(conn.db))
          .rows[0] as Record<string, unknown>;
        assert.equal(num(counter.synctoken), seed.calendarSynctoken + 1);
        await b.deleteObject(ref, 'series.ics', { ifMatch: put.etag });
        const del = (
          await sql`SELECT uri, synctoken, operation FROM calendarchanges WHERE calendarid = ${seed.calendarId} ORDER BY id DESC`.execute(
            conn.db,
          )
        ).rows[0] as Record<string, unknown>;
        assert.deepEqual(
          [str(del.uri), num(del.synctoken), num(del.operation)],
          ['series.ics', seed.calendarSynctoken + 1, 3],
        );
      } finally {
        await conn.close();
      }
    });

    test('card: etag, size, lastmodified and an addressbookchanges row (operation 2 on update)', async () => {
      const conn = await openSabreDb(d);
      try {
        const seed = await seedAsSabre(conn);
        const b = await createSabredavBackend(conn, {});
        const ref = { owner: 'alice', home: 'addressbooks' as const, id: 'default' };
        const text = ['BEGIN:VCARD', 'VERSION:3.0', 'UID:jane-1', 'FN:Jane Doe-Ötzi', 'END:VCARD', ''].join('\r\n');
        const res = await b.putObject(ref, 'jane.vcf', { body: enc.encode(text), contentType: 'text/vcard' }, {});
        assert.equal(res.created, false);
        const row = (await sql`SELECT etag, size, carddata FROM cards WHERE uri = 'jane.vcf'`.execute(conn.db))
          .rows[0] as Record<string, unknown>;
        assert.deepEqual([str(row.etag), num(row.size), str(row.carddata)], [md5(text), Buffer.byteLength(text), text]);
        const change = (
          await sql`SELECT uri, synctoken, operation FROM addressbookchanges ORDER BY id DESC`.execute(conn.db)
        ).rows[0] as Record<string, unknown>;
        assert.deepEqual(
          [str(change.uri), num(change.synctoken), num(change.operation)],
          ['jane.vcf', seed.addressbookSynctoken, 2],
        );
      } finally {
        await conn.close();
      }
    });

    test('createCalendar: a calendars row (synctoken 1, components) and the owner instance (access 1)', async () => {
      const conn = await openSabreDb(d);
      try {
        const b = await createSabredavBackend(conn, {});
        await b.admin.createCollection({ owner: 'bob', home: 'calendars', id: 'work' }, 'calendar', {
          displayName: 'Work',
          components: ['VTODO'],
          color: '#FF0000FF',
          order: 2,
        });
        const row = (
          await sql`SELECT c.synctoken, c.components, ci.principaluri, ci.uri, ci.access, ci.displayname, ci.calendarcolor, ci.calendarorder, ci.transparent
            FROM calendarinstances ci JOIN calendars c ON c.id = ci.calendarid`.execute(conn.db)
        ).rows[0] as Record<string, unknown>;
        assert.deepEqual(
          [
            num(row.synctoken),
            str(row.components),
            str(row.principaluri),
            str(row.uri),
            num(row.access),
            str(row.displayname),
            str(row.calendarcolor),
            num(row.calendarorder),
            num(row.transparent),
          ],
          [1, 'VTODO', 'principals/bob', 'work', 1, 'Work', '#FF0000FF', 2, 0],
        );
      } finally {
        await conn.close();
      }
    });

    test('a SabreDAV write between read and conditional write → precondition-failed, no lost update', async () => {
      const conn = await openSabreDb(d);
      try {
        await seedAsSabre(conn);
        const b = await createSabredavBackend(conn, {});
        const ref = { owner: 'alice', home: 'calendars' as const, id: 'default' };
        const [seen] = await b.getObjects(ref, ['meeting.ics']);
        // Baïkal's own UI saves the event (updateCalendarObject: new data, new md5 etag).
        const theirs = new TextDecoder().decode(seen.body).replace('SUMMARY:Planning', 'SUMMARY:Baïkal edit');
        await sql`UPDATE calendarobjects SET calendardata = ${conn.dialect === 'sqlite' ? theirs : Buffer.from(theirs)}, etag = ${md5(theirs)} WHERE uri = 'meeting.ics'`.execute(
          conn.db,
        );
        const ours = enc.encode(
          new TextDecoder().decode(seen.body).replace('SUMMARY:Planning', 'SUMMARY:davgate edit'),
        );
        await assert.rejects(
          b.putObject(ref, 'meeting.ics', { body: ours, contentType: 'text/calendar' }, { ifMatch: seen.etag }),
          (e: unknown) => e instanceof BackendError && e.code === 'precondition-failed',
        );
        const [now] = await b.getObjects(ref, ['meeting.ics']);
        assert.equal(now.etag, md5(theirs));
        // Two davgate writers with the same If-Match: exactly one wins.
        const results = await Promise.allSettled(
          ['one', 'two'].map((s) =>
            b.putObject(
              ref,
              'meeting.ics',
              { body: enc.encode(theirs.replace('Baïkal edit', s)), contentType: 'text/calendar' },
              { ifMatch: now.etag },
            ),
          ),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.equal((failed.reason as BackendError).code, 'precondition-failed');
      } finally {
        await conn.close();
      }
    });
  },
);
