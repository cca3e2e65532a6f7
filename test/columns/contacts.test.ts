// Issue 5 acceptance, third entity of the worked example: the legacy `contacts` table with its e-mail and
// phone tables served as an address book (RFC 6352) through the app on SQLite, PostgreSQL and MariaDB:
// discovery, addressbook-multiget, addressbook-query on EMAIL, a vCard with PHOTO and X-properties read back
// intact, the legacy UI's inserts, updates and soft-deletes as exactly the next sync-collection delta, and
// 412 for a DAV write over a concurrent legacy edit.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { formatNaive, utcToNaive } from '../../adapters/sql/columns/local-time.ts';
import { child, parseMultistatus, textOf } from '../support/xml-assert.ts';
import { onEachServer } from './databases.ts';
import { legacyApp } from './legacy-app.ts';
import { contactMapping, entities } from './legacy-schema.ts';

const BOOK = '/dav/addressbooks/alice/contacts/';
const CARD_NS = 'urn:ietf:params:xml:ns:carddav';
const all = [...entities, contactMapping];
const card = (lines: string[]) => ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n');
const JANE = card([
  'VERSION:4.0',
  'UID:jane',
  'FN:Jane Doe',
  'N:Doe;Jane;;;',
  'ORG:Acme',
  'EMAIL;TYPE=work;PREF=1:jane@acme.example',
  'TEL;TYPE=cell:+49 170 1234567',
  'PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'X-SOCIAL-PROFILE;TYPE=mastodon:https://example.social/@jane',
  'item1.X-ABLABEL:Assistant',
]);
const BOB = card(['VERSION:3.0', 'UID:bob', 'FN:Bob Roe', 'N:Roe;Bob;;;', 'EMAIL;TYPE=INTERNET,HOME:bob@home.example']);
const SYNC = (token: string) =>
  `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
const MULTIGET = (hrefs: string[]) =>
  `<?xml version="1.0"?><c:addressbook-multiget xmlns:d="DAV:" xmlns:c="${CARD_NS}"><d:prop><d:getetag/><c:address-data/></d:prop>${hrefs.map((h) => `<d:href>${h}</d:href>`).join('')}</c:addressbook-multiget>`;
const QUERY = (text: string) =>
  `<?xml version="1.0"?><c:addressbook-query xmlns:d="DAV:" xmlns:c="${CARD_NS}"><d:prop><d:getetag/></d:prop><c:filter><c:prop-filter name="EMAIL"><c:text-match collation="i;unicode-casemap" match-type="contains">${text}</c:text-match></c:prop-filter></c:filter></c:addressbook-query>`;
const nowLocal = () => formatNaive(utcToNaive('Europe/Berlin', Date.now()));
const INSERT = `INSERT INTO contacts (owner, uid, display_name, last_name, first_name, deleted, modified, version)
  VALUES ('alice', ?, ?, ?, 'Legacy', 0, ?, 1)`;

onEachServer(`columns contacts (VCARD)`, (server) => {
  async function setup(feed: 'modified' | 'triggers') {
    const { db, t } = await legacyApp(server(), all, feed);
    const put = (path: string, body: string, headers: Record<string, string> = {}) =>
      t.request('PUT', path, { body, headers: { 'Content-Type': 'text/vcard', ...headers } });
    const id = async (uid: string) =>
      String((await sql<{ id: unknown }>`SELECT id FROM contacts WHERE uid = ${uid}`.execute(db.conn.db)).rows[0].id);
    return { db, t, put, id };
  }

  it('RFC 6352 §6.2, §8.7, §8.6: discovery, multiget, EMAIL text-match; PHOTO and X-properties intact', async () => {
    const { db, t, put } = await setup('triggers');
    try {
      const home = await t.request('PROPFIND', '/dav/addressbooks/alice/', {
        body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:displayname/></d:prop></d:propfind>',
        headers: { Depth: '1' },
      });
      assert.equal(home.status, 207);
      const book = parseMultistatus(home.text).byHref.get(BOOK);
      assert.ok(book, home.text);
      assert.match(
        home.text,
        new RegExp(`<[a-zA-Z0-9]*:?addressbook xmlns(:[a-zA-Z0-9]+)?="${CARD_NS}"|addressbook/>`),
      );
      assert.equal((await put(`${BOOK}jane.vcf`, JANE)).status, 201);
      assert.equal((await put(`${BOOK}bob.vcf`, BOB)).status, 201);
      assert.equal((await t.request('GET', `${BOOK}jane.vcf`)).text, JANE, 'PHOTO, X-props, groups intact');
      assert.equal((await t.request('GET', `${BOOK}bob.vcf`)).text, BOB, 'a 3.0 card comes back as sent');
      const listing = await t.request('PROPFIND', BOOK, {
        body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>',
        headers: { Depth: '1' },
      });
      assert.deepEqual([...parseMultistatus(listing.text).byHref.keys()].sort(), [
        BOOK,
        `${BOOK}bob.vcf`,
        `${BOOK}jane.vcf`,
      ]);
      // The legacy UI edits Jane: the 4.0 rendering keeps PHOTO and the X-properties.
      await db.exec("UPDATE contacts SET company = 'Acme Corp', version = version + 1 WHERE uid = 'jane'");
      const mg = await t.request('REPORT', BOOK, {
        body: MULTIGET([`${BOOK}jane.vcf`, `${BOOK}bob.vcf`]),
        headers: { Depth: '0' },
      });
      assert.equal(mg.status, 207);
      const ms = parseMultistatus(mg.text);
      const data = (href: string) => textOf(ms.byHref.get(href)?.props.get(`{${CARD_NS}}address-data`)?.el as never);
      const jane = data(`${BOOK}jane.vcf`);
      assert.match(jane, /ORG:Acme Corp/);
      assert.match(jane, /PHOTO:data:image\/png;base64,iVBORw0KGgo/);
      assert.match(jane, /X-SOCIAL-PROFILE;TYPE=mastodon:https:\/\/example\.social\/@jane/);
      assert.match(jane, /ITEM1\.X-ABLABEL:Assistant/i);
      assert.match(jane, /EMAIL;TYPE=work;PREF=1:jane@acme\.example/);
      assert.match(data(`${BOOK}bob.vcf`), /bob@home\.example/);
      const q = await t.request('REPORT', BOOK, { body: QUERY('ACME.example'), headers: { Depth: '1' } });
      assert.equal(q.status, 207);
      assert.deepEqual([...parseMultistatus(q.text).byHref.keys()], [`${BOOK}jane.vcf`]);
    } finally {
      await db.close();
    }
  });

  for (const feed of ['modified', 'triggers'] as const) {
    it(`RFC 6578 §3.5 (${feed} feed): legacy inserts, updates and soft-deletes are exactly the next delta`, async () => {
      const { db, t, put, id } = await setup(feed);
      try {
        const sync = async (token: string) => {
          const r = await t.request('REPORT', BOOK, { body: SYNC(token), headers: { Depth: '0' } });
          assert.equal(r.status, 207, r.text);
          const ms = parseMultistatus(r.text);
          return { ms, token: textOf(child(ms.root, '{DAV:}sync-token' as never) as never).trim() };
        };
        assert.equal((await put(`${BOOK}jane.vcf`, JANE)).status, 201);
        await db.exec(INSERT, ['keep', 'Keep Me', 'Keep', nowLocal()]);
        await db.exec(INSERT, ['edit', 'Edit Me', 'Edit', nowLocal()]);
        await db.exec(INSERT, ['drop', 'Drop Me', 'Drop', nowLocal()]);
        const first = await sync('');
        assert.equal(first.ms.responses.length, 4);
        await db.exec(INSERT, ['new', 'New One', 'New', nowLocal()]);
        await db.exec(
          `INSERT INTO contact_emails (contact_id, address, kind, is_primary) VALUES (?, 'e@x.example', 'W', 1)`,
          [Number(await id('edit'))],
        );
        await db.exec(
          `UPDATE contacts SET job_title = 'Boss', modified = ?, version = version + 1 WHERE uid = 'edit'`,
          [nowLocal()],
        );
        await db.exec(`UPDATE contacts SET deleted = 1, modified = ? WHERE uid = 'drop'`, [nowLocal()]);
        const delta = await sync(first.token);
        const href = async (uid: string) => `${BOOK}${await id(uid)}.vcf`;
        assert.deepEqual(
          [...delta.ms.byHref.keys()].sort(),
          [await href('drop'), await href('edit'), await href('new')].sort(),
        );
        assert.equal(delta.ms.byHref.get(await href('drop'))?.status, 404);
        const edited = (await t.request('GET', await href('edit'))).text;
        assert.match(edited, /TITLE:Boss/);
        assert.match(edited, /EMAIL;TYPE=work;PREF=1:e@x\.example/);
        assert.equal((await sync(delta.token)).ms.responses.length, 0, 'no change → empty delta');
      } finally {
        await db.close();
      }
    });
  }

  it('RFC 9110 §13.1.1: a PUT over a concurrent legacy edit → 412, the legacy edit stays', async () => {
    const { db, t, put } = await setup('triggers');
    try {
      const created = await put(`${BOOK}jane.vcf`, JANE);
      assert.equal(created.status, 201);
      const etag = (await t.request('GET', `${BOOK}jane.vcf`)).headers.get('etag') ?? '';
      assert.ok(etag);
      await db.exec("UPDATE contacts SET notes = 'legacy note', version = version + 1 WHERE uid = 'jane'");
      const stale = await put(`${BOOK}jane.vcf`, JANE.replace('FN:Jane Doe', 'FN:Jane Stale'), { 'If-Match': etag });
      assert.equal(stale.status, 412);
      const r = (await sql<Record<string, unknown>>`SELECT * FROM contacts WHERE uid = 'jane'`.execute(db.conn.db))
        .rows[0];
      assert.deepEqual([r.display_name, r.notes], ['Jane Doe', 'legacy note']);
      const fresh = (await t.request('GET', `${BOOK}jane.vcf`)).headers.get('etag') ?? '';
      const ok = await put(`${BOOK}jane.vcf`, JANE.replace('FN:Jane Doe', 'FN:Jane Fresh'), { 'If-Match': fresh });
      assert.equal(ok.status, 204);
    } finally {
      await db.close();
    }
  });
});
