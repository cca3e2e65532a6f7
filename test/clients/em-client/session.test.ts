// eM Client 8: discovery, calendar sync by ctag and etags, reminder dismissal on a read-only
// calendar (X-MOZ-LASTACK, as Open-Xchange sees from it), a card whose UID gained urn:uuid:,
// re-sync (quirks Q24, Q32).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { card, event, eventWithAlarm } from '../support/data.ts';
import { changed, ctagOf, discoverHomes, etags } from '../support/flows.ts';
import { startSession } from '../support/session.ts';

const UA = 'eMClient/8.0.3318.0';
const XML = { 'Content-Type': 'text/xml; charset=utf-8' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';

describe('eM Client 8', () => {
  it('calendar: discovery, ctag, etags, create, re-sync; reminder dismissal on a read-only calendar', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${CAL}e1.ics`, { body: event({ uid: 'e1' }), headers: { 'Content-Type': 'text/calendar' } });
    await discoverHomes(s, '/dav/', {});
    const c1 = await ctagOf(s, CAL);
    const before = await etags(s, CAL);
    const put = await s.send('PUT', `${CAL}emc-2.ics`, {
      body: event({ uid: 'emc-2', prodid: '-//eM Client/8.0.3318.0' }),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    assert.notEqual(await ctagOf(s, CAL), c1);
    assert.deepEqual(changed(before, await etags(s, CAL)), [`${CAL}emc-2.ics`]);

    const ref = { owner: 'alice', home: 'calendars' as const, id: 'holidays' };
    await s.t.backend.seedCollection(ref, 'calendar', { displayName: 'Holidays' }, true);
    const original = eventWithAlarm('hol-1');
    await s.t.backend.seedObject(ref, 'hol-1.ics', {
      body: new TextEncoder().encode(original),
      contentType: 'text/calendar',
      uid: 'hol-1',
    });
    const url = '/dav/calendars/alice/holidays/hol-1.ics';
    const dismissed = eventWithAlarm('hol-1', [], ['X-MOZ-LASTACK:20260310T094500Z']);
    const ack = await s.send('PUT', url, { body: dismissed, headers: { 'Content-Type': 'text/calendar' } });
    assert.equal(ack.status, 204);
    assert.equal((await s.server('GET', url)).text, original);
  });

  it('contacts: a card re-uploaded with urn:uuid: before its UID keeps the stored UID (Q24), re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${BOOK}kim.vcf`, {
      body: card({ uid: 'kim-1', fn: 'Kim Park' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const before = await etags(s, BOOK);
    const r = await s.send('PUT', `${BOOK}kim.vcf`, {
      body: card({ uid: 'urn:uuid:kim-1', fn: 'Kim Park-Lee' }),
      headers: { 'Content-Type': 'text/vcard', 'If-Match': before.get(`${BOOK}kim.vcf`) ?? '' },
    });
    assert.equal(r.status, 204);
    const stored = (await s.server('GET', `${BOOK}kim.vcf`)).text;
    assert.match(stored, /UID:kim-1\r\n/);
    assert.match(stored, /FN:Kim Park-Lee/);
    assert.deepEqual(changed(before, await etags(s, BOOK)), [`${BOOK}kim.vcf`]);
  });
});
