import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  convertLines,
  groupToVlist,
  type MemberCard,
  type MemberLookup,
  parseLines,
  represent,
  vlistToGroupLines,
  writeLines,
} from './convert.ts';
import { APPLE_GROUP_V3, APPLE_V3, DAVX5_GROUP_V4, THUNDERBIRD_V4 } from './fixtures.ts';
import { representationFromAccept } from './representation.ts';
import { parseVcard } from './vcard.ts';

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
const convert = (text: string, to: '3.0' | '4.0') => {
  const from = /VERSION:4\.0/.test(text) ? '4.0' : '3.0';
  return writeLines(convertLines(parseLines(text, from), to));
};
const lines = (text: string) => text.split('\r\n');

describe('vCard 3.0 → 4.0 (RFC 2426 → RFC 6350, quirks Q23)', () => {
  const v4 = convert(APPLE_V3, '4.0');

  it('puts VERSION:4.0 right after BEGIN and parses as vCard 4', () => {
    assert.deepEqual(lines(v4).slice(0, 2), ['BEGIN:VCARD', 'VERSION:4.0']);
    const card = parseVcard(v4);
    assert.equal(card.version, '4.0');
    assert.equal(card.uid, '6B29FC40-CA47-1067-B31D-00DD010662DA');
  });

  it('inline PHOTO (ENCODING=b) becomes a data: URI', () => {
    const photo = parseVcard(v4).props.find((p) => p.name === 'PHOTO');
    assert.ok(photo);
    assert.match(
      photo.text,
      /^data:image\/jpeg;base64,\/9j\/4AAQSkZJRgABAQAAAQABAAD\/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a/,
    );
    assert.ok(!photo.params.has('ENCODING'));
  });

  it('TYPE=pref becomes PREF=1; groups, X-AB* and escapes are kept', () => {
    assert.ok(lines(v4).includes('item1.EMAIL;TYPE=INTERNET;PREF=1:joerg@acme.example'), v4);
    assert.ok(lines(v4).includes('item1.X-ABLabel:_$!<Other>!$_'));
    assert.ok(lines(v4).includes('ORG:Acme\\, Inc.;Research'));
    assert.ok(lines(v4).includes('NOTE:Met at the conference\\nRoom 4'));
  });

  it('year-less Apple birthday and X-ANNIVERSARY map to 4.0 forms; Apple groups to KIND/MEMBER', () => {
    const apple = crlf([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'UID:x',
      'FN:X',
      'N:X;;;;',
      'BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12',
      'X-ANNIVERSARY:2009-08-08',
      'X-ABSHOWAS:COMPANY',
      'LABEL;TYPE=WORK:Main St 1\\nBerlin',
      'ADR;TYPE=WORK:;;Main St 1;Berlin;;;',
      'END:VCARD',
    ]);
    const out = lines(convert(apple, '4.0'));
    assert.ok(out.includes('BDAY:--0412'), out.join('\n'));
    assert.ok(out.includes('ANNIVERSARY:20090808'));
    assert.ok(out.includes('KIND:org'));
    assert.ok(out.includes('ADR;TYPE=WORK;LABEL=Main St 1^nBerlin:;;Main St 1;Berlin;;;'), out.join('\n'));
    const group = lines(convert(APPLE_GROUP_V3, '4.0'));
    assert.ok(group.includes('KIND:group'));
    assert.ok(group.includes('MEMBER:urn:uuid:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d'));
  });
});

