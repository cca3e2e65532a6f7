// Test fixture: rows written with plain SQL exactly as SabreDAV's PDO backends (and Baïkal's user admin)
// write them — a principal, a user with a digest A1, a calendar (calendars + calendarinstances) with a
// plain event, a recurring event and a VTODO, an address book with two cards, and the change rows and
// synctoken counters that history leaves (including an object created and deleted again). Derived columns
// are spelled out here as literal numbers, not computed by the code under test.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { SqlConnection } from '../query/connect.ts';

const md5 = (s: string | Uint8Array) => createHash('md5').update(s).digest('hex');
const ics = (...lines: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Sabre//Sabre VObject 4.5.0//EN',
    'CALSCALE:GREGORIAN',
    ...lines,
    'END:VCALENDAR',
    '',
  ].join('\r\n');

export const SABRE_OBJECTS = {
  'meeting.ics': {
    data: ics(
      'BEGIN:VEVENT',
      'UID:meeting-1',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T100000Z',
      'DTEND:20260105T110000Z',
      'SUMMARY:Planning (edited in Baïkal)',
      'END:VEVENT',
    ),
    componenttype: 'VEVENT',
    first: Date.UTC(2026, 0, 5, 10) / 1000,
    last: Date.UTC(2026, 0, 5, 11) / 1000,
    uid: 'meeting-1',
  },
  'weekly.ics': {
    data: ics(
      'BEGIN:VEVENT',
      'UID:weekly-1',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260106T090000Z',
      'DTEND:20260106T093000Z',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'SUMMARY:Stand-up',
      'END:VEVENT',
    ),
    componenttype: 'VEVENT',
    first: Date.UTC(2026, 0, 6, 9) / 1000,
    last: Date.UTC(2026, 0, 27, 9, 30) / 1000,
    uid: 'weekly-1',
  },
  'task.ics': {
    data: ics(
      'BEGIN:VTODO',
      'UID:task-1',
      'DTSTAMP:20260101T000000Z',
      'SUMMARY:Write report',
      'DUE:20260110T170000Z',
      'END:VTODO',
    ),
    componenttype: 'VTODO',
    first: null,
    last: null,
    uid: 'task-1',
  },
} as const;

export const SABRE_CARDS = {
  'jane.vcf': [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'UID:jane-1',
    'FN:Jane Doe',
    'N:Doe;Jane;;;',
    'EMAIL:jane@example.com',
    'END:VCARD',
    '',
  ].join('\r\n'),
  'max.vcf': [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'UID:max-1',
    'FN:Max Mustermann',
    'N:Mustermann;Max;;;',
    'END:VCARD',
    '',
  ].join('\r\n'),
} as const;

export interface SabreSeed {
  calendarId: number;
  addressbookId: number;
  /** calendars.synctoken after the history below (SabreDAV's token "now"). */
  calendarSynctoken: number;
  addressbookSynctoken: number;
}

async function id(conn: SqlConnection, table: string, where: string): Promise<number> {
  const r = await sql.raw<{ id: unknown }>(`SELECT id FROM ${table} WHERE ${where}`).execute(conn.db);
  return Number(r.rows[0].id);
}

/** Binds a body as SabreDAV's PDO does: a string on SQLite, bytes elsewhere. */
const blob = (conn: SqlConnection, s: string) => (conn.dialect === 'sqlite' ? s : Buffer.from(s, 'utf8'));

export async function seedAsSabre(conn: SqlConnection, owner = 'alice', lastmodified = 1767225600): Promise<SabreSeed> {
  const db = conn.db;
  const p = `principals/${owner}`;
  await sql`INSERT INTO principals (uri, email, displayname) VALUES (${p}, ${`${owner}@example.com`}, ${'Alice Example'})`.execute(
    db,
  );
  await sql`INSERT INTO principals (uri, email, displayname) VALUES (${`${p}/calendar-proxy-read`}, NULL, NULL)`.execute(
    db,
  );
  await sql`INSERT INTO principals (uri, email, displayname) VALUES (${`${p}/calendar-proxy-write`}, NULL, NULL)`.execute(
    db,
  );
  await sql`INSERT INTO users (username, digesta1) VALUES (${owner}, ${md5(`${owner}:BaikalDAV:${owner}-secret`)})`.execute(
    db,
  );

  // createCalendar: calendars (synctoken 1, components), then the owner's instance.
  await sql`INSERT INTO calendars (synctoken, components) VALUES (1, ${'VEVENT,VTODO'})`.execute(db);
  const calendarId = await id(conn, 'calendars', '1=1 ORDER BY id DESC LIMIT 1');
  await sql`INSERT INTO calendarinstances (calendarid, principaluri, uri, transparent, displayname, calendarcolor, calendarorder, description)
    VALUES (${calendarId}, ${p}, ${'default'}, 0, ${'Default calendar'}, ${'#2E7D32FF'}, 1, ${'Baïkal default'})`.execute(
    db,
  );

  // History (addChange after each write): create meeting, weekly, task; modify meeting; create and delete gone.ics.
  const history: [string, 1 | 2 | 3][] = [
    ['meeting.ics', 1],
    ['weekly.ics', 1],
    ['task.ics', 1],
    ['meeting.ics', 2],
    ['gone.ics', 1],
    ['gone.ics', 3],
  ];
  for (const [uri, operation] of history) {
    await sql`INSERT INTO calendarchanges (uri, synctoken, calendarid, operation) SELECT ${uri}, synctoken, ${calendarId}, ${operation} FROM calendars WHERE id = ${calendarId}`.execute(
      db,
    );
    await sql`UPDATE calendars SET synctoken = synctoken + 1 WHERE id = ${calendarId}`.execute(db);
  }
  for (const [uri, o] of Object.entries(SABRE_OBJECTS)) {
    await sql`INSERT INTO calendarobjects (calendarid, uri, calendardata, lastmodified, etag, size, componenttype, firstoccurence, lastoccurence, uid)
      VALUES (${calendarId}, ${uri}, ${blob(conn, o.data)}, ${lastmodified}, ${md5(o.data)}, ${Buffer.byteLength(o.data)}, ${o.componenttype}, ${o.first}, ${o.last}, ${o.uid})`.execute(
      db,
    );
  }

  // createAddressBook, then two cards (createCard + addChange 1 each).
  await sql`INSERT INTO addressbooks (uri, displayname, description, principaluri, synctoken) VALUES (${'default'}, ${'Default Address Book'}, ${'Default Address Book for Alice'}, ${p}, 1)`.execute(
    db,
  );
  const addressbookId = await id(conn, 'addressbooks', `uri = 'default'`);
  for (const [uri, data] of Object.entries(SABRE_CARDS)) {
    await sql`INSERT INTO cards (carddata, uri, lastmodified, addressbookid, size, etag) VALUES (${blob(conn, data)}, ${uri}, ${lastmodified}, ${addressbookId}, ${Buffer.byteLength(data)}, ${md5(data)})`.execute(
      db,
    );
    await sql`INSERT INTO addressbookchanges (uri, synctoken, addressbookid, operation) SELECT ${uri}, synctoken, ${addressbookId}, 1 FROM addressbooks WHERE id = ${addressbookId}`.execute(
      db,
    );
    await sql`UPDATE addressbooks SET synctoken = synctoken + 1 WHERE id = ${addressbookId}`.execute(db);
  }
  return { calendarId, addressbookId, calendarSynctoken: 7, addressbookSynctoken: 3 };
}
