// Contacts (component VCARD) of the columns profile on SQLite, at the backend port: vCard 4.0 and 3.0 in,
// columns and child rows normalised, extras and overlays kept, 4.0 rendered from rows once the legacy UI
// edits them (RFC 6350; RFC 2426 for 3.0 input).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Backend } from '../../../src/backend/port.ts';
import type { CollectionRef } from '../../../src/backend/types.ts';
import { type Db, SERVERS, type Server } from '../../../test/columns/databases.ts';
import { contactMapping, createLegacySchema } from '../../../test/columns/legacy-schema.ts';
import { createColumnsBackend } from './index.ts';
import { parseColumnsMapping } from './mapping.ts';

const REF: CollectionRef = { owner: 'alice', home: 'addressbooks', id: 'contacts' };
const enc = new TextEncoder();
const card = (lines: string[]) => ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n');
const vcf = (body: string) => ({ body: enc.encode(body), contentType: 'text/vcard; charset=utf-8' });
const V4 = card([
  'VERSION:4.0',
  'UID:c1',
  'FN:Jane Q. Doe',
  'N:Doe;Jane;Q.;Dr.;',
  'ORG:Acme\\, Inc.;Sales',
  'TITLE:Engineer',
  'BDAY:19850412',
  'EMAIL;TYPE=work;PREF=1:jane@acme.example',
  'EMAIL;TYPE=home;X-LABEL=private:jane@home.example',
  'TEL;TYPE=cell:+49 170 1234567',
  'ADR;TYPE=home:;;1 Main St;Springfield;ST;12345;USA',
  'PHOTO:data:image/png;base64,iVBORw0KGgo=',
  'X-SOCIAL;TYPE=mastodon:@jane@example.social',
]);

