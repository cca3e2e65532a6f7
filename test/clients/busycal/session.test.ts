// BusyCal 2022: well-known, the captured principal PROPFIND (jelmer/xandikos#165), calendars with
// privileges (it made every calendar read-only without them), sync, a change carrying the access
// class on the VCALENDAR, re-sync (quirks Q08, Q31).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, dav } from '../../../src/dav/xml/names.ts';
import { hrefsIn } from '../../support/xml-assert.ts';
import { thunderbirdWritable } from '../support/client-parsers.ts';
import { event } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'BusyCal-2022.1.4';
const XML = { 'Content-Type': 'text/xml; charset=utf-8' };
const CAL = '/dav/calendars/alice/calendar/';

const sync = (t: string) =>
  `<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${t}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
const token = (t: string) => /<d:sync-token>([^<]+)</.exec(t)?.[1] ?? assert.fail('no token');

describe('BusyCal', () => {
  it('discovery with the captured principal PROPFIND, privileges, sync, access class, re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${CAL}b1.ics`, { body: event({ uid: 'b1' }), headers: { 'Content-Type': 'text/calendar' } });
    const wk = await s.send('PROPFIND', '/.well-known/caldav', {
      body: '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>',
      headers: { Depth: '0' },
    });
    assert.deepEqual(
      hrefsIn(found(responseFor(multistatus(wk), '/.well-known/caldav'), dav('current-user-principal'))),
      ['/dav/principals/alice/'],
    );
    const p = multistatus(
      await s.send('PROPFIND', '/dav/principals/alice/', {
        body: fixture('busycal-01-principal-propfind.xml'),
        headers: { Depth: '0' },
      }),
    );
    const principal = responseFor(p, '/dav/principals/alice/');
    assert.deepEqual(hrefsIn(found(principal, caldav('calendar-home-set'))), ['/dav/calendars/alice/']);
    assert.equal(principal.props.get(dav('group-membership'))?.status, 404, 'unknown properties are a 404 propstat');

    const home = multistatus(
      await s.send('PROPFIND', '/dav/calendars/alice/', {
        body: '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:prop><d:resourcetype/><d:displayname/><d:current-user-privilege-set/><a:calendar-color/><d:sync-token/></d:prop></d:propfind>',
        headers: { Depth: '1' },
      }),
    );
    assert.ok(thunderbirdWritable(found(responseFor(home, CAL), dav('current-user-privilege-set'))), 'Q08: writable');

    const first = await s.send('REPORT', CAL, { body: sync(''), headers: { Depth: '1' } });
    const t1 = token(first.text);
    const put = await s.send('PUT', `${CAL}busy-1.ics`, {
      body: event({
        uid: 'busy-1',
        prodid: '-//BusyMac LLC//BusyCal 2022.1.4//EN',
        calendarExtra: ['X-CALENDARSERVER-ACCESS:PRIVATE'],
      }),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    assert.match(
      (await s.server('GET', `${CAL}busy-1.ics`)).text,
      /CLASS:PRIVATE/,
      'Q31: the class every client reads',
    );
    const again = multistatus(await s.send('REPORT', CAL, { body: sync(t1), headers: { Depth: '1' } }));
    assert.deepEqual(
      again.responses.map((r) => r.href),
      [`${CAL}busy-1.ics`],
    );
  });
});
