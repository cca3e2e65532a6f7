// Evolution 3.28 / GNOME Calendar and Contacts (evolution-data-server): discovery, OPTIONS on the
// collection, the captured getctag poll, etag listing, GET with ETag, a chunked PUT with
// Prefer: return=minimal, an update whose If-Match carries backslash-escaped quotes, re-sync
// (quirks Q03, Q08, Q13, Q14, Q16, Q17).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carddav, dav } from '../../../src/dav/xml/names.ts';
import { privileges, supportedReports } from '../support/client-parsers.ts';
import { card, event } from '../support/data.ts';
import { changed, ctagOf, discoverHomes, etags } from '../support/flows.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'Evolution/3.28.5';
const XML = { 'Content-Type': 'application/xml' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';

describe('Evolution (evolution-data-server)', () => {
  it('calendar: discovery, OPTIONS, ctag poll, etags, GET, chunked PUT, escaped If-Match, re-sync', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${CAL}lunch.ics`, {
      body: event({ uid: 'lunch' }),
      headers: { 'Content-Type': 'text/calendar' },
    });
    await discoverHomes(s, '/dav/', XML);

    // EDS reads privileges, or falls back to Allow: both must say writable (Q08).
    const opt = await s.send('OPTIONS', CAL);
    assert.equal(opt.status, 200, 'Evolution fails when OPTIONS on the calendar is 404 (nextcloud/server#20624)');
    assert.match(opt.headers.get('allow') ?? '', /PUT/);
    const props = multistatus(
      await s.send('PROPFIND', CAL, {
        body: '<propfind xmlns="DAV:"><prop><current-user-privilege-set/><supported-report-set/></prop></propfind>',
        headers: { Depth: '0', ...XML },
      }),
    );
    assert.ok(privileges(found(responseFor(props, CAL), dav('current-user-privilege-set'))).includes('write'));

    const ctag1 = await ctagOf(s, CAL, XML);
    const before = await etags(s, CAL, XML);
    const get = await s.send('GET', [...before.keys()][0]);
    assert.equal(
      get.headers.get('etag'),
      before.get(`${CAL}lunch.ics`),
      '"Server didn’t return object’s ETag" otherwise',
    );

    // A chunked upload (no Content-Length), as e_webdav_session_put_sync streams it (Q13).
    const body = event({ uid: 'evo-1', prodid: '-//Ximian//NONSGML Evolution Calendar//EN' });
    const stream = new ReadableStream({
      start(c) {
        const bytes = new TextEncoder().encode(body);
        c.enqueue(bytes.subarray(0, 100));
        c.enqueue(bytes.subarray(100));
        c.close();
      },
    });
    const chunked = await s.t.app.request(`http://localhost${CAL}evo-1.ics`, {
      method: 'PUT',
      body: stream,
      duplex: 'half',
      headers: {
        'User-Agent': UA,
        Authorization: `Basic ${Buffer.from('alice:alice-secret').toString('base64')}`,
        'Content-Type': 'text/calendar',
        'If-None-Match': '*',
        Prefer: 'return=minimal',
      },
    } as RequestInit);
    assert.equal(chunked.status, 201);
    const etag = chunked.headers.get('etag');
    assert.ok(etag && !etag.startsWith('W/'), 'a strong ETag: EDS trusts its copy (Q16/Q19)');

    // EDS sometimes escapes the quotes of the tag it sends back (Q17).
    const escaped = etag.replace(/"/g, '\\"');
    const update = await s.send('PUT', `${CAL}evo-1.ics`, {
      body: event({ uid: 'evo-1', summary: 'Rescheduled', prodid: '-//Ximian//NONSGML Evolution Calendar//EN' }),
      headers: { 'Content-Type': 'text/calendar', 'If-Match': escaped },
    });
    assert.equal(update.status, 204);

    const ctag2 = await ctagOf(s, CAL, XML);
    assert.notEqual(ctag2, ctag1);
    assert.deepEqual(changed(before, await etags(s, CAL, XML)), [`${CAL}evo-1.ics`]);
  });

  it('quirks Q17: the same escaped If-Match from an unknown client is not a match (412)', async () => {
    const s = await startSession({ userAgent: 'UnknownClient/1.0' });
    const put = await s.send('PUT', `${CAL}x.ics`, {
      body: event({ uid: 'x' }),
      headers: { 'Content-Type': 'text/calendar' },
    });
    const escaped = (put.headers.get('etag') ?? '').replace(/"/g, '\\"');
    const r = await s.send('PUT', `${CAL}x.ics`, {
      body: event({ uid: 'x', summary: 'again' }),
      headers: { 'Content-Type': 'text/calendar', 'If-Match': escaped },
    });
    assert.equal(r.status, 412);
  });

  it('contacts: supported-address-data, getctag, etags, PUT, re-sync', async () => {
    const s = await startSession({ userAgent: UA });
    await s.server('PUT', `${BOOK}max.vcf`, {
      body: card({ uid: 'max', fn: 'Max Power' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const caps = multistatus(
      await s.send('PROPFIND', BOOK, {
        body: '<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/"><prop><CS:getctag/><supported-report-set/><C:supported-address-data/></prop></propfind>',
        headers: { Depth: '0', ...XML },
      }),
    );
    const sad = found(responseFor(caps, BOOK), carddav('supported-address-data'));
    assert.ok(
      sad.children.some((c) => typeof c !== 'string' && c.attrs['{}version'] === '4.0'),
      'EDS detects 4.0 here (Q23)',
    );
    const before = await etags(s, BOOK, XML);
    const put = await s.send('PUT', `${BOOK}evo-card.vcf`, {
      body: card({ uid: 'evo-card', fn: 'Eve Olsen', version: '4.0' }),
      headers: { 'Content-Type': 'text/vcard', 'If-None-Match': '*', Prefer: 'return=minimal' },
    });
    assert.equal(put.status, 201);
    assert.deepEqual(changed(before, await etags(s, BOOK, XML)), [`${BOOK}evo-card.vcf`]);
    const got = await s.send('GET', `${BOOK}evo-card.vcf`);
    assert.match(got.text, /FN:Eve Olsen/);
    assert.ok(
      supportedReports(found(responseFor(caps, BOOK), dav('supported-report-set'))).includes(
        carddav('addressbook-multiget'),
      ),
    );
  });
});
