// vCard versions and contact-group flavours through the whole stack (quirks Q23/Q24): the stored form
// by default, conversion by address-data version, by Accept and by the client profile, and SOGo lists
// (text/x-vlist) stored as sent and served as vCard groups to clients that want those.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QuirkProfile } from '../../../src/quirks/profile.ts';
import { createTestApp } from '../../support/app.ts';
import { parseMultistatus, textOf } from '../../support/xml-assert.ts';

const BOOK = '/dav/addressbooks/alice/contacts/';
const NS = 'xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"';
const crlf = (l: string[]) => `${l.join('\r\n')}\r\n`;

const ADA = crlf([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'UID:ada',
  'FN:Ada Lovelace',
  'N:Lovelace;Ada;;;',
  'EMAIL;PREF=1:ada@example.org',
  'PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRg==',
  'END:VCARD',
]);
const GROUP = crlf([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'UID:team',
  'KIND:group',
  'FN:Team',
  'MEMBER:urn:uuid:ada',
  'END:VCARD',
]);
const VLIST = crlf([
  'BEGIN:VLIST',
  'VERSION:1.0',
  'UID:list-1',
  'PRODID:-//Inverse inc.//SOGo Connector 1.0//EN',
  'FN:Book club',
  'DESCRIPTION:Monthly',
  'CARD;FN=Ada Lovelace;EMAIL=ada@example.org:ada.vcf',
  'END:VLIST',
]);

const apple: QuirkProfile = {
  id: 'test-apple',
  description: 'test profile',
  evidence: [],
  match: /^TestApple/,
  options: { vcardVersion: '3.0', groupFlavour: 'apple' },
};

async function setup() {
  const t = await createTestApp({ profiles: [apple] });
  for (const [name, body, type] of [
    ['ada.vcf', ADA, 'text/vcard'],
    ['team.vcf', GROUP, 'text/vcard'],
    ['list.vcf', VLIST, 'text/x-vlist'],
  ]) {
    const r = await t.request('PUT', `${BOOK}${name}`, { body, headers: { 'Content-Type': type } });
    assert.equal(r.status, 201, `PUT ${name}: ${r.status} ${r.text}`);
  }
  return t;
}

async function addressData(
  t: Awaited<ReturnType<typeof setup>>,
  dataAttrs: string,
  headers: Record<string, string> = {},
) {
  const body = `<card:addressbook-multiget ${NS}><d:prop><card:address-data ${dataAttrs}/></d:prop><d:href>${BOOK}ada.vcf</d:href><d:href>${BOOK}team.vcf</d:href><d:href>${BOOK}list.vcf</d:href></card:addressbook-multiget>`;
  const r = await t.request('REPORT', BOOK, { body, headers });
  assert.equal(r.status, 207, r.text);
  const ms = parseMultistatus(r.text);
  return (name: string) =>
    textOf(ms.byHref.get(`${BOOK}${name}`)?.props.get('{urn:ietf:params:xml:ns:carddav}address-data')?.el as never);
}

describe('vCard representations (RFC 6352 §10.4, quirks Q23/Q24)', () => {
  it('without a version the stored form comes back byte for byte, a SOGo list included', async () => {
    const t = await setup();
    const get = await addressData(t, '');
    assert.equal(get('ada.vcf'), ADA);
    assert.equal(get('team.vcf'), GROUP);
    assert.equal(get('list.vcf'), VLIST);
    const r = await t.request('GET', `${BOOK}list.vcf`);
    assert.match(r.headers.get('content-type') ?? '', /^text\/x-vlist/);
    assert.equal(r.text, VLIST);
  });

  it('version="3.0": PHOTO inline, Apple groups, and the list as an Apple group', async () => {
    const t = await setup();
    const get = await addressData(t, 'content-type="text/vcard" version="3.0"');
    assert.match(get('ada.vcf'), /\r\nVERSION:3\.0\r\n[\s\S]*PHOTO;ENCODING=b;TYPE=JPEG:\/9j\/4AAQSkZJRg==\r\n/);
    assert.match(get('ada.vcf'), /\r\nEMAIL;TYPE=pref:ada@example\.org\r\n/);
    assert.match(
      get('team.vcf'),
      /\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n[\s\S]*X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ada\r\n/,
    );
    assert.match(get('list.vcf'), /\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ada\r\n/);
    assert.match(get('list.vcf'), /\r\nFN:Book club\r\n/);
  });

  it('the client profile decides when the request does not: Apple gets 3.0 and Apple groups', async () => {
    const t = await setup();
    const get = await addressData(t, '', { 'User-Agent': 'TestApple/1.0' });
    assert.match(get('ada.vcf'), /\r\nVERSION:3\.0\r\n/);
    assert.match(get('team.vcf'), /\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n/);
    const g = await t.request('GET', `${BOOK}team.vcf`, { headers: { 'User-Agent': 'TestApple/1.0' } });
    assert.match(g.text, /\r\nVERSION:3\.0\r\n/);
  });

  it('GET with Accept: text/x-vlist turns a vCard group into a SOGo list; Accept version=4.0 a list into KIND:group', async () => {
    const t = await setup();
    const asList = await t.request('GET', `${BOOK}team.vcf`, { headers: { Accept: 'text/x-vlist' } });
    assert.match(asList.headers.get('content-type') ?? '', /^text\/x-vlist/);
    assert.match(asList.text, /\r\nCARD;FN=Ada Lovelace;EMAIL=ada@example\.org:ada\.vcf\r\n/);
    const asGroup = await t.request('GET', `${BOOK}list.vcf`, { headers: { Accept: 'text/vcard; version=4.0' } });
    assert.match(asGroup.text, /\r\nKIND:group\r\n[\s\S]*MEMBER:urn:uuid:ada\r\n/);
    assert.equal(asGroup.headers.get('etag'), (await t.request('GET', `${BOOK}list.vcf`)).headers.get('etag'));
  });

  it('addressbook-query matches a stored list like the group it stands for', async () => {
    const t = await setup();
    const body = `<card:addressbook-query ${NS}><d:prop><d:getetag/></d:prop><card:filter><card:prop-filter name="FN"><card:text-match>book club</card:text-match></card:prop-filter></card:filter></card:addressbook-query>`;
    const r = await t.request('REPORT', BOOK, { body, headers: { Depth: '1' } });
    assert.deepEqual(
      parseMultistatus(r.text).responses.map((x) => x.href),
      [`${BOOK}list.vcf`],
    );
  });
});
