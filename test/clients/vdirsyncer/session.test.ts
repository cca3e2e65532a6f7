// vdirsyncer 0.19: discovery (well-known → principal → home-set → collections), listing with
// getetag + getcontenttype (it skips members without getetag, duplicates and non-calendar types),
// multiget, PUT with If-None-Match, update with If-Match, re-list (quirks Q07, Q14, Q16).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carddav, dav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { assertStrictMultistatus } from '../support/client-parsers.ts';
import { card, event } from '../support/data.ts';
import { changed, discoverHomes, etags } from '../support/flows.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'vdirsyncer/0.19.3';
const XML = { 'Content-Type': 'application/xml; charset=UTF-8' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';

describe('vdirsyncer', () => {
  it('calendars: discovery, listing, multiget (one response per href), PUT, update, re-list', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${CAL}v1.ics`, { body: event({ uid: 'v1' }), headers: { 'Content-Type': 'text/calendar' } });
    await discoverHomes(s, '/.well-known/caldav', {});
    const cols = multistatus(
      await s.send('PROPFIND', '/dav/calendars/alice/', {
        body: '<?xml version="1.0" encoding="utf-8" ?><propfind xmlns="DAV:"><prop><resourcetype /><displayname /></prop></propfind>',
        headers: { Depth: '1' },
      }),
    );
    assert.ok(cols.byHref.has(CAL));

    const before = await etags(s, CAL);
    const listing = multistatus(
      await s.send('PROPFIND', CAL, {
        body: '<?xml version="1.0" encoding="utf-8" ?><propfind xmlns="DAV:"><prop><resourcetype/><getcontenttype/><getetag/></prop></propfind>',
        headers: { Depth: '1' },
      }),
    );
    assert.match(textOf(found(responseFor(listing, `${CAL}v1.ics`), dav('getcontenttype'))), /calendar/);
    const mg = await s.send('REPORT', CAL, {
      body: `<?xml version="1.0" encoding="utf-8" ?><C:calendar-multiget xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><prop><getetag/><C:calendar-data/></prop><href>${CAL}v1.ics</href><href>${CAL}v1.ics</href></C:calendar-multiget>`,
      headers: { Depth: '1' },
    });
    assertStrictMultistatus(mg.text);
    assert.equal(multistatus(mg).responses.length, 1, 'vdirsyncer skips duplicate hrefs');

    const put = await s.send('PUT', `${CAL}vds-2.ics`, {
      body: event({ uid: 'vds-2' }),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    const upd = await s.send('PUT', `${CAL}vds-2.ics`, {
      body: event({ uid: 'vds-2', summary: 'Updated' }),
      headers: { 'Content-Type': 'text/calendar', 'If-Match': put.headers.get('etag') ?? '' },
    });
    assert.equal(upd.status, 204);
    assert.deepEqual(changed(before, await etags(s, CAL)), [`${CAL}vds-2.ics`]);
  });

  it('address books: listing, multiget, PUT, DELETE with If-Match, re-list', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${BOOK}p.vcf`, {
      body: card({ uid: 'p', fn: 'Pat Doe' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const before = await etags(s, BOOK);
    const mg = multistatus(
      await s.send('REPORT', BOOK, {
        body: `<?xml version="1.0" encoding="utf-8" ?><C:addressbook-multiget xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><prop><getetag/><C:address-data/></prop><href>${BOOK}p.vcf</href></C:addressbook-multiget>`,
        headers: { Depth: '1' },
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${BOOK}p.vcf`), carddav('address-data'))), /FN:Pat Doe/);
    const put = await s.send('PUT', `${BOOK}q.vcf`, {
      body: card({ uid: 'q', fn: 'Quinn Roe' }),
      headers: { 'Content-Type': 'text/vcard', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    const del = await s.send('DELETE', `${BOOK}p.vcf`, { headers: { 'If-Match': before.get(`${BOOK}p.vcf`) ?? '' } });
    assert.equal(del.status, 204);
    const after = await etags(s, BOOK);
    assert.deepEqual([...after.keys()], [`${BOOK}q.vcf`]);
  });
});
