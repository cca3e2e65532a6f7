// KDE PIM (Akonadi DAV resource / KDAV): discovery, item listing with calendar-query and an
// addressbook-query without <filter> (sabre: "KDE sometimes does not include the filter element"),
// getcontenttype without parameters, multiget, a change and a re-list (quirks Q12, Q14).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, carddav, dav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { card, event } from '../support/data.ts';
import { discoverHomes } from '../support/flows.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const AKONADI =
  'Mozilla/5.0 (X11; Linux i686) AppleWebKit/534.34 (KHTML, like Gecko) akonadi_davgroupware_resource_59/4.13.0 Safari/534.34';
const KDAV = 'KDE DAV groupware client';
const XML = { 'Content-Type': 'text/xml' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';

const calQuery =
  '<?xml version="1.0" encoding="UTF-8"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><D:getcontenttype/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter></C:calendar-query>';
const cardQuery =
  '<?xml version="1.0" encoding="UTF-8"?><C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><D:getcontenttype/></D:prop></C:addressbook-query>';

describe('KDE Akonadi / KDAV', () => {
  it('lists items with calendar-query, content types without parameters, change, re-list', async () => {
    const s = await startSession({ userAgent: AKONADI });
    await s.server('PUT', `${CAL}k1.ics`, { body: event({ uid: 'k1' }), headers: { 'Content-Type': 'text/calendar' } });
    await discoverHomes(s, '/dav/', XML);
    const list = multistatus(await s.send('REPORT', CAL, { body: calQuery, headers: { Depth: '1', ...XML } }));
    const k1 = responseFor(list, `${CAL}k1.ics`);
    assert.equal(textOf(found(k1, dav('getcontenttype'))), 'text/calendar', 'Konqueror-era parsers want no parameters');
    const other = multistatus(await s.server('REPORT', CAL, { body: calQuery, headers: { Depth: '1' } }));
    assert.equal(
      textOf(found(responseFor(other, `${CAL}k1.ics`), dav('getcontenttype'))),
      'text/calendar; charset=utf-8',
    );

    const put = await s.send('PUT', `${CAL}kde-2.ics`, {
      body: event({ uid: 'kde-2', prodid: '-//K Desktop Environment//NONSGML libkcal 4.3//EN' }),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    const mg = multistatus(
      await s.send('REPORT', CAL, {
        body: `<?xml version="1.0" encoding="UTF-8"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>${CAL}kde-2.ics</D:href></C:calendar-multiget>`,
        headers: { Depth: '1', ...XML },
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${CAL}kde-2.ics`), caldav('calendar-data'))), /UID:kde-2/);
    const again = multistatus(await s.send('REPORT', CAL, { body: calQuery, headers: { Depth: '1', ...XML } }));
    assert.deepEqual(again.responses.map((r) => r.href).sort(), [`${CAL}k1.ics`, `${CAL}kde-2.ics`]);
  });

  it('quirks Q12: addressbook-query without <filter> lists every card; a new card shows up on re-list', async () => {
    const s = await startSession({ userAgent: KDAV });
    await s.server('PUT', `${BOOK}a.vcf`, {
      body: card({ uid: 'a', fn: 'Ada Love' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    await s.server('PUT', `${BOOK}b.vcf`, {
      body: card({ uid: 'b', fn: 'Bob Byte' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const list = multistatus(await s.send('REPORT', BOOK, { body: cardQuery, headers: { Depth: '1', ...XML } }));
    assert.deepEqual(list.responses.map((r) => r.href).sort(), [`${BOOK}a.vcf`, `${BOOK}b.vcf`]);
    assert.equal(textOf(found(responseFor(list, `${BOOK}a.vcf`), dav('getcontenttype'))), 'text/vcard');
    await s.send('PUT', `${BOOK}c.vcf`, {
      body: card({ uid: 'c', fn: 'Cy Press' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const again = multistatus(await s.send('REPORT', BOOK, { body: cardQuery, headers: { Depth: '1', ...XML } }));
    assert.equal(again.responses.length, 3);
    const mg = multistatus(
      await s.send('REPORT', BOOK, {
        body: `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop><D:href>${BOOK}c.vcf</D:href></C:addressbook-multiget>`,
        headers: { Depth: '1', ...XML },
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${BOOK}c.vcf`), carddav('address-data'))), /FN:Cy Press/);
  });
});
