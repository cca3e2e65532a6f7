// Issue 5 acceptance, second entity of the worked example: the legacy `tasks` table served as a VTODO
// calendar (RFC 5545 §3.6.2) beside the appointments calendar, through the app on SQLite, PostgreSQL and
// MariaDB: DUE, COMPLETED, PERCENT-COMPLETE, STATUS, PRIORITY and an optional DTSTART round-trip; the
// legacy UI's inserts, completions and soft-deletes are exactly the next sync-collection delta.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { formatNaive, utcToNaive } from '../../adapters/sql/columns/local-time.ts';
import { child, elements, parseMultistatus, textOf } from '../support/xml-assert.ts';
import { onEachServer } from './databases.ts';
import { legacyApp } from './legacy-app.ts';
import { entities } from './legacy-schema.ts';

const TASKS = '/dav/calendars/alice/tasks/';
const C = 'urn:ietf:params:xml:ns:caldav';
const SYNC = (token: string) =>
  `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
const COMPONENTS = `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:supported-calendar-component-set/></d:prop></d:propfind>`;

const wrap = (comp: string, lines: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    `BEGIN:${comp}`,
    ...lines,
    `END:${comp}`,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
const vtodo = (lines: string[]) => wrap('VTODO', lines);

const INSERT = `INSERT INTO tasks (owner, uid, subject, state, prio, percent, due_at, deleted, modified, version)
  VALUES ('alice', ?, ?, 0, 5, 0, '2026-06-10 17:00:00', 0, ?, 1)`;
const nowLocal = () => formatNaive(utcToNaive('Europe/Berlin', Date.now()));

onEachServer(`columns tasks (VTODO)`, (server) => {
  async function setup(feed: 'modified' | 'triggers') {
    const { db, t } = await legacyApp(server(), entities, feed);
    const put = (path: string, body: string) =>
      t.request('PUT', path, { body, headers: { 'Content-Type': 'text/calendar' } });
    const row = async (uid: string) =>
      (await sql<Record<string, unknown>>`SELECT * FROM tasks WHERE uid = ${uid}`.execute(db.conn.db)).rows[0];
    return { db, t, put, row };
  }

  it('RFC 4791 §5.2.3: the tasks collection supports VTODO only, the appointments one VEVENT', async () => {
    const { db, t, put } = await setup('triggers');
    try {
      const r = await t.request('PROPFIND', '/dav/calendars/alice/', { body: COMPONENTS, headers: { Depth: '1' } });
      assert.equal(r.status, 207);
      const ms = parseMultistatus(r.text);
      const comps = (href: string) =>
        elements(ms.byHref.get(href)?.props.get(`{${C}}supported-calendar-component-set`)?.el as never)
          .map((e) => e.attrs['{}name'])
          .join();
      assert.equal(comps(TASKS), 'VTODO');
      assert.equal(comps('/dav/calendars/alice/calendar/'), 'VEVENT');
      const event = wrap('VEVENT', ['UID:e1', 'DTSTART:20260601T090000Z', 'DTEND:20260601T100000Z']);
      assert.equal((await put(`${TASKS}e1.ics`, event)).status, 403);
      assert.equal((await put('/dav/calendars/alice/calendar/t1.ics', vtodo(['UID:t1', 'SUMMARY:x']))).status, 403);
      const n = await sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM tasks`.execute(db.conn.db);
      assert.equal(Number(n.rows[0].n), 0);
    } finally {
      await db.close();
    }
  });

  it('RFC 5545 §3.6.2: DUE, DTSTART, STATUS, PRIORITY, PERCENT-COMPLETE, COMPLETED round-trip through rows', async () => {
    const { db, t, put, row } = await setup('triggers');
    try {
      const body = vtodo([
        'UID:task-1',
        'DTSTAMP:20260101T000000Z',
        'DTSTART;TZID=Europe/Berlin:20260601T090000',
        'DUE:20260605T150000Z',
        'SUMMARY:Write report',
        'STATUS:IN-PROCESS',
        'PRIORITY:1',
        'PERCENT-COMPLETE:40',
        'X-APPLE-SORT-ORDER:7',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'DESCRIPTION:Due soon',
        'TRIGGER;RELATED=END:-PT1H',
        'END:VALARM',
      ]);
      assert.equal((await put(`${TASKS}report.ics`, body)).status, 201);
      const r = await row('task-1');
      assert.deepEqual(
        [r.subject, Number(r.state), Number(r.prio), Number(r.percent), r.done_at],
        ['Write report', 1, 1, 40, null],
      );
      assert.match(String(r.due_at instanceof Date ? r.due_at.toString() : r.due_at), /17:00:00/); // CEST
      const served = (await t.request('GET', `${TASKS}report.ics`)).text;
      assert.ok(served.includes(body.slice(body.indexOf('BEGIN:VTODO'))), 'unchanged rows serve the bytes');
      // The legacy UI completes the task.
      await db.exec(
        `UPDATE tasks SET state = 2, percent = 100, done_at = '2026-06-04 18:30:00', version = version + 1 WHERE uid = 'task-1'`,
      );
      const got = (await t.request('GET', `${TASKS}report.ics`)).text;
      assert.match(got, /BEGIN:VTODO/);
      assert.match(got, /STATUS:COMPLETED/);
      assert.match(got, /PERCENT-COMPLETE:100/);
      assert.match(got, /COMPLETED:20260604T163000Z/, 'COMPLETED is UTC (RFC 5545 §3.8.2.1)');
      assert.match(got, /DUE;TZID=Europe\/Berlin:20260605T170000/);
      assert.match(got, /DTSTART;TZID=Europe\/Berlin:20260601T090000/);
      assert.match(got, /PRIORITY:1/);
      assert.match(got, /X-APPLE-SORT-ORDER:7/);
      assert.match(got, /BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Due soon\r\nTRIGGER;RELATED=END:-PT1H/);
      // A client cancels it; no DTSTART/DUE (both optional) → NULL columns.
      const cancel = vtodo(['UID:task-1', 'SUMMARY:Write report', 'STATUS:CANCELLED', 'COMPLETED:20260606T080000Z']);
      assert.equal((await put(`${TASKS}report.ics`, cancel)).status, 204);
      const c = await row('task-1');
      assert.deepEqual([Number(c.state), c.start_on, c.due_at, c.prio], [3, null, null, null]);
      assert.match(String(c.done_at instanceof Date ? c.done_at.toString() : c.done_at), /10:00:00/);
      const bad = await put(`${TASKS}x.ics`, vtodo(['UID:x', 'STATUS:DELEGATED']));
      assert.equal(bad.status, 403, 'a STATUS outside the map is refused');
    } finally {
      await db.close();
    }
  });

  for (const feed of ['modified', 'triggers'] as const) {
    it(`RFC 6578 §3.5 (${feed} feed): legacy task inserts, completions and soft-deletes are the next delta`, async () => {
      const { db, t, put } = await setup(feed);
      try {
        const sync = async (token: string) => {
          const r = await t.request('REPORT', TASKS, { body: SYNC(token), headers: { Depth: '0' } });
          assert.equal(r.status, 207, r.text);
          const ms = parseMultistatus(r.text);
          return { ms, token: textOf(child(ms.root, '{DAV:}sync-token' as never) as never).trim() };
        };
        assert.equal((await put(`${TASKS}dav.ics`, vtodo(['UID:dav-1', 'SUMMARY:From DAV']))).status, 201);
        await db.exec(INSERT, ['keep', 'Keep', nowLocal()]);
        await db.exec(INSERT, ['finish', 'Finish me', nowLocal()]);
        await db.exec(INSERT, ['drop', 'Drop me', nowLocal()]);
        const first = await sync('');
        assert.equal(first.ms.responses.length, 4);
        // An appointment written meanwhile is not a change of the tasks collection.
        await db.exec(
          `INSERT INTO appointments (owner, uid, title, starts_at, ends_at, deleted, modified)
             VALUES ('alice', 'appt', 'A', '2026-05-04 09:00:00', '2026-05-04 10:00:00', 0, ?)`,
          [nowLocal()],
        );
        await db.exec(INSERT, ['new', 'New', nowLocal()]);
        await db.exec(
          `UPDATE tasks SET state = 2, percent = 100, done_at = ?, modified = ?, version = version + 1 WHERE uid = 'finish'`,
          [nowLocal(), nowLocal()],
        );
        await db.exec(`UPDATE tasks SET deleted = 1, modified = ? WHERE uid = 'drop'`, [nowLocal()]);
        const delta = await sync(first.token);
        const id = async (uid: string) =>
          String((await sql<{ id: unknown }>`SELECT id FROM tasks WHERE uid = ${uid}`.execute(db.conn.db)).rows[0].id);
        const href = async (uid: string) => `${TASKS}${await id(uid)}.ics`;
        assert.deepEqual(
          [...delta.ms.byHref.keys()].sort(),
          [await href('drop'), await href('finish'), await href('new')].sort(),
        );
        assert.equal(delta.ms.byHref.get(await href('drop'))?.status, 404);
        assert.match((await t.request('GET', await href('finish'))).text, /STATUS:COMPLETED/);
        assert.equal((await sync(delta.token)).ms.responses.length, 0, 'no change → empty delta');
      } finally {
        await db.close();
      }
    });
  }
});
