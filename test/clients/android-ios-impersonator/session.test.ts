// CardDAV-Sync for Android, whose agent imitates iOS ("like iOS/5.0.1 … dataaccessd/1.0"): it is
// classified before Apple, so it gets every address book and cards as stored, not Apple's vCard 3
// conversion or the aggregated book (quirks §0 row 1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carddav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { card } from '../support/data.ts';
import { changed, ctagOf, discoverHomes, etags } from '../support/flows.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const BOOK = '/dav/addressbooks/alice/contacts/';

for (const ua of [
  'CardDAV-Sync (Android) (like iOS/5.0.1 (9A405) dataaccessd/1.0)',
  'CardDAV-Sync free/0.4.12 (samsung; kltedv; Android 4.4.2; en_NZ; org.dmfs.carddav.sync/99)',
]) {
  describe(`Android CardDAV-Sync (${ua})`, () => {
    it('discovery, every book, cards as stored, change, re-sync by ctag and etags', async () => {
      const s = await startSession({ userAgent: ua, headers: { 'Content-Type': 'text/xml' } });
      await s.server('MKCOL', '/dav/addressbooks/alice/work/', {
        body: '<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>',
      });
      await s.server('PUT', `${BOOK}v4.vcf`, {
        body: card({ uid: 'v4', fn: 'Val Four', version: '4.0' }),
        headers: { 'Content-Type': 'text/vcard' },
      });
      await discoverHomes(s, '/.well-known/carddav', {});
      const home = multistatus(
        await s.send('PROPFIND', '/dav/addressbooks/alice/', {
          body: '<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>',
          headers: { Depth: '1' },
        }),
      );
      assert.deepEqual(home.responses.map((r) => r.href).sort(), [
        '/dav/addressbooks/alice/',
        BOOK,
        '/dav/addressbooks/alice/work/',
      ]);
      const ctag = await ctagOf(s, BOOK);
      const before = await etags(s, BOOK);
      const mg = multistatus(
        await s.send('REPORT', BOOK, {
          body: `<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop><D:href>${BOOK}v4.vcf</D:href></C:addressbook-multiget>`,
        }),
      );
      assert.match(
        textOf(found(responseFor(mg, `${BOOK}v4.vcf`), carddav('address-data'))),
        /VERSION:4\.0/,
        'stored form, not Apple 3.0',
      );
      const put = await s.send('PUT', `${BOOK}droid.vcf`, {
        body: card({ uid: 'droid', fn: 'Andy Droid' }),
        headers: { 'Content-Type': 'text/vcard' },
      });
      assert.equal(put.status, 201);
      assert.notEqual(await ctagOf(s, BOOK), ctag);
      assert.deepEqual(changed(before, await etags(s, BOOK)), [`${BOOK}droid.vcf`]);
    });
  });
}
