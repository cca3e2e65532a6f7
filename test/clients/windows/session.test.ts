// Windows 10 / Windows 10 Mobile calendar (MSFT-WIN-4, MSFT-WP): the probe list it walks
// (sabre-io/Baikal#388), then calendar-query with Depth: 0 on the calendar, which must list the
// members or Windows shows calendars without events (quirks Q01, Q12; sabre-io/dav#727, #737).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, dav } from '../../../src/dav/xml/names.ts';
import { hrefsIn, textOf } from '../../support/xml-assert.ts';
import { event } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const CAL = '/dav/calendars/alice/calendar/';
const XML = { 'Content-Type': 'text/xml' };
// The captured window is 2015; the session's events fall in it.
const IN_WINDOW = { start: '20150601T090000Z', end: '20150601T100000Z' };

for (const ua of ['MSFT-WIN-4/10.0.10586 (gzip)', 'MSFT-WP/10.0.10240 (gzip)']) {
  describe(`Windows calendar (${ua})`, () => {
    it('probes, discovery, calendar-query Depth 0 lists events, a change, re-query', async () => {
      const s = await startSession({ userAgent: ua, headers: { 'Accept-Encoding': 'gzip' } });
      await s.server('PUT', `${CAL}w1.ics`, {
        body: event({ uid: 'w1', ...IN_WINDOW }),
        headers: { 'Content-Type': 'text/calendar' },
      });
      const cup =
        '<?xml version="1.0" encoding="UTF-8"?><propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>';
      for (const probe of [
        '/.well-known/carddav/',
        '/.well-known/caldav/',
        '/principals/',
        '/caldav/v2/',
        '/calendar/dav/',
        '/',
      ]) {
        const r = await s.send('PROPFIND', probe, { body: cup, headers: { Depth: '0', ...XML } });
        assert.deepEqual(hrefsIn(found(responseFor(multistatus(r, probe), probe), dav('current-user-principal'))), [
          '/dav/principals/alice/',
        ]);
      }
      const p = multistatus(
        await s.send('PROPFIND', '/dav/principals/alice/', {
          body: '<?xml version="1.0" encoding="UTF-8"?><propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><prop><C:calendar-home-set/><displayname/></prop></propfind>',
          headers: { Depth: '0', ...XML },
        }),
      );
      assert.deepEqual(hrefsIn(found(responseFor(p, '/dav/principals/alice/'), caldav('calendar-home-set'))), [
        '/dav/calendars/alice/',
      ]);

      const query = fixture('windowsphone-01-calendar-query-depth0.xml');
      const first = multistatus(await s.send('REPORT', CAL, { body: query, headers: { Depth: '0', ...XML } }));
      assert.deepEqual(
        first.responses.map((r) => r.href),
        [`${CAL}w1.ics`],
        'the members, not the calendar itself',
      );
      const etag = textOf(found(responseFor(first, `${CAL}w1.ics`), dav('getetag')));

      const get = await s.send('GET', `${CAL}w1.ics`);
      assert.equal(get.headers.get('etag'), etag);
      const created = await s.send('PUT', `${CAL}win-new.ics`, {
        body: event({ uid: 'win-new', ...IN_WINDOW, prodid: '-//Microsoft Corporation//Windows Calendar 1.0//EN' }),
        headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
      });
      assert.equal(created.status, 201);
      const again = multistatus(await s.send('REPORT', CAL, { body: query, headers: { Depth: '0', ...XML } }));
      assert.deepEqual(again.responses.map((r) => r.href).sort(), [`${CAL}w1.ics`, `${CAL}win-new.ics`]);
    });
  });
}
