// TbSync's DAV provider: discovery, calendars through Thunderbird's calendar code (sync, invitation
// race as Thunderbird) and address books through its own CardDAV (sync-collection), re-sync (quirks Q18).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carddav } from '../../../src/dav/xml/names.ts';
import { textOf } from '../../support/xml-assert.ts';
import { card, invitation } from '../support/data.ts';
import { discoverHomes } from '../support/flows.ts';
import { found, multistatus, responseFor, startSession } from '../support/session.ts';

const UA = 'Thunderbird CalDAV/CardDAV Lightning/68.10.0';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const CAL = '/dav/calendars/alice/calendar/';
const BOOK = '/dav/addressbooks/alice/contacts/';
const sync = (t: string, extra = '') =>
  `<d:sync-collection xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:sync-token>${t}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/>${extra}</d:prop></d:sync-collection>`;
const token = (t: string) => /<d:sync-token>([^<]+)</.exec(t)?.[1] ?? assert.fail('no token');

describe('TbSync DAV provider', () => {
  it('calendar: sync, invitation accepted before sync, re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${CAL}srv.ics`, {
      body: invitation('tbs-1', 'NEEDS-ACTION'),
      headers: { 'Content-Type': 'text/calendar' },
    });
    await discoverHomes(s, '/.well-known/caldav', {});
    const first = await s.send('REPORT', CAL, { body: sync(''), headers: { Depth: '1' } });
    const t1 = token(first.text);
    const r = await s.send('PUT', `${CAL}tbs-1.ics`, {
      body: invitation('tbs-1', 'DECLINED'),
      headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' },
    });
    assert.equal(r.status, 204);
    const again = multistatus(await s.send('REPORT', CAL, { body: sync(t1), headers: { Depth: '1' } }));
    assert.deepEqual(
      again.responses.map((x) => x.href),
      [`${CAL}srv.ics`],
    );
    assert.match((await s.server('GET', `${CAL}srv.ics`)).text, /PARTSTAT=DECLINED/);
  });

  it('contacts: sync-collection with address-data, PUT, re-sync', async () => {
    const s = await startSession({ userAgent: UA, headers: XML });
    await s.server('PUT', `${BOOK}o.vcf`, {
      body: card({ uid: 'o', fn: 'Otto Lang' }),
      headers: { 'Content-Type': 'text/vcard' },
    });
    const first = await s.send('REPORT', BOOK, { body: sync('', '<card:address-data/>'), headers: { Depth: '1' } });
    const t1 = token(first.text);
    assert.match(
      textOf(found(responseFor(multistatus(first), `${BOOK}o.vcf`), carddav('address-data'))),
      /FN:Otto Lang/,
    );
    const put = await s.send('PUT', `${BOOK}t.vcf`, {
      body: card({ uid: 't', fn: 'Tina Sync' }),
      headers: { 'Content-Type': 'text/vcard', 'If-None-Match': '*' },
    });
    assert.equal(put.status, 201);
    const again = multistatus(
      await s.send('REPORT', BOOK, { body: sync(t1, '<card:address-data/>'), headers: { Depth: '1' } }),
    );
    assert.deepEqual(
      again.responses.map((x) => x.href),
      [`${BOOK}t.vcf`],
    );
  });
});
