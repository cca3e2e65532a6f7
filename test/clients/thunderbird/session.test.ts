// Thunderbird 102 (native calendar and CardDAV): the discovery its code performs
// (CalDavProvider.sys.mjs, CardDAVUtils.sys.mjs), first sync with sync-collection + multiget, a
// change, a re-sync; answers read the way Thunderbird reads them (quirks Q04, Q07–Q09, Q18, Q21, Q32).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, calserver, carddav, dav } from '../../../src/dav/xml/names.ts';
import { hrefsIn, textOf } from '../../support/xml-assert.ts';
import {
  assertStrictMultistatus,
  privileges,
  resourceTypes,
  supportedReports,
  thunderbirdDavFeatures,
  thunderbirdFirstStatus,
  thunderbirdWritable,
} from '../support/client-parsers.ts';
import { card, event, eventWithAlarm, invitation } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Thunderbird/102.6.1';
const CALDAV_XML = { 'Content-Type': 'text/xml; charset=utf-8' };
const CARDDAV_XML = { 'Content-Type': 'text/xml' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';

/** CalDavWebDavSyncHandler.doWebDAVSync: namespace-default body, Depth: 1 "for old servers". */
const tbSync = (token: string | undefined) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<sync-collection xmlns="DAV:">${
    token ? `<sync-token>${token}</sync-token>` : '<sync-token/>'
  }<sync-level>1</sync-level><prop><getcontenttype/><getetag/></prop></sync-collection>`;

/** CalDavMultigetSyncHandler.doMultiGet. */
const tbMultiget = (hrefs: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs
    .map((h) => `<D:href>${h}</D:href>`)
    .join('')}</C:calendar-multiget>`;

const syncToken = (text: string): string => {
  const m = /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(text);
  assert.ok(m, 'no sync-token in the answer');
  return m[1];
};

describe('Thunderbird 102 calendar: discovery, sync, change, re-sync', () => {
  it('finds the calendar the way CalDavProvider.detectCollection does', async () => {
    const s = await startSession({ userAgent: UA });
    // Candidates in order: the typed location (here the origin) and /.well-known/caldav.
    for (const candidate of ['/', '/.well-known/caldav']) {
      const r = await s.send('PROPFIND', candidate, {
        body: fixture('thunderbird-caldav-01-detect-propfind.xml'),
        headers: { Depth: '0', ...CALDAV_XML },
      });
      assertStrictMultistatus(r.text, '/');
      const root = responseFor(multistatus(r), candidate);
      assert.deepEqual(hrefsIn(found(root, dav('current-user-principal'))), ['/dav/principals/alice/']);
    }
    // Follows current-user-principal, then calendar-home-set.
    const p = await s.send('PROPFIND', '/dav/principals/alice/', {
      body: fixture('thunderbird-caldav-01-detect-propfind.xml'),
      headers: { Depth: '0', ...CALDAV_XML },
    });
    const principal = responseFor(multistatus(p), '/dav/principals/alice/');
    assert.deepEqual(hrefsIn(found(principal, caldav('calendar-home-set'))), ['/dav/calendars/alice/']);
    // Depth 1 on the home: keeps children whose resourcetype has C:calendar.
    const h = await s.send('PROPFIND', '/dav/calendars/alice/', {
      body: fixture('thunderbird-caldav-01-detect-propfind.xml'),
      headers: { Depth: '1', ...CALDAV_XML },
    });
    assertStrictMultistatus(h.text);
    const cal = responseFor(multistatus(h), CAL);
    assert.ok(resourceTypes(found(cal, dav('resourcetype'))).includes(caldav('calendar')));
    assert.ok(thunderbirdWritable(found(cal, dav('current-user-privilege-set'))), 'TB would mark it read-only');
    assert.equal(textOf(found(cal, dav('displayname'))), 'Calendar');
  });

  it('starts the calendar (check PROPFIND + OPTIONS on the home), syncs, changes, re-syncs', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${CAL}existing.ics`, {
      body: event({ uid: 'existing' }),
      headers: { 'Content-Type': 'text/calendar' },
    });

    // checkDavResourceType: a 4xx would disable the calendar; supported-report-set decides webdav-sync.
    const check = await s.send('PROPFIND', CAL, {
      body: fixture('thunderbird-caldav-02-calendar-check-propfind.xml'),
      headers: { Depth: '0', ...CALDAV_XML },
    });
    assertStrictMultistatus(check.text);
    const c = responseFor(multistatus(check), CAL);
    assert.ok(supportedReports(found(c, dav('supported-report-set'))).includes(dav('sync-collection')));
    assert.ok(found(c, calserver('getctag')));
    assert.ok(thunderbirdWritable(found(c, dav('current-user-privilege-set'))));
    // checkServerCaps: OPTIONS on the parent; features = DAV header minus its first token.
    const opt = await s.send('OPTIONS', '/dav/calendars/alice/');
    assert.equal(opt.status, 200, 'Xandikos: Thunderbird fails on 204');
    const features = thunderbirdDavFeatures(opt.headers.get('dav'));
    assert.ok(features.has('calendar-access'));
    assert.ok(!features.has('calendar-auto-schedule'), 'no scheduling advertised that is not served');

    // First sync: sync-collection (Depth: 1), then a multiget of what is new.
    const first = await s.send('REPORT', CAL, { body: tbSync(undefined), headers: { Depth: '1', ...CALDAV_XML } });
    assertStrictMultistatus(first.text);
    const item = responseFor(multistatus(first), `${CAL}existing.ics`);
    assert.match(textOf(found(item, dav('getcontenttype'))), /^text\/calendar/, 'TB keeps only text/calendar items');
    const token1 = syncToken(first.text);
    const mg = await s.send('REPORT', CAL, {
      body: tbMultiget([`${CAL}existing.ics`]),
      headers: { Depth: '1', ...CALDAV_XML },
    });
    assert.match(
      textOf(found(responseFor(multistatus(mg), `${CAL}existing.ics`), caldav('calendar-data'))),
      /UID:existing/,
    );

    // A change: a new event (doAdoptItem: If-None-Match: *), then TB re-fetches it.
    const put = await s.send('PUT', `${CAL}new-1.ics`, {
      body: event({ uid: 'new-1', prodid: '-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN' }),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    await s.server('DELETE', `${CAL}existing.ics`);

    // Re-sync: the new item, and the deleted one as a response-level " 404" status.
    const again = await s.send('REPORT', CAL, { body: tbSync(token1), headers: { Depth: '1', ...CALDAV_XML } });
    assertStrictMultistatus(again.text);
    const ms = multistatus(again);
    assert.ok(responseFor(ms, `${CAL}new-1.ics`).props.get(dav('getetag')));
    assert.ok((responseFor(ms, `${CAL}existing.ics`).status ?? 0) === 404);
    assert.notEqual(syncToken(again.text), token1);
  });

  it('quirks Q18: accepting an invitation before sync updates the stored invitation (no duplicate, reply kept)', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${CAL}server-named.ics`, {
      body: invitation('invite-42', 'NEEDS-ACTION'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    // TB PUTs its accepted copy to a guessed name with If-None-Match: *.
    const r = await s.send('PUT', `${CAL}invite-42.ics`, {
      body: invitation('invite-42', 'ACCEPTED'),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('etag'), null, 'the bytes live at another URL; TB re-fetches');
    const list = multistatus(
      await s.send('REPORT', CAL, { body: tbSync(undefined), headers: { Depth: '1', ...CALDAV_XML } }),
    );
    assert.deepEqual(
      list.responses.map((x) => x.href),
      [`${CAL}server-named.ics`],
      'exactly one copy of the event',
    );
    const stored = await s.server('GET', `${CAL}server-named.ics`);
    assert.match(stored.text, /PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:alice@example\.com/);
  });

  it('quirks Q18: an unknown client gets the standard 403 no-uid-conflict for the same request', async () => {
    const s = await startSession({ userAgent: 'SomeOtherClient/1.0' });
    await s.server('PUT', `${CAL}server-named.ics`, {
      body: invitation('invite-7', 'NEEDS-ACTION'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    const r = await s.send('PUT', `${CAL}invite-7.ics`, {
      body: invitation('invite-7', 'ACCEPTED'),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(r.status, 403);
    assert.match(r.text, /no-uid-conflict/);
  });

  it('quirks Q32: dismissing a reminder on a read-only calendar succeeds without writing; real edits still fail', async () => {
    const s = await startSession({ userAgent: UA });
    const ref = { owner: 'alice', home: 'calendars' as const, id: 'birthdays' };
    await s.t.backend.seedCollection(ref, 'calendar', { displayName: 'Birthdays' }, true);
    const original = eventWithAlarm('bday-carol');
    await s.t.backend.seedObject(ref, 'carol.ics', {
      body: new TextEncoder().encode(original),
      contentType: 'text/calendar',
      uid: 'bday-carol',
    });
    const url = '/dav/calendars/alice/birthdays/carol.ics';
    const etag = (await s.server('GET', url)).headers.get('etag') ?? '';

    const check = multistatus(
      await s.send('PROPFIND', '/dav/calendars/alice/birthdays/', {
        body: fixture('thunderbird-caldav-02-calendar-check-propfind.xml'),
        headers: { Depth: '0', ...CALDAV_XML },
      }),
    );
    const cups = found(responseFor(check, '/dav/calendars/alice/birthdays/'), dav('current-user-privilege-set'));
    assert.deepEqual(privileges(cups).sort(), ['read', 'read-current-user-privilege-set']);

    // Thunderbird's re-upload: its own serialisation plus X-MOZ-LASTACK / X-MOZ-GENERATION.
    const dismissed = eventWithAlarm('bday-carol', ['X-MOZ-LASTACK:20260310T094500Z', 'X-MOZ-GENERATION:1']).replace(
      '-//davgate tests//client session//EN',
      '-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN',
    );
    const ack = await s.send('PUT', url, {
      body: dismissed,
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': etag },
    });
    assert.equal(ack.status, 204);
    assert.equal((await s.server('GET', url)).text, original, 'nothing was written');

    const edit = await s.send('PUT', url, {
      body: original.replace('Birthday: Carol', 'Carol (moved)'),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': etag },
    });
    assert.equal(edit.status, 403);
  });
});

describe('Thunderbird 102 address book: discovery, sync, change, re-sync', () => {
  it('discovers the address book (CardDAVUtils.detectAddressBooks) with exact 200 OK status lines', async () => {
    const s = await startSession({ userAgent: UA });
    const typed = await s.send('PROPFIND', '/', {
      body: fixture('thunderbird-carddav-01-discovery-propfind.xml'),
      headers: { Depth: '0', ...CARDDAV_XML },
    });
    assert.equal(typed.status, 207, 'TB requires 207');
    const wk = await s.send('PROPFIND', '/.well-known/carddav', {
      body: '<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>',
      headers: { Depth: '0', ...CARDDAV_XML },
    });
    assert.deepEqual(
      hrefsIn(found(responseFor(multistatus(wk), '/.well-known/carddav'), dav('current-user-principal'))),
      ['/dav/principals/alice/'],
    );
    const p = await s.send('PROPFIND', '/dav/principals/alice/', {
      body: '<propfind xmlns="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><prop><card:addressbook-home-set/></prop></propfind>',
      headers: { Depth: '0', ...CARDDAV_XML },
    });
    assert.deepEqual(
      hrefsIn(found(responseFor(multistatus(p), '/dav/principals/alice/'), carddav('addressbook-home-set'))),
      ['/dav/addressbooks/alice/'],
    );
    const h = await s.send('PROPFIND', '/dav/addressbooks/alice/', {
      body: '<propfind xmlns="DAV:"><prop><resourcetype/><displayname/><current-user-privilege-set/></prop></propfind>',
      headers: { Depth: '1', ...CARDDAV_XML },
    });
    const root = assertStrictMultistatus(h.text);
    const book = multistatus(h).byHref.get(BOOK);
    assert.ok(book);
    assert.equal(thunderbirdFirstStatus(book.el), 'HTTP/1.1 200 OK', 'r.querySelector("status") must be 200 OK');
    assert.ok(resourceTypes(found(book, dav('resourcetype'))).includes(carddav('addressbook')));
    assert.ok(privileges(found(book, dav('current-user-privilege-set'))).includes('write'));
    assert.ok(root);
  });

  it('syncs (Depth: 1), PUTs a card without precondition, re-syncs; an invalid token is 400 (quirks Q21)', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${BOOK}jane.vcf`, {
      body: card({ uid: 'jane' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const body0 = fixture('thunderbird-carddav-02-sync-collection.xml').replace('http://example.invalid/sync/42', '');
    const first = await s.send('REPORT', BOOK, { body: body0, headers: { Depth: '1', ...CARDDAV_XML } });
    assertStrictMultistatus(first.text);
    const jane = responseFor(multistatus(first), `${BOOK}jane.vcf`);
    assert.equal(thunderbirdFirstStatus(jane.el), 'HTTP/1.1 200 OK');
    assert.match(textOf(found(jane, carddav('address-data'))), /FN:Jane Doe/);
    const token = syncToken(first.text);

    // _sendCardToServer: PUT without precondition, then addressbook-multiget of that href.
    const vcard = card({ uid: 'tb-new', fn: 'Tom Bird', version: '4.0' });
    const put = await s.send('PUT', `${BOOK}tb-new.vcf`, { body: vcard, headers: { 'Content-Type': 'text/vcard' } });
    assert.equal(put.status, 201);
    const mg = await s.send('REPORT', BOOK, {
      body: `<addressbook-multiget xmlns="urn:ietf:params:xml:ns:carddav" xmlns:d="DAV:"><d:prop><d:getetag/><address-data/></d:prop><d:href>${BOOK}tb-new.vcf</d:href></addressbook-multiget>`,
      headers: { Depth: '1', ...CARDDAV_XML },
    });
    assert.match(
      textOf(found(responseFor(multistatus(mg), `${BOOK}tb-new.vcf`), carddav('address-data'))),
      /FN:Tom Bird/,
    );
    await s.server('DELETE', `${BOOK}jane.vcf`);

    const again = await s.send('REPORT', BOOK, {
      body: fixture('thunderbird-carddav-02-sync-collection.xml').replace('http://example.invalid/sync/42', token),
      headers: { Depth: '1', ...CARDDAV_XML },
    });
    assertStrictMultistatus(again.text);
    const ms = multistatus(again);
    assert.ok(responseFor(ms, `${BOOK}tb-new.vcf`).props.get(carddav('address-data')));
    assert.match(thunderbirdFirstStatus(responseFor(ms, `${BOOK}jane.vcf`).el) ?? '', /^HTTP\/1\.1 404/);

    // A token the gateway no longer knows (the example token of the fixture): 400 ⇒ fetchAllFromServer.
    const stale = await s.send('REPORT', BOOK, {
      body: fixture('thunderbird-carddav-02-sync-collection.xml'),
      headers: { Depth: '1', ...CARDDAV_XML },
    });
    assert.equal(stale.status, 400);
    assert.match(stale.text, /valid-sync-token/);
  });
});
