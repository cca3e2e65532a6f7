// Fantastical for Mac with a CalDAV account: its agent carries "Mac OS X/… Darwin/…", yet it is not
// macOS Contacts and gets no aggregated address book; standard behaviour throughout (quirks §0 row 10).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { event } from '../support/data.ts';
import { discoverHomes } from '../support/flows.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'Fantastical 2 for Mac (Calendar)/3.3.4 Mac OS X/11.2.1 Darwin/20.3.0 (x86_64)';
const XML = { 'Content-Type': 'text/xml' };
const CAL = '/dav/calendars/alice/calendar/';

describe('Fantastical for Mac', () => {
  it('discovery, every address book listed, calendar sync, change, re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await discoverHomes(s, '/.well-known/caldav', {});
    const books = multistatus(
      await s.send('PROPFIND', '/dav/addressbooks/alice/', {
        body: '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>',
        headers: { Depth: '1' },
      }),
    );
    assert.ok(books.byHref.has('/dav/addressbooks/alice/contacts/'), 'not the aggregated view of macOS Contacts');

    await s.server('PUT', `${CAL}f1.ics`, { body: event({ uid: 'f1' }), headers: { 'Content-Type': 'text/calendar' } });
    const sync = (t: string) =>
      `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${t}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
    const first = await s.send('REPORT', CAL, { body: sync(''), headers: { Depth: '1' } });
    const t1 = /<d:sync-token>([^<]+)</.exec(first.text)?.[1] ?? '';
    assert.ok(multistatus(first).byHref.has(`${CAL}f1.ics`));
    const put = await s.send('PUT', `${CAL}fan-1.ics`, {
      body: event({ uid: 'fan-1', prodid: '-//Flexibits Inc./Fantastical for Mac 3.3.4//EN' }),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    assert.ok(put.headers.get('etag'), 'stored as sent: the ETag is returned');
    const again = multistatus(await s.send('REPORT', CAL, { body: sync(t1), headers: { Depth: '1' } }));
    assert.deepEqual(
      again.responses.map((r) => r.href),
      [`${CAL}fan-1.ics`],
    );
    const mg = multistatus(
      await s.send('REPORT', CAL, {
        body: `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><D:href>${CAL}fan-1.ics</D:href></C:calendar-multiget>`,
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${CAL}fan-1.ics`), caldav('calendar-data'))), /Flexibits/);
  });
});
