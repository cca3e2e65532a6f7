// CardBook (Thunderbird add-on): discovery, getctag + etag listing where vCards are text/x-vcard
// (the SOGo-Connector lineage; sabre does the same for it), multiget, a change, re-sync (quirks Q14).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carddav, dav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { card } from '../support/data.ts';
import { changed, ctagOf, discoverHomes, etags } from '../support/flows.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'Thunderbird CardBook/102.6.1';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const BOOK = '/dav/addressbooks/alice/contacts/';

describe('CardBook', () => {
  it('discovery, text/x-vcard listing, multiget, PUT, re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${BOOK}liz.vcf`, {
      body: card({ uid: 'liz', fn: 'Liz Taylor' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    await discoverHomes(s, '/.well-known/carddav', {});
    const ctag = await ctagOf(s, BOOK);
    const list = multistatus(
      await s.send('PROPFIND', BOOK, {
        body: '<?xml version="1.0" encoding="UTF-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getcontenttype/><D:getetag/></D:prop></D:propfind>',
        headers: { Depth: '1' },
      }),
    );
    assert.equal(textOf(found(responseFor(list, `${BOOK}liz.vcf`), dav('getcontenttype'))), 'text/x-vcard');
    const before = await etags(s, BOOK);
    const mg = multistatus(
      await s.send('REPORT', BOOK, {
        body: `<?xml version="1.0" encoding="UTF-8"?><C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop><D:href>${BOOK}liz.vcf</D:href></C:addressbook-multiget>`,
        headers: { Depth: '1' },
      }),
    );
    assert.match(textOf(found(responseFor(mg, `${BOOK}liz.vcf`), carddav('address-data'))), /FN:Liz Taylor/);
    const put = await s.send('PUT', `${BOOK}cb-1.vcf`, {
      body: card({ uid: 'cb-1', fn: 'Carl Book', version: '4.0' }),
      headers: { 'Content-Type': 'text/vcard; charset=utf-8', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    assert.notEqual(await ctagOf(s, BOOK), ctag);
    assert.deepEqual(changed(before, await etags(s, BOOK)), [`${BOOK}cb-1.vcf`]);
  });
});
