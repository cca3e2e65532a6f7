// Acceptance (issue 5, sabredav profile): a database created with SabreDAV's schema and filled the way
// SabreDAV writes it is served through the app — discovery, calendar-multiget, calendar-query with a time
// range, addressbook-query, and sync-collection continuing from SabreDAV's own synctoken — on SQLite,
// PostgreSQL and MariaDB.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { caldav, carddav, dav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../../src/dav/xml/tree.ts';
import { createTestApp } from '../../../test/support/app.ts';
import { parseMultistatus } from '../../../test/support/xml-assert.ts';
import type { SqlConnection, SqlDialectName } from '../query/connect.ts';
import { createSabredavBackend } from './index.ts';
import { SABRE_CARDS, SABRE_OBJECTS, seedAsSabre } from './sabre-fixture.ts';
import { onEachDialect, openSabreDb } from './test-databases.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const CAL = '/dav/calendars/alice/default/';
const BOOK = '/dav/addressbooks/alice/default/';
const syncBody = (token: string) =>
  `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

async function setup(d: SqlDialectName) {
  const conn: SqlConnection = await openSabreDb(d);
  const seed = await seedAsSabre(conn);
  const backend = await createSabredavBackend(conn, {});
  const t = await createTestApp({ wrapBackend: () => backend });
  return { ...t, conn, seed, close: () => conn.close() };
}

onEachDialect(
  (d) => `sabredav profile (${d}): an existing SabreDAV database through the app`,
  (d) => {
    test("RFC 6764/4791 discovery: the principal points to the home, which lists SabreDAV's calendar", async () => {
      const t = await setup(d);
      try {
        const p = await t.request('PROPFIND', '/dav/principals/alice/', {
          headers: { Depth: '0' },
          body: `<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-home-set/></d:prop></d:propfind>`,
        });
        assert.equal(p.status, 207);
        assert.match(p.text, /\/dav\/calendars\/alice\//);
        const home = await t.request('PROPFIND', '/dav/calendars/alice/', {
          headers: { Depth: '1' },
          body: `<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>`,
        });
        const ms = parseMultistatus(home.text);
        const cal = ms.byHref.get(CAL);
        assert.ok(cal, `home lists ${CAL}: ${[...ms.byHref.keys()].join(', ')}`);
        assert.equal(textOf(cal.props.get(dav('displayname'))?.el ?? cal.el), 'Default calendar');
      } finally {
        await t.close();
      }
    });

    test("RFC 4791 §7.9 calendar-multiget: SabreDAV's bytes and md5 etags", async () => {
      const t = await setup(d);
      try {
        const res = await t.request('REPORT', CAL, {
          headers: { Depth: '1' },
          body: `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>
            <d:href>${CAL}meeting.ics</d:href><d:href>${CAL}task.ics</d:href></c:calendar-multiget>`,
        });
        assert.equal(res.status, 207);
        const ms = parseMultistatus(res.text);
        for (const name of ['meeting.ics', 'task.ics'] as const) {
          const r = ms.byHref.get(CAL + name);
          assert.ok(r, name);
          assert.equal(textOf(r.props.get(dav('getetag'))?.el ?? r.el), `"${md5(SABRE_OBJECTS[name].data)}"`);
          assert.equal(
            textOf(r.props.get(caldav('calendar-data'))?.el ?? r.el).replace(/\r?\n/g, '\r\n'),
            SABRE_OBJECTS[name].data,
          );
        }
      } finally {
        await t.close();
      }
    });

    test('RFC 4791 §9.9 calendar-query time-range: the recurring event by its fourth instance only', async () => {
      const t = await setup(d);
      try {
        const res = await t.request('REPORT', CAL, {
          headers: { Depth: '1' },
          body: `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop>
            <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
            <c:time-range start="20260127T000000Z" end="20260128T000000Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
        });
        assert.equal(res.status, 207);
        assert.deepEqual([...parseMultistatus(res.text).byHref.keys()], [`${CAL}weekly.ics`]);
      } finally {
        await t.close();
      }
    });

    test("RFC 6352 §8.6 addressbook-query: SabreDAV's cards filtered by FN", async () => {
      const t = await setup(d);
      try {
        const res = await t.request('REPORT', BOOK, {
          headers: { Depth: '1' },
          body: `<r:addressbook-query xmlns:d="DAV:" xmlns:r="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><r:address-data/></d:prop>
            <r:filter><r:prop-filter name="FN"><r:text-match match-type="contains">jane</r:text-match></r:prop-filter></r:filter></r:addressbook-query>`,
        });
        assert.equal(res.status, 207);
        const ms = parseMultistatus(res.text);
        assert.deepEqual([...ms.byHref.keys()], [`${BOOK}jane.vcf`]);
        const r = ms.byHref.get(`${BOOK}jane.vcf`);
        assert.equal(textOf(r?.props.get(dav('getetag'))?.el ?? ms.root), `"${md5(SABRE_CARDS['jane.vcf'])}"`);
        assert.ok(r?.props.get(carddav('address-data')));
      } finally {
        await t.close();
      }
    });

    test("RFC 6578: a client's SabreDAV token http://sabre.io/ns/sync/4 yields exactly the later changes", async () => {
      const t = await setup(d);
      try {
        // A client that synced against Baïkal holds http://sabre.io/ns/sync/4: changes with synctoken >= 4
        // are meeting.ics modified (4) and gone.ics created (5) and deleted (6).
        const res = await t.request('REPORT', CAL, { body: syncBody('http://sabre.io/ns/sync/4') });
        assert.equal(res.status, 207);
        const ms = parseMultistatus(res.text);
        assert.deepEqual([...ms.byHref.keys()].sort(), [`${CAL}gone.ics`, `${CAL}meeting.ics`]);
        assert.equal(ms.byHref.get(`${CAL}gone.ics`)?.status, 404);
        const meeting = ms.byHref.get(`${CAL}meeting.ics`);
        assert.equal(
          textOf(meeting?.props.get(dav('getetag'))?.el ?? ms.root),
          `"${md5(SABRE_OBJECTS['meeting.ics'].data)}"`,
        );
        // The new token continues: nothing further until SabreDAV (plain SQL) records another change.
        const next = textOf(
          ms.root.children.find((c) => typeof c !== 'string' && c.name === dav('sync-token')) as never,
        );
        assert.ok(next.startsWith('http://davgate.invalid/sync/'), 'from then on davgate tokens');
        const again = await t.request('REPORT', CAL, { body: syncBody(next) });
        assert.equal(parseMultistatus(again.text).responses.length, 0);
        // The same from an address book: SabreDAV's token 2 is after jane.vcf (1), so only max.vcf (2).
        const book = await t.request('REPORT', BOOK, { body: syncBody('http://sabre.io/ns/sync/2') });
        assert.equal(book.status, 207);
        assert.deepEqual([...parseMultistatus(book.text).byHref.keys()], [`${BOOK}max.vcf`]);
      } finally {
        await t.close();
      }
    });

    test('RFC 6578 §3.2: a foreign token nobody adopts, or a SabreDAV token past the counter → 403 valid-sync-token', async () => {
      const t = await setup(d);
      try {
        for (const token of [
          'http://example.com/ns/sync/4',
          'http://sabre.io/ns/sync/8',
          'http://sabre.io/ns/sync/x',
        ]) {
          const res = await t.request('REPORT', CAL, { body: syncBody(token) });
          assert.equal(res.status, 403, token);
          assert.match(res.text, /valid-sync-token/, token);
        }
      } finally {
        await t.close();
      }
    });
  },
);
