// macOS Contacts (AddressBook 10.12): it uses only the first address book of a home (quirks Q22), so
// the home shows one aggregated book merging the user's books; new cards land in the default book.
// Discovery as captured (owncloud-archive/contacts#1096, pastebin f2GuupQ6), getctag polling, etag
// listing, multiget, changes from the Mac and elsewhere, re-sync.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calserver, carddav, dav } from '../../../src/dav/xml/names.ts';
import { hrefsIn, textOf } from '../../support/xml-assert.ts';
import { privileges, resourceTypes } from '../support/client-parsers.ts';
import { card } from '../support/data.ts';
import { fixture, found, multistatus, responseFor, type Session, startSession } from '../support/session.ts';

const UA = 'Mac OS X/10.12 (16A323) AddressBook/1756';
const APPLE = { 'Content-Type': 'text/xml', Accept: '*/*' };
const MINIMAL = { Brief: 't', Prefer: 'return=minimal' };
const HOME = '/dav/addressbooks/alice/';
const ALL = '/dav/addressbooks/alice/all-contacts/';
const FAMILY_HEX = Buffer.from('family').toString('hex');

async function seedBooks(s: Session): Promise<void> {
  await s.server('MKCOL', `${HOME}family/`, {
    body: '<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype><d:displayname>Family</d:displayname></d:prop></d:set></d:mkcol>',
  });
  await s.server('PUT', `${HOME}contacts/jane.vcf`, {
    body: card({ uid: 'jane' }),
    headers: { 'Content-Type': 'text/vcard' },
  });
  await s.server('PUT', `${HOME}family/mum.vcf`, {
    body: card({ uid: 'mum', fn: 'Mary Doe' }),
    headers: { 'Content-Type': 'text/vcard' },
  });
  // A read-only directory in the home (as the LDAP mount shows one): not merged by default.
  await s.t.backend.seedCollection(
    { owner: 'alice', home: 'addressbooks', id: 'directory' },
    'addressbook',
    { displayName: 'Directory' },
    true,
  );
}

const etagList = '<A:propfind xmlns:A="DAV:"><A:prop><A:getetag/><A:getcontenttype/></A:prop></A:propfind>';
const ctag =
  '<A:propfind xmlns:A="DAV:"><A:prop><B:getctag xmlns:B="http://calendarserver.org/ns/"/></A:prop></A:propfind>';