const sqlite = SERVERS[0];
describe('columns contacts (VCARD) on SQLite', () => {
  let server: Server;
  let db: Db;
  let b: Backend;
  before(async () => {
    server = await sqlite.start();
    db = await server.fresh();
    await createLegacySchema(db.conn);
    b = await createColumnsBackend(db.conn, contactMapping, { id: 'contacts' });
  });
  after(async () => {
    await db?.close();
    await server?.stop();
  });
  const row = async (uid: string) =>
    (await sql<Record<string, unknown>>`SELECT * FROM contacts WHERE uid = ${uid}`.execute(db.conn.db)).rows[0];
  const children = async (table: string, id: unknown) =>
    (
      await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} WHERE contact_id = ${id} ORDER BY 2`.execute(
        db.conn.db,
      )
    ).rows.map((r) => ({ ...r, contact_id: undefined }));
  const get = async (name: string) => new TextDecoder().decode((await b.getObjects(REF, [name]))[0]?.body);

  it('the address book is in the addressbooks home only', async () => {
    assert.deepEqual(
      (await b.listCollections('alice', 'addressbooks')).map((c) => [c.ref.id, c.kind]),
      [['contacts', 'addressbook']],
    );
    assert.deepEqual(await b.listCollections('alice', 'calendars'), []);
  });

  it('RFC 6350: a 4.0 card lands in columns and typed child rows; the client bytes come back', async () => {
    const put = await b.putObject(REF, 'jane.vcf', vcf(V4), {});
    assert.equal(put.created, true);
    const r = await row('c1');
    assert.deepEqual(
      [r.display_name, r.last_name, r.first_name, r.middle_name, r.name_prefix, r.company, r.job_title, r.birthday],
      ['Jane Q. Doe', 'Doe', 'Jane', 'Q.', 'Dr.', 'Acme, Inc.', 'Engineer', '1985-04-12'],
    );
    assert.deepEqual(
      [r.street, r.city, r.region, r.zip, r.country],
      ['1 Main St', 'Springfield', 'ST', '12345', 'USA'],
    );
    assert.deepEqual(await children('contact_emails', r.id), [
      { contact_id: undefined, address: 'jane@acme.example', kind: 'W', is_primary: 1 },
      { contact_id: undefined, address: 'jane@home.example', kind: 'H', is_primary: 0 },
    ]);
    assert.deepEqual(await children('contact_phones', r.id), [
      { contact_id: undefined, number: '+49 170 1234567', kind: 'M', is_primary: 0 },
    ]);
    assert.match(String(r.vcard_extra), /PHOTO:data:image\/png;base64,iVBORw0KGgo=/);
    assert.match(String(r.vcard_extra), /X-SOCIAL;TYPE=mastodon:@jane@example.social/);
    assert.equal(await get('jane.vcf'), V4);
  });

  it('a legacy edit is served as a 4.0 rendering that keeps PHOTO, X-props and extra EMAIL params', async () => {
    await db.exec("UPDATE contacts SET job_title = 'CTO', version = version + 1 WHERE uid = 'c1'");
    const text = await get('jane.vcf');
    assert.match(text, /^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    assert.match(text, /\r\nTITLE:CTO\r\n/);
    assert.match(text, /\r\nORG:Acme\\, Inc\.;Sales\r\n/, 'ORG units kept while the name column is unchanged');
    assert.match(text, /\r\nEMAIL;TYPE=home;X-LABEL=private:jane@home\.example\r\n/);
    assert.match(text, /\r\nEMAIL;TYPE=work;PREF=1:jane@acme\.example\r\n/);
    assert.match(text, /\r\nPHOTO:data:image\/png;base64,iVBORw0KGgo=\r\n/);
    assert.match(text, /\r\nBDAY:19850412\r\n/);
    await db.exec("UPDATE contact_emails SET kind = 'O' WHERE address = 'jane@home.example'");
    const after = await get('jane.vcf');
    assert.match(after, /\r\nEMAIL;TYPE=other:jane@home\.example\r\n/, 'a changed type drops the stale overlay');
  });

  it('RFC 2426: a 3.0 card is stored normalised (TYPE=pref → primary, INTERNET dropped, binary PHOTO → data: URI)', async () => {
    const v3 = card([
      'VERSION:3.0',
      'UID:c3',
      'FN:Old Client',
      'N:Client;Old;;;',
      'EMAIL;TYPE=INTERNET,WORK,pref:old@work.example',
      'TEL;TYPE=HOME:+1 555 0100',
      'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ',
      'X-ABUID:1234',
    ]);
    await b.putObject(REF, 'old.vcf', vcf(v3), {});
    const r = await row('c3');
    assert.deepEqual(await children('contact_emails', r.id), [
      { contact_id: undefined, address: 'old@work.example', kind: 'W', is_primary: 1 },
    ]);
    assert.deepEqual(await children('contact_phones', r.id), [
      { contact_id: undefined, number: '+1 555 0100', kind: 'H', is_primary: 0 },
    ]);
    assert.match(String(r.vcard_extra), /PHOTO:data:image\/jpeg;base64,\/9j\/4AAQ/);
    assert.equal(await get('old.vcf'), v3, 'unchanged rows serve the client bytes');
    await db.exec("UPDATE contacts SET notes = 'met at fair', version = version + 1 WHERE uid = 'c3'");
    const text = await get('old.vcf');
    assert.match(text, /VERSION:4\.0/);
    assert.match(text, /\r\nEMAIL;TYPE=work;PREF=1:old@work\.example\r\n/);
    assert.match(text, /\r\nPHOTO:data:image\/jpeg;base64,\/9j\/4AAQ\r\n/);
    assert.match(text, /\r\nX-ABUID:1234\r\n/);
    assert.match(text, /\r\nNOTE:met at fair\r\n/);
  });

  it('a legacy row without FN is served with FN from N (RFC 6350 §6.2.1)', async () => {
    await db.exec(
      "INSERT INTO contacts (owner, uid, last_name, first_name, deleted, version) VALUES ('alice', 'c9', 'Roe', 'Rick', 0, 1)",
    );
    const [o] = (await b.getObjects(REF, [(await b.findByUid?.(REF, 'c9')) ?? ''])) ?? [];
    assert.match(new TextDecoder().decode(o.body), /\r\nFN:Rick Roe\r\nN:Roe;Rick;;;\r\n/);
  });

  it('mapping: a VCARD entity needs `card` and refuses event columns', () => {
    const base = { table: 't', key: { column: 'id' }, scope: { owner: 'o', calendar: { id: 'c' } } };
    const more = { href: { strategy: 'key' }, uid: { column: 'uid' }, time: { zone: 'UTC' } };
    assert.throws(() => parseColumnsMapping({ ...base, ...more, component: 'VCARD' }), /card: a contacts/);
    assert.throws(
      () => parseColumnsMapping({ ...base, ...more, component: 'VCARD', card: {}, start: { column: 's' } }),
      /start: contacts/,
    );
    assert.throws(
      () => parseColumnsMapping({ ...base, ...more, card: {}, start: { column: 's' }, end: { column: 'e' } }),
      /card:/,
    );
  });
});
