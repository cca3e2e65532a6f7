// DAVx5 gets vCard 4 of cards another client stored as vCard 3, and CUTYPE=GROUP attendees as
// INDIVIDUAL: representations of its own, so ETags of its own (quirks Q16/Q19, checklist item 6).
// The tag in getetag (sync-collection, multiget) and in the GET header is the same, it is not the
// tag other clients see, DAVx5's If-Match with it works, and a stale one gets 412.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carddav, dav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { card, event } from '../support/data.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'DAVx5/4.3.16-gplay (2024/04/14; dav4jvm; okhttp/4.12.0) Android/14';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const BOOK = '/dav/addressbooks/alice/contacts/';
const CAL = '/dav/calendars/alice/calendar/';
const VCARD4 = { 'Content-Type': 'text/vcard; charset=utf-8', Accept: 'text/vcard;version=4.0' };

const sync = `<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>`;
const multiget = (href: string) =>
  `<CARD:addressbook-multiget xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><prop><getetag /><CARD:address-data content-type="text/vcard" version="4.0" /></prop><href>${href}</href></CARD:addressbook-multiget>`;

describe('DAVx5: ETags of its own representations (quirks Q16/Q19)', () => {
  it('vCard 3 stored, vCard 4 served: getetag = GET ETag ≠ the stored tag; If-Match with it works, stale is 412', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${BOOK}otto.vcf`, {
      body: card({ uid: 'otto', fn: 'Otto Lind' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const storedTag = (await s.server('GET', `${BOOK}otto.vcf`)).headers.get('etag');
    assert.ok(storedTag);

    const listed = multistatus(await s.send('REPORT', BOOK, { body: sync, headers: { Depth: '0', ...XML } }));
    const tag = textOf(found(responseFor(listed, `${BOOK}otto.vcf`), dav('getetag')));
    assert.notEqual(tag, storedTag, 'its representation is not the one other clients get');
    const mg = multistatus(await s.send('REPORT', BOOK, { body: multiget(`${BOOK}otto.vcf`), headers: XML }));
    const got = responseFor(mg, `${BOOK}otto.vcf`);
    assert.equal(textOf(found(got, dav('getetag'))), tag);
    const data = textOf(found(got, carddav('address-data')));
    assert.match(data, /VERSION:4\.0/);

    const get = await s.send('GET', `${BOOK}otto.vcf`, { headers: { Accept: 'text/vcard;version=4.0' } });
    assert.match(get.text, /VERSION:4\.0/);
    assert.equal(get.headers.get('etag'), tag, 'header and getetag agree (Q16)');
    assert.equal(
      (await s.send('GET', `${BOOK}otto.vcf`, { headers: { 'If-None-Match': tag } })).status,
      304,
      'If-None-Match with its own tag',
    );

    // DAVx5 edits the card it got (vCard 4) with its tag: accepted, and what it sent is what it
    // would get back, so the PUT returns its new tag (davx5-manual: remember the returned ETag).
    const edited = data.replace('FN:Otto Lind', 'FN:Otto Lindqvist');
    const put = await s.send('PUT', `${BOOK}otto.vcf`, { body: edited, headers: { ...VCARD4, 'If-Match': tag } });
    assert.equal(put.status, 204);
    const after = multistatus(await s.send('REPORT', BOOK, { body: multiget(`${BOOK}otto.vcf`), headers: XML }));
    const newTag = textOf(found(responseFor(after, `${BOOK}otto.vcf`), dav('getetag')));
    assert.notEqual(newTag, tag);
    const echoed = put.headers.get('etag');
    if (echoed !== null) assert.equal(echoed, newTag, 'a PUT ETag is the tag of its representation');

    const stale = await s.send('PUT', `${BOOK}otto.vcf`, { body: edited, headers: { ...VCARD4, 'If-Match': tag } });
    assert.equal(stale.status, 412, 'a stale tag of its own representation');
    assert.equal((await s.send('DELETE', `${BOOK}otto.vcf`, { headers: { 'If-Match': tag } })).status, 412);
    assert.equal((await s.send('DELETE', `${BOOK}otto.vcf`, { headers: { 'If-Match': newTag } })).status, 204);
  });

  it('a vCard 4 it wrote comes back byte for byte: the PUT returns the tag its next sync lists', async () => {
    const s = await startSession({ userAgent: UA });
    const body = card({ uid: 'mia', fn: 'Mia Berg', version: '4.0' });
    const put = await s.send('PUT', `${BOOK}mia.vcf`, { body, headers: { ...VCARD4, 'If-None-Match': '*' } });
    assert.equal(put.status, 201);
    const listed = multistatus(await s.send('REPORT', BOOK, { body: sync, headers: { Depth: '0', ...XML } }));
    const tag = textOf(found(responseFor(listed, `${BOOK}mia.vcf`), dav('getetag')));
    assert.equal(put.headers.get('etag'), tag);
    assert.notEqual((await s.server('GET', `${BOOK}mia.vcf`)).headers.get('etag'), tag);
  });

  it('calendar: CUTYPE=GROUP served as INDIVIDUAL still carries an ETag, the one getetag lists', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${CAL}team.ics`, {
      body: event({ uid: 'team', extra: ['ATTENDEE;CUTYPE=GROUP:mailto:team@example.com'] }),
      headers: { 'Content-Type': 'text/calendar' },
    });
    const get = await s.send('GET', `${CAL}team.ics`);
    assert.match(get.text, /CUTYPE=INDIVIDUAL/);
    const tag = get.headers.get('etag');
    assert.ok(tag, 'EDS-style clients fail on a GET without ETag (Q16)');
    const listed = multistatus(await s.send('REPORT', CAL, { body: sync, headers: { Depth: '0', ...XML } }));
    assert.equal(textOf(found(responseFor(listed, `${CAL}team.ics`), dav('getetag'))), tag);
    const put = await s.send('PUT', `${CAL}team.ics`, {
      body: get.text.replace('SUMMARY:Planning', 'SUMMARY:Planning (moved)'),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': tag },
    });
    assert.equal(put.status, 204);
    const stale = await s.send('PUT', `${CAL}team.ics`, {
      body: get.text,
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': tag },
    });
    assert.equal(stale.status, 412);
    assert.match((await s.server('GET', `${CAL}team.ics`)).text, /CUTYPE=GROUP/, 'stored as the group it is');
  });
});
