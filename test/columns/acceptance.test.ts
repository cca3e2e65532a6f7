// Issue 5 acceptance for the columns profile, through the app (buildApp) on SQLite, PostgreSQL and
// MariaDB, with and without the trigger feed: the legacy UI (plain SQL) inserts, updates and
// soft-deletes rows and the next sync-collection reports exactly those changes; X-properties and
// VALARMs survive; rules the schema cannot hold are refused with nothing written; DST edges round-trip.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { formatNaive, utcToNaive } from '../../adapters/sql/columns/local-time.ts';
import { child, parseMultistatus, textOf } from '../support/xml-assert.ts';
import { onEachServer } from './databases.ts';
import { type Feed, ics, legacyApp } from './legacy-app.ts';
import { mapping } from './legacy-schema.ts';

const CAL = '/dav/calendars/alice/calendar/';
const SYNC = (token: string) =>
  `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

const INSERT = `INSERT INTO appointments (owner, uid, title, starts_at, ends_at, rec_type, deleted, modified, version)
  VALUES ('alice', ?, ?, '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0, 0, ?, 1)`;

/** What the legacy UI writes into `modified`: its wall-clock time in the schema's zone. */
const nowLocal = () => formatNaive(utcToNaive('Europe/Berlin', Date.now()));

onEachServer(`columns acceptance`, (server) => {
  async function setup(feed: Feed) {
    const { db, backend, t } = await legacyApp(server(), mapping, feed);
    assert.equal(!!backend.changesSince, feed !== 'snapshot');
    const put = (name: string, body: string) =>
      t.request('PUT', `${CAL}${name}`, { body, headers: { 'Content-Type': 'text/calendar' } });
    const sync = async (token: string) => {
      const r = await t.request('REPORT', CAL, { body: SYNC(token), headers: { Depth: '0' } });
      assert.equal(r.status, 207, r.text);
      const ms = parseMultistatus(r.text);
      const tok = child(ms.root, '{DAV:}sync-token' as never);
      return { ms, token: textOf(tok as never).trim() };
    };
    const count = async () =>
      Number((await sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM appointments`.execute(db.conn.db)).rows[0].n);
    return { db, t, put, sync, count };
  }

  for (const feed of ['snapshot', 'modified', 'triggers'] as const) {
    const mode = `${feed} feed`;

    it(`RFC 6578 §3.5 (${mode}): legacy inserts, updates and soft-deletes are exactly the next delta`, async () => {
      const { db, put, sync, t } = await setup(feed);
      try {
        assert.equal(
          (
            await put(
              'dav.ics',
              ics(['UID:dav-1', 'DTSTART:20260501T100000Z', 'DTEND:20260501T110000Z', 'SUMMARY:From DAV']),
            )
          ).status,
          201,
        );
        await db.exec(INSERT, ['legacy-keep', 'Kept', nowLocal()]);
        await db.exec(INSERT, ['legacy-edit', 'Edit me', nowLocal()]);
        await db.exec(INSERT, ['legacy-del', 'Delete me', nowLocal()]);
        const first = await sync('');
        assert.equal(first.ms.responses.length, 4);
        await db.exec(INSERT, ['legacy-new', 'New', nowLocal()]);
        await db.exec(
          `UPDATE appointments SET title = 'Edited', version = version + 1, modified = ? WHERE uid = 'legacy-edit'`,
          [nowLocal()],
        );
        await db.exec(`UPDATE appointments SET deleted = 1, modified = ? WHERE uid = 'legacy-del'`, [nowLocal()]);
        const delta = await sync(first.token);
        const names = (uid: string) => first.ms.responses.find((r) => r.href.endsWith('.ics') && uid)?.href;
        assert.ok(names);
        const byHref = delta.ms.byHref;
        const ids = async (uid: string) =>
          (await sql<{ id: unknown }>`SELECT id FROM appointments WHERE uid = ${uid}`.execute(db.conn.db)).rows[0].id;
        const href = async (uid: string) => `${CAL}${String(await ids(uid))}.ics`;
        assert.deepEqual(
          [...byHref.keys()].sort(),
          [await href('legacy-del'), await href('legacy-edit'), await href('legacy-new')].sort(),
        );
        assert.equal(byHref.get(await href('legacy-del'))?.status, 404);
        assert.equal(byHref.get(await href('legacy-edit'))?.props.get('{DAV:}getetag')?.status, 200);
        const got = await t.request('GET', await href('legacy-edit'));
        assert.match(got.text, /SUMMARY:Edited/);
        assert.match(got.text, /DTSTART;TZID=Europe\/Berlin:20260504T090000/);
        assert.equal((await sync(delta.token)).ms.responses.length, 0, 'no change → empty delta');
      } finally {
        await db.close();
      }
    });
  }

  it('RFC 5545 §3.8.8.2 / §3.6.6: X-properties and VALARMs survive DAV and legacy edits', async () => {
    const { db, put, t } = await setup('triggers');
    try {
      const body = ics([
        'UID:alarm-1',
        'DTSTAMP:20260101T000000Z',
        'DTSTART;TZID=Europe/Berlin:20260601T090000',
        'DTEND;TZID=Europe/Berlin:20260601T100000',
        'SUMMARY:Standup',
        'X-CLIENT-COLOR;X-P=1:teal',
        'ORGANIZER;CN=Alice:mailto:alice@example.com',
        'ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'DESCRIPTION:Reminder',
        'TRIGGER:-PT10M',
        'X-WR-ALARMUID:a1',
        'END:VALARM',
      ]);
      assert.equal((await put('standup.ics', body)).status, 201);
      // Unchanged rows serve what the client stored (the core added the VTIMEZONE it references).
      const stored = (await t.request('GET', `${CAL}standup.ics`)).text;
      assert.match(stored, /PRODID:-\/\/test\/\/EN\r\n[\s\S]*DTSTAMP:20260101T000000Z/);
      await db.exec(`UPDATE appointments SET title = 'Standup (moved)', version = version + 1 WHERE uid = 'alarm-1'`);
      const got = (await t.request('GET', `${CAL}standup.ics`)).text;
      assert.match(got, /SUMMARY:Standup \(moved\)/);
      assert.match(got, /X-CLIENT-COLOR;X-P=1:teal/);
      assert.match(got, /ORGANIZER;CN=Alice:mailto:alice@example.com/);
      assert.match(got, /ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com/);
      assert.match(
        got,
        /BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT10M\r\nX-WR-ALARMUID:a1\r\nEND:VALARM/,
      );
      const rows = await sql<{
        email: string;
        response: unknown;
      }>`SELECT email, response FROM appointment_attendees`.execute(db.conn.db);
      assert.deepEqual(
        rows.rows.map((r) => [r.email, Number(r.response)]),
        [['bob@example.com', 1]],
      );
    } finally {
      await db.close();
    }
  });

  it('rules the schema cannot hold (BYSETPOS, FREQ=HOURLY) → 403, nothing written', async () => {
    const { db, put, count } = await setup('snapshot');
    try {
      const base = ['UID:r1', 'DTSTART:20260601T090000Z', 'DTEND:20260601T100000Z', 'SUMMARY:R'];
      for (const rule of ['RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1', 'RRULE:FREQ=HOURLY;INTERVAL=2']) {
        const r = await put('r.ics', ics([...base, rule]));
        assert.equal(r.status, 403, r.text);
        assert.match(r.text, /<[a-z]+:valid-calendar-data/);
      }
      assert.equal(await count(), 0);
      const ok = await put('r.ics', ics([...base, 'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=6']));
      assert.equal(ok.status, 201);
      const row = (
        await sql<
          Record<string, unknown>
        >`SELECT rec_type, rec_interval, rec_weekdays, rec_count FROM appointments`.execute(db.conn.db)
      ).rows[0];
      assert.deepEqual([row.rec_type, row.rec_interval, row.rec_weekdays, row.rec_count].map(Number), [
        2,
        2,
        2 | 32,
        6,
      ]);
    } finally {
      await db.close();
    }
  });

  it('RFC 5545 §3.3.5: DST gap and repeated hour in a naive-local schema', async () => {
    const { db, put, t, count } = await setup('snapshot');
    try {
      // 2026-10-25 00:30Z is the first 02:30 in Berlin (CEST): stored as naive 02:30, read back as that instant.
      const first = ics(['UID:fall', 'DTSTART:20261025T003000Z', 'DTEND:20261025T023000Z', 'SUMMARY:Fall']);
      assert.equal((await put('fall.ics', first)).status, 201);
      const row = (
        await sql<Record<string, unknown>>`SELECT starts_at FROM appointments WHERE uid = 'fall'`.execute(db.conn.db)
      ).rows[0];
      assert.match(String(row.starts_at instanceof Date ? row.starts_at.toString() : row.starts_at), /02:30:00/);
      await db.exec(`UPDATE appointments SET title = 'Fall!', version = version + 1 WHERE uid = 'fall'`);
      assert.match((await t.request('GET', `${CAL}fall.ics`)).text, /DTSTART;TZID=Europe\/Berlin:20261025T023000/);
      // 01:30Z is the second 02:30 (CET): a naive column cannot tell it from the first → refused.
      const second = ics(['UID:fall2', 'DTSTART:20261025T013000Z', 'DTEND:20261025T030000Z', 'SUMMARY:Fall 2']);
      const r = await put('fall2.ics', second);
      assert.equal(r.status, 403);
      assert.equal(await count(), 1);
      // A wall-clock time inside the spring gap keeps its wall-clock value; ical.js reads it one hour later.
      const gap = ics([
        'UID:spring',
        'DTSTART;TZID=Europe/Berlin:20260329T023000',
        'DTEND;TZID=Europe/Berlin:20260329T033000',
        'SUMMARY:Gap',
      ]);
      assert.equal((await put('spring.ics', gap)).status, 201);
      await db.exec(`UPDATE appointments SET title = 'Gap!', version = version + 1 WHERE uid = 'spring'`);
      const got = (await t.request('GET', `${CAL}spring.ics`)).text;
      assert.match(got, /DTSTART;TZID=Europe\/Berlin:20260329T023000/);
      assert.match(got, /BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin/);
    } finally {
      await db.close();
    }
  });
});
