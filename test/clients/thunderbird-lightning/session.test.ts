// Thunderbird 52 with Lightning 5.4: no discovery, the user pastes the calendar URL; start-up check
// (CalDavCalendar.checkDavResourceType) and OPTIONS on the parent, webdav-sync + multiget, accepting
// an invitation before the calendar synced, dismissing a reminder, re-sync (quirks Q04, Q18, Q32).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, dav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { assertStrictMultistatus, supportedReports, thunderbirdDavFeatures } from '../support/client-parsers.ts';
import { eventWithAlarm, invitation } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.13; rv:52.0) Gecko/20100101 Thunderbird/52.6.0 Lightning/5.4.6';
const XML = { 'Content-Type': 'text/xml; charset=utf-8' };
const CAL = '/dav/calendars/alice/calendar/';
const tbSync = (token?: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<sync-collection xmlns="DAV:">${token ? `<sync-token>${token}</sync-token>` : '<sync-token/>'}<sync-level>1</sync-level><prop><getcontenttype/><getetag/></prop></sync-collection>`;
const token = (t: string) => /<d:sync-token>([^<]+)</.exec(t)?.[1] ?? assert.fail('no token');

describe('Thunderbird 52 + Lightning 5.4', () => {
  it('pasted calendar URL: check, OPTIONS, sync, invitation race, dismissal, re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${CAL}srv-invite.ics`, {
      body: invitation('inv-9', 'NEEDS-ACTION'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    await s.server('PUT', `${CAL}alarm.ics`, {
      body: eventWithAlarm('alarm'),
      headers: { 'Content-Type': 'text/calendar' },
    });

    const check = await s.send('PROPFIND', CAL, {
      body: fixture('thunderbird-caldav-02-calendar-check-propfind.xml'),
      headers: { Depth: '0' },
    });
    assertStrictMultistatus(check.text);
    assert.ok(
      supportedReports(found(responseFor(multistatus(check), CAL), dav('supported-report-set'))).includes(
        dav('sync-collection'),
      ),
    );
    const opt = await s.send('OPTIONS', '/dav/calendars/alice/');
    assert.ok(thunderbirdDavFeatures(opt.headers.get('dav')).has('calendar-access'));

    const first = await s.send('REPORT', CAL, { body: tbSync(), headers: { Depth: '1' } });
    assertStrictMultistatus(first.text);
    const t1 = token(first.text);
    assert.equal(multistatus(first).responses.length, 2);

    // Accepting before the calendar synced: a guessed name, If-None-Match: *, same UID (Q18).
    const accept = await s.send('PUT', `${CAL}inv-9.ics`, {
      body: invitation('inv-9', 'ACCEPTED'),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
    });
    assert.equal(accept.status, 204);
    assert.match((await s.server('GET', `${CAL}srv-invite.ics`)).text, /PARTSTAT=ACCEPTED;RSVP=TRUE/);

    // Dismissing a reminder on a writable calendar is an ordinary write.
    const etag = (await s.server('GET', `${CAL}alarm.ics`)).headers.get('etag') ?? '';
    const ack = await s.send('PUT', `${CAL}alarm.ics`, {
      body: eventWithAlarm('alarm', ['X-MOZ-LASTACK:20260310T094500Z']),
      headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': etag },
    });
    assert.equal(ack.status, 204);
    assert.match((await s.server('GET', `${CAL}alarm.ics`)).text, /X-MOZ-LASTACK/);

    const again = multistatus(await s.send('REPORT', CAL, { body: tbSync(t1), headers: { Depth: '1' } }));
    assert.deepEqual(again.responses.map((r) => r.href).sort(), [`${CAL}alarm.ics`, `${CAL}srv-invite.ics`]);
    const mg = multistatus(
      await s.send('REPORT', CAL, {
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>${CAL}srv-invite.ics</D:href></C:calendar-multiget>`,
        headers: { Depth: '1' },
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${CAL}srv-invite.ics`), caldav('calendar-data'))), /UID:inv-9/);
  });
});