describe('vCard 4.0 → 3.0', () => {
  it('PREF becomes TYPE=pref, VALUE=TEXT goes, dates become extended, N stays', () => {
    const out = lines(convert(THUNDERBIRD_V4, '3.0'));
    assert.equal(out[1], 'VERSION:3.0');
    assert.ok(out.includes('EMAIL;TYPE=pref:ada@analytical.example'), out.join('\n'));
    assert.ok(out.includes('TEL;TYPE=cell:+44 20 7946 0000'));
    assert.ok(out.includes('BDAY:1815-12-10'));
    assert.ok(out.includes('N:Lovelace;Ada;;;'));
    assert.equal(parseVcard(out.join('\r\n')).version, '3.0');
  });

  it('PHOTO data: URI becomes ENCODING=b;TYPE=JPEG, a photo URL becomes VALUE=uri', () => {
    const v4 = crlf([
      'BEGIN:VCARD',
      'VERSION:4.0',
      'UID:p',
      'FN:P',
      'PHOTO:data:image/png;base64,iVBORw0KGgo=',
      'LOGO;MEDIATYPE=image/png:https://example.org/logo.png',
      'END:VCARD',
    ]);
    const out = lines(convert(v4, '3.0'));
    assert.ok(out.includes('PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo='), out.join('\n'));
    assert.ok(out.includes('LOGO;VALUE=uri:https://example.org/logo.png'), out.join('\n'));
    // and back: the same photo as a data: URI again
    const back = lines(convert(out.join('\r\n'), '4.0'));
    assert.ok(back.includes('PHOTO:data:image/png;base64,iVBORw0KGgo='), back.join('\n'));
    assert.ok(back.includes('LOGO:https://example.org/logo.png'), back.join('\n'));
  });

  it('year-less BDAY, KIND:group/org, MEMBER, missing N and long N/ADR', () => {
    const v4 = crlf([
      'BEGIN:VCARD',
      'VERSION:4.0',
      'UID:g',
      'FN:Team\\, A',
      'KIND:group',
      'BDAY:--0412',
      'MEMBER:urn:uuid:1',
      'GENDER:F',
      'CLIENTPIDMAP:1;urn:uuid:x',
      'END:VCARD',
    ]);
    const out = lines(convert(v4, '3.0'));
    assert.ok(out.includes('X-ADDRESSBOOKSERVER-KIND:group'));
    assert.ok(out.includes('X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:1'));
    assert.ok(out.includes('BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12'));
    assert.ok(out.includes('N:Team\\, A;;;;'), out.join('\n'));
    assert.ok(out.includes('X-GENDER:F'));
    assert.ok(!out.some((l) => l.startsWith('CLIENTPIDMAP')));
    const org = lines(convert(crlf(['BEGIN:VCARD', 'VERSION:4.0', 'UID:o', 'FN:O', 'KIND:org', 'END:VCARD']), '3.0'));
    assert.ok(org.includes('X-ABSHOWAS:COMPANY'));
  });

  it('round trip 4.0 → 3.0 → 4.0 keeps the data', () => {
    const back = parseVcard(convert(convert(DAVX5_GROUP_V4, '3.0'), '4.0'));
    const members = back.props.filter((p) => p.name === 'MEMBER').map((p) => p.text);
    assert.deepEqual(members, [
      'urn:uuid:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d',
      'urn:uuid:6B29FC40-CA47-1067-B31D-00DD010662DA',
    ]);
    assert.equal(back.props.find((p) => p.name === 'KIND')?.text, 'group');
  });
});

const members: MemberCard[] = [
  { name: 'ada.vcf', uid: 'd2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d', fn: 'Ada Lovelace', email: 'ada@analytical.example' },
  { name: 'joerg.vcf', uid: '6B29FC40-CA47-1067-B31D-00DD010662DA', fn: 'Dr. Jörg Müller' },
];
const lookup: MemberLookup = {
  byUid: async (uids) => new Map(members.filter((m) => uids.includes(m.uid)).map((m) => [m.uid, m])),
  byName: async (names) => new Map(members.filter((m) => names.includes(m.name)).map((m) => [m.name, m])),
};

