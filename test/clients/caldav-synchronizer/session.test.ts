// Outlook CalDav Synchronizer 4.4: settings discovery, the captured calendar-query (Depth 1,
// application/xml) and multiget, Outlook data on the way in (Windows TZID, X-ALT-DESC, CLASS,
// SCHEDULE-AGENT), attendee answers it sends back as NEEDS-ACTION, unquoted If-Match, contacts with
// Apple-style distribution lists (quirks Q13, Q17, Q24, Q26, Q27, Q30, Q31, Q34).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, carddav, dav } from '../../../src/dav/xml/names.ts';
import { hrefsIn, textOf } from '../../support/xml-assert.ts';
import { card, event, invitation, lines } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'CalDavSynchronizer/4.4';
const NET = { 'Content-Type': 'application/xml; charset=utf-8', Connection: 'Keep-Alive' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';

const W_EUROPE = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

const multiget = (hrefs: string[]) =>
  `<?xml version="1.0"?>\n<C:calendar-multiget xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop xmlns:D="DAV:"><D:getetag/><C:calendar-data/></D:prop>${hrefs
    .map((h) => `<D:href xmlns:D="DAV:">${h}</D:href>`)
    .join('')}</C:calendar-multiget>`;

describe('Outlook CalDav Synchronizer: calendar', () => {
  it('discovers, queries, multigets, uploads Outlook data, keeps attendee answers, re-queries', async () => {
    const s = await startSession({ userAgent: UA, headers: NET });
    await s.server('PUT', `${CAL}review.ics`, {
      body: invitation('review', 'ACCEPTED').replace(/20260310T(10|11)0000Z/g, (m) =>
        m.replace('20260310', '20240615'),
      ),
      headers: { 'Content-Type': 'text/calendar' },
    });

    // "Test or discover settings": current-user-principal → calendar-home-set → calendars.
    const cup = multistatus(
      await s.send('PROPFIND', '/dav/', {
        body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:current-user-principal/></D:prop></D:propfind>',
        headers: { Depth: '0' },
      }),
    );
    assert.deepEqual(hrefsIn(found(responseFor(cup, '/dav/'), dav('current-user-principal'))), [
      '/dav/principals/alice/',
    ]);
    const homes = multistatus(
      await s.send('PROPFIND', '/dav/calendars/alice/', {
        body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:E="http://apple.com/ns/ical/"><D:prop><D:resourcetype/><D:displayname/><C:supported-calendar-component-set/><E:calendar-color/><D:current-user-privilege-set/></D:prop></D:propfind>',
        headers: { Depth: '1' },
      }),
    );
    assert.ok(homes.byHref.has(CAL));

    // The captured calendar-query: etags in the sync window, then a multiget of what changed.
    const q1 = multistatus(
      await s.send('REPORT', CAL, {
        body: fixture('caldavsynchronizer-01-calendar-query.xml'),
        headers: { Depth: '1' },
      }),
    );
    assert.deepEqual(
      q1.responses.map((r) => r.href),
      [`${CAL}review.ics`],
    );
    const etag = textOf(found(responseFor(q1, `${CAL}review.ics`), dav('getetag')));
    const mg = multistatus(
      await s.send('REPORT', CAL, { body: multiget([`${CAL}review.ics`]), headers: { Depth: '1' } }),
    );
    assert.match(textOf(found(responseFor(mg, `${CAL}review.ics`), caldav('calendar-data'))), /PARTSTAT=ACCEPTED/);

    // Outlook data: Windows zone, HTML description, CLASS, SCHEDULE-AGENT=CLIENT; Expect: 100-continue.
    const outlook = event({
      uid: '040000008200E00074C5B7101A82E008',
      prodid: '-//CalDavSynchronizer//Outlook//EN',
      timezone: { tzid: 'W. Europe Standard Time', block: W_EUROPE },
      start: '20240620T140000',
      end: '20240620T150000',
      extra: [
        "X-ALT-DESC;FMTTYPE=text/html:<html><body><p class='agenda'>Budget</p></body></html>",
        'DESCRIPTION:Budget',
        'CLASS:CONFIDENTIAL',
        'ORGANIZER;SCHEDULE-AGENT=CLIENT;CN=Alice Example:mailto:alice@example.com',
        'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.com',
      ],
    });
    const put = await s.send('PUT', `${CAL}040000008200E00074C5B7101A82E008.ics`, {
      body: outlook,
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*', Expect: '100-continue' },
    });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('etag'), null, 'the zone was rewritten: CDS PROPFINDs getetag instead (Q19)');
    const stored = lines((await s.server('GET', `${CAL}040000008200E00074C5B7101A82E008.ics`)).text).join('\n');
    assert.match(stored, /DTSTART;TZID=Europe\/Berlin:20240620T140000/, 'Windows zone mapped to IANA (Q26)');
    assert.match(
      stored,
      /X-ALT-DESC;FMTTYPE=text\/html:<html><body><p class='agenda'>Budget<\/p><\/body><\/html>/,
      'Q30',
    );
    assert.match(stored, /CLASS:CONFIDENTIAL/);
    assert.match(stored, /SCHEDULE-AGENT=CLIENT/);

    // CDS sends every attendee back as NEEDS-ACTION; the stored answers stay (Q34). Its If-Match may lack quotes (Q17).
    const update = await s.send('PUT', `${CAL}review.ics`, {
      body: invitation('review', 'NEEDS-ACTION')
        .replace('PARTSTAT=ACCEPTED;ROLE=CHAIR', 'PARTSTAT=NEEDS-ACTION;ROLE=CHAIR')
        .replace('Quarterly review', 'Quarterly review (room 4)')
        .replace(/20260310T(10|11)0000Z/g, (m) => m.replace('20260310', '20240615')),
      headers: { 'Content-Type': 'text/calendar', 'If-Match': etag.replace(/"/g, '') },
    });
    assert.equal(update.status, 204);
    const review = (await s.server('GET', `${CAL}review.ics`)).text;
    assert.match(review, /SUMMARY:Quarterly review \(room 4\)/);
    assert.match(review, /ATTENDEE;CN=Alice Example;PARTSTAT=ACCEPTED/);
    assert.match(review, /ATTENDEE;CN=Bob Example;PARTSTAT=ACCEPTED;ROLE=CHAIR/);

    const q2 = multistatus(
      await s.send('REPORT', CAL, {
        body: fixture('caldavsynchronizer-01-calendar-query.xml'),
        headers: { Depth: '1' },
      }),
    );
    assert.deepEqual(q2.responses.map((r) => r.href).sort(), [
      `${CAL}040000008200E00074C5B7101A82E008.ics`,
      `${CAL}review.ics`,
    ]);
    assert.notEqual(textOf(found(responseFor(q2, `${CAL}review.ics`), dav('getetag'))), etag);
  });

  it('quirks Q27: VTIMEZONE rules from year 0001 are served from 1970 to it; other clients get them as stored', async () => {
    const s = await startSession({ userAgent: UA, headers: NET });
    const tz = [
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'DTSTART:00010101T030000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const body = event({
      uid: 'emc',
      timezone: { tzid: 'Europe/Berlin', block: tz },
      start: '20240615T100000',
      end: '20240615T110000',
    });
    await s.t.backend.seedObject({ owner: 'alice', home: 'calendars', id: 'calendar' }, 'emc.ics', {
      body: new TextEncoder().encode(body),
      contentType: 'text/calendar',
      uid: 'emc',
    });
    const mg = multistatus(await s.send('REPORT', CAL, { body: multiget([`${CAL}emc.ics`]), headers: { Depth: '1' } }));
    const data = textOf(found(responseFor(mg, `${CAL}emc.ics`), caldav('calendar-data')));
    assert.match(data, /DTSTART:19700101T030000/);
    assert.doesNotMatch(data, /00010101/);
    const plain = await s.server('GET', `${CAL}emc.ics`);
    assert.match(plain.text, /DTSTART:00010101T030000/);
  });
});

describe('Outlook CalDav Synchronizer: contacts', () => {
  it('syncs vCard 3.0 and distribution lists as X-ADDRESSBOOKSERVER groups, both ways', async () => {
    const s = await startSession({ userAgent: UA, headers: NET });
    await s.server('PUT', `${BOOK}bea.vcf`, {
      body: card({ uid: 'bea', fn: 'Bea Kim', version: '4.0' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const list = multistatus(
      await s.send('PROPFIND', BOOK, {
        body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
        headers: { Depth: '1' },
      }),
    );
    assert.ok(list.byHref.has(`${BOOK}bea.vcf`));
    const dl = card({
      uid: 'dl-team',
      fn: 'Team',
      extra: ['X-ADDRESSBOOKSERVER-KIND:group', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:bea'],
    });
    const put = await s.send('PUT', `${BOOK}dl-team.vcf`, {
      body: dl,
      headers: { 'Content-Type': 'text/vcard', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    const mg = multistatus(
      await s.send('REPORT', BOOK, {
        body: `<?xml version="1.0"?><C:addressbook-multiget xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop xmlns:D="DAV:"><D:getetag/><C:address-data/></D:prop><D:href xmlns:D="DAV:">${BOOK}bea.vcf</D:href><D:href xmlns:D="DAV:">${BOOK}dl-team.vcf</D:href></C:addressbook-multiget>`,
        headers: { Depth: '1' },
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${BOOK}bea.vcf`), carddav('address-data'))), /VERSION:3\.0/);
    const team = textOf(found(responseFor(mg, `${BOOK}dl-team.vcf`), carddav('address-data')));
    assert.match(team, /X-ADDRESSBOOKSERVER-KIND:group/);
    assert.match(team, /X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:bea/);

    // Its other distribution-list format, SOGo's VLIST (text/x-vlist), is understood too (Q24).
    const vlist = [
      'BEGIN:VLIST',
      'VERSION:1.0',
      'UID:dl-sogo',
      'FN:Board',
      'CARD;FN=Bea Kim;EMAIL=bea@example.com:bea.vcf',
      'END:VLIST',
      '',
    ].join('\r\n');
    const vput = await s.send('PUT', `${BOOK}dl-sogo.vcf`, {
      body: vlist,
      headers: { 'Content-Type': 'text/x-vlist', 'If-None-Match': '*' },
    });
    assert.equal(vput.status, 201);
    const mg2 = multistatus(
      await s.send('REPORT', BOOK, {
        body: `<?xml version="1.0"?><C:addressbook-multiget xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop xmlns:D="DAV:"><D:getetag/><C:address-data/></D:prop><D:href xmlns:D="DAV:">${BOOK}dl-sogo.vcf</D:href></C:addressbook-multiget>`,
        headers: { Depth: '1' },
      }),
    );
    const board = textOf(found(responseFor(mg2, `${BOOK}dl-sogo.vcf`), carddav('address-data')));
    assert.match(board, /X-ADDRESSBOOKSERVER-KIND:group/, 'served in the flavour its profile reads');
    assert.match(board, /X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:bea/);
  });
});