describe('macOS Contacts: one aggregated address book', () => {
  it('discovery: well-known, OPTIONS, principal, home shows exactly one book', async () => {
    const s = await startSession({ userAgent: UA, headers: APPLE });
    await seedBooks(s);
    const wk = await s.send('PROPFIND', '/.well-known/carddav', {
      body: '<A:propfind xmlns:A="DAV:"><A:prop><A:current-user-principal/><A:principal-URL/><A:resourcetype/></A:prop></A:propfind>',
      headers: { Depth: '0', ...MINIMAL },
    });
    assert.deepEqual(
      hrefsIn(found(responseFor(multistatus(wk), '/.well-known/carddav'), dav('current-user-principal'))),
      ['/dav/principals/alice/'],
    );
    for (let i = 0; i < 2; i++) {
      const opt = await s.send('OPTIONS', '/dav/principals/alice/');
      assert.match(opt.headers.get('dav') ?? '', /addressbook/);
    }
    const p = await s.send('PROPFIND', '/dav/principals/alice/', {
      body: '<A:propfind xmlns:A="DAV:"><A:prop><B:addressbook-home-set xmlns:B="urn:ietf:params:xml:ns:carddav"/><B:directory-gateway xmlns:B="urn:ietf:params:xml:ns:carddav"/><A:displayname/><C:email-address-set xmlns:C="http://calendarserver.org/ns/"/><A:principal-collection-set/><A:principal-URL/><A:resource-id/><A:supported-report-set/></A:prop></A:propfind>',
      headers: { Depth: '0', ...MINIMAL },
    });
    const principal = responseFor(multistatus(p), '/dav/principals/alice/');
    assert.deepEqual(hrefsIn(found(principal, carddav('addressbook-home-set'))), [HOME]);
    assert.equal(principal.props.has(carddav('directory-gateway')), false, 'no directory gateway advertised (Q25)');

    const home = multistatus(
      await s.send('PROPFIND', HOME, {
        body: '<A:propfind xmlns:A="DAV:"><A:prop><A:resourcetype/><A:displayname/><A:current-user-privilege-set/><B:getctag xmlns:B="http://calendarserver.org/ns/"/><A:add-member/></A:prop></A:propfind>',
        headers: { Depth: '1', ...MINIMAL },
      }),
    );
    assert.deepEqual(
      home.responses.map((r) => r.href),
      [HOME, ALL],
      'the Mac only ever uses the first book: there is exactly one',
    );
    const all = responseFor(home, ALL);
    assert.ok(resourceTypes(found(all, dav('resourcetype'))).includes(carddav('addressbook')));
    assert.equal(textOf(found(all, dav('displayname'))), 'All Contacts');
    assert.ok(
      privileges(found(all, dav('current-user-privilege-set'))).includes('write'),
      "the default book's privileges",
    );
    assert.ok(found(all, calserver('getctag')));
    assert.equal(all.props.has(dav('add-member')), false, 'no add-member: POST is not implemented (Q25)');
  });

  it('first sync (getctag, etags, multiget), changes from the Mac and elsewhere, re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: APPLE });
    await seedBooks(s);
    const ctag0 = textOf(
      found(
        responseFor(multistatus(await s.send('PROPFIND', ALL, { body: ctag, headers: { Depth: '0' } })), ALL),
        calserver('getctag'),
      ),
    );

    const listing = multistatus(await s.send('PROPFIND', ALL, { body: etagList, headers: { Depth: '1' } }));
    const members = listing.responses
      .map((r) => r.href)
      .filter((h) => h !== ALL)
      .sort();
    assert.deepEqual(
      members,
      [`${ALL}jane.vcf`, `${ALL}~${FAMILY_HEX}~mum.vcf`],
      'unique hrefs across books; directory not merged',
    );
    const janeEtag = textOf(found(responseFor(listing, `${ALL}jane.vcf`), dav('getetag')));
    // The source's ETag, as this client sees it: its vCard 3 representation has a tag of its own (Q16).
    const direct = await s.send('GET', `${HOME}contacts/jane.vcf`);
    assert.equal(janeEtag, direct.headers.get('etag'), "a member's ETag is its source's");

    const mg = multistatus(
      await s.send('REPORT', ALL, {
        body: `<B:addressbook-multiget xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:carddav"><A:prop><A:getetag/><B:address-data/></A:prop>${members.map((h) => `<A:href>${h}</A:href>`).join('')}</B:addressbook-multiget>`,
        headers: { Depth: '1' },
      }),
    );
    assert.match(
      textOf(found(responseFor(mg, `${ALL}~${FAMILY_HEX}~mum.vcf`), carddav('address-data'))),
      /FN:Mary Doe/,
    );

    // The Mac creates a card: it lands in the default book under the same name.
    const created = await s.send('PUT', `${ALL}E7213AAA-7206-4B97-926A-CDFECBD91C26-ABSPlugin.vcf`, {
      body: card({
        uid: 'E7213AAA-7206-4B97-926A-CDFECBD91C26-ABSPlugin',
        fn: 'New Person',
        extra: ['item1.TEL;type=pref:+1 555 0100', 'item1.X-ABLabel:_$!<Mobile>!$_'],
      }),
      headers: { 'Content-Type': 'text/vcard', 'If-None-Match': '*' },
    });
    assert.equal(created.status, 201);
    const inDefault = await s.server('GET', `${HOME}contacts/E7213AAA-7206-4B97-926A-CDFECBD91C26-ABSPlugin.vcf`);
    assert.equal(inDefault.status, 200);
    assert.match(inDefault.text, /item1\.X-ABLabel:_\$!<Mobile>!\$_/, 'Apple grouped labels kept (Q25)');

    // The Mac edits the card of the other book through the aggregate: written to that book.
    const mumEtag = textOf(found(responseFor(listing, `${ALL}~${FAMILY_HEX}~mum.vcf`), dav('getetag')));
    const edit = await s.send('PUT', `${ALL}~${FAMILY_HEX}~mum.vcf`, {
      body: card({ uid: 'mum', fn: 'Mary Roe' }),
      headers: { 'Content-Type': 'text/vcard', 'If-Match': mumEtag },
    });
    assert.equal(edit.status, 204);
    assert.match((await s.server('GET', `${HOME}family/mum.vcf`)).text, /FN:Mary Roe/);

    // Elsewhere: another client deletes Jane from the default book.
    await s.server('DELETE', `${HOME}contacts/jane.vcf`);

    const ctag1 = textOf(
      found(
        responseFor(multistatus(await s.send('PROPFIND', ALL, { body: ctag, headers: { Depth: '0' } })), ALL),
        calserver('getctag'),
      ),
    );
    assert.notEqual(ctag1, ctag0, 'the ctag derives from every source book');
    const again = multistatus(await s.send('PROPFIND', ALL, { body: etagList, headers: { Depth: '1' } }));
    assert.deepEqual(
      again.responses
        .map((r) => r.href)
        .filter((h) => h !== ALL)
        .sort(),
      [`${ALL}E7213AAA-7206-4B97-926A-CDFECBD91C26-ABSPlugin.vcf`, `${ALL}~${FAMILY_HEX}~mum.vcf`],
    );
    assert.notEqual(textOf(found(responseFor(again, `${ALL}~${FAMILY_HEX}~mum.vcf`), dav('getetag'))), mumEtag);
    const del = await s.send('DELETE', `${ALL}E7213AAA-7206-4B97-926A-CDFECBD91C26-ABSPlugin.vcf`);
    assert.equal(del.status, 204);
    assert.equal(
      (await s.server('GET', `${HOME}contacts/E7213AAA-7206-4B97-926A-CDFECBD91C26-ABSPlugin.vcf`)).status,
      404,
    );
  });

  it('sync-collection on the aggregate reports changes in any source book', async () => {
    const s = await startSession({ userAgent: UA, headers: APPLE });
    await seedBooks(s);
    const sync = (t: string) =>
      `<A:sync-collection xmlns:A="DAV:"><A:sync-token>${t}</A:sync-token><A:sync-level>1</A:sync-level><A:prop><A:getetag/></A:prop></A:sync-collection>`;
    const first = await s.send('REPORT', ALL, { body: sync(''), headers: { Depth: '1' } });
    const tok = /<d:sync-token>([^<]+)</.exec(first.text)?.[1] ?? '';
    assert.equal(multistatus(first).responses.length, 2);
    await s.server('PUT', `${HOME}family/dad.vcf`, {
      body: card({ uid: 'dad', fn: 'John Doe' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const again = multistatus(await s.send('REPORT', ALL, { body: sync(tok), headers: { Depth: '1' } }));
    assert.deepEqual(
      again.responses.map((r) => r.href),
      [`${ALL}~${FAMILY_HEX}~dad.vcf`],
    );
  });

  it("the me-card PROPPATCH on the home (Apple's recorded body) gets a multistatus, not an HTTP error", async () => {
    const s = await startSession({
      userAgent: 'AddressBook/6.1 (1083) CardDAVPlugin/200 CFNetwork/520.3.2 Mac_OS_X/10.7.3 (11D50)',
      headers: APPLE,
    });
    const r = await s.send('PROPPATCH', HOME, { body: fixture('apple-addressbook-01-me-card-proppatch.xml') });
    multistatus(r);
  });

  it('other clients of the same user still see every book; operators can merge read-only books too', async () => {
    const s = await startSession({ userAgent: 'DAVx5/4.4.3.2-ose (at.bitfire.davdroid)' });
    await seedBooks(s);
    const home = multistatus(await s.send('PROPFIND', HOME, { body: etagList, headers: { Depth: '1' } }));
    assert.deepEqual(home.responses.map((r) => r.href).sort(), [
      HOME,
      `${HOME}contacts/`,
      `${HOME}directory/`,
      `${HOME}family/`,
    ]);

    const all = await startSession({
      userAgent: UA,
      app: { deps: { aggregatedAddressBook: { sources: 'all', displayName: 'Everyone' } } },
    });
    await seedBooks(all);
    await all.t.backend.seedObject({ owner: 'alice', home: 'addressbooks', id: 'directory' }, 'boss.vcf', {
      body: new TextEncoder().encode(card({ uid: 'boss', fn: 'Big Boss' })),
      contentType: 'text/vcard',
      uid: 'boss',
    });
    const listing = multistatus(await all.send('PROPFIND', ALL, { body: etagList, headers: { Depth: '1' } }));
    const dirHex = Buffer.from('directory').toString('hex');
    assert.ok(listing.byHref.has(`${ALL}~${dirHex}~boss.vcf`));
    const refused = await all.send('PUT', `${ALL}~${dirHex}~boss.vcf`, {
      body: card({ uid: 'boss', fn: 'Small Boss' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    assert.equal(refused.status, 403, 'directory cards are read-only');
  });
});