describe('contact group flavours (quirks Q24)', () => {
  it('default: the stored form, whatever it is', async () => {
    for (const g of [DAVX5_GROUP_V4, APPLE_GROUP_V3]) {
      const r = await represent(g, 'text/vcard; charset=utf-8', {}, lookup);
      assert.equal(r.text, g);
      assert.ok(r.unchanged);
    }
  });

  it('vcard4 group → Apple flavour keeps the version, renames KIND/MEMBER and sets N to FN', async () => {
    const r = await represent(DAVX5_GROUP_V4, 'text/vcard', { flavour: 'apple' }, lookup);
    const out = lines(r.text);
    assert.ok(out.includes('X-ADDRESSBOOKSERVER-KIND:group'));
    assert.ok(out.includes('X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d'));
    assert.ok(out.includes('N:Book club;;;;'));
    assert.ok(!out.some((l) => l.startsWith('KIND') || l.startsWith('MEMBER')));
  });

  it('Apple group → vcard4 flavour', async () => {
    const r = await represent(APPLE_GROUP_V3, 'text/vcard', { flavour: 'vcard4' }, lookup);
    assert.ok(lines(r.text).includes('KIND:group'));
    assert.ok(lines(r.text).includes('MEMBER:urn:uuid:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d'));
  });

  it('a group as a SOGo VLIST (text/x-vlist) references the member resources with FN and EMAIL', async () => {
    const r = await represent(DAVX5_GROUP_V4, 'text/vcard', { flavour: 'vlist' }, lookup);
    assert.equal(r.contentType, 'text/x-vlist; charset=utf-8');
    const out = lines(r.text);
    assert.deepEqual(out.slice(0, 3), ['BEGIN:VLIST', 'VERSION:1.0', 'UID:0b5f6c3a-2f3e-4c63-8c2b-9b8f1a7e6d10']);
    assert.ok(out.includes('FN:Book club'));
    assert.ok(out.includes('CARD;FN=Ada Lovelace;EMAIL=ada@analytical.example:ada.vcf'), out.join('\n'));
    assert.ok(out.includes('CARD;FN=Dr. Jörg Müller:joerg.vcf'));
    assert.equal(out.at(-2), 'END:VLIST');
  });

  it('a stored VLIST → vCard 4 group with MEMBER UIDs of the referenced cards, and → Apple 3.0', async () => {
    const vlist = await groupToVlist(parseLines(DAVX5_GROUP_V4, '4.0'), lookup);
    const g4 = writeLines(await vlistToGroupLines(vlist, '4.0', lookup));
    const card = parseVcard(g4);
    assert.equal(card.version, '4.0');
    assert.equal(card.uid, '0b5f6c3a-2f3e-4c63-8c2b-9b8f1a7e6d10');
    assert.deepEqual(
      card.props.filter((p) => p.name === 'MEMBER').map((p) => p.text),
      ['urn:uuid:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d', 'urn:uuid:6B29FC40-CA47-1067-B31D-00DD010662DA'],
    );
    const apple = await represent(vlist, 'text/x-vlist', { version: '3.0', flavour: 'apple' }, lookup);
    assert.ok(lines(apple.text).includes('X-ADDRESSBOOKSERVER-KIND:group'));
    assert.ok(lines(apple.text).includes('VERSION:3.0'));
    const same = await represent(vlist, 'text/x-vlist', {}, lookup);
    assert.equal(same.text, vlist);
  });

  it('a card that is not a group is never touched by a flavour', async () => {
    const r = await represent(THUNDERBIRD_V4, 'text/vcard', { flavour: 'apple' }, lookup);
    assert.equal(r.text, THUNDERBIRD_V4);
  });
});

describe('Accept negotiation on GET', () => {
  it('reads version parameters, q-values and text/x-vlist', () => {
    assert.deepEqual(representationFromAccept('text/vcard; version=4.0'), { version: '4.0' });
    assert.deepEqual(representationFromAccept('text/vcard;version="3.0", text/vcard;version=4.0;q=0.5'), {
      version: '3.0',
    });
    assert.deepEqual(representationFromAccept('text/vcard;version=3.0;q=0.2, text/vcard;version=4.0'), {
      version: '4.0',
    });
    assert.deepEqual(representationFromAccept('text/x-vlist'), { flavour: 'vlist' });
    assert.deepEqual(representationFromAccept('*/*'), {});
    assert.deepEqual(representationFromAccept('text/vcard'), {});
    assert.deepEqual(representationFromAccept(undefined), {});
  });
});
