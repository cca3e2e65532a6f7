// vCard and property-value transforms (quirks Q06, Q14, Q24).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appleIcal, dav } from '../../dav/xml/names.ts';
import { el } from '../../dav/xml/tree.ts';
import { unfold } from '../content-lines.ts';
import { bareContentType, colourWithAlpha, legacyVcardContentType } from './props.ts';
import { keepUidAcrossUrnPrefix, normaliseMemberUris } from './vcard.ts';

const vcard = (...inner: string[]) => `${['BEGIN:VCARD', 'VERSION:4.0', ...inner, 'END:VCARD'].join('\r\n')}\r\n`;

describe('normaliseMemberUris (quirks Q24)', () => {
  it('bare UIDs get urn:uuid:, doubled prefixes collapse, other URIs stay', () => {
    const out = unfold(
      normaliseMemberUris(
        vcard(
          'UID:g',
          'KIND:group',
          'MEMBER:abc',
          'MEMBER:urn:uuid:urn:uuid:def',
          'MEMBER:URN:UUID:ghi',
          'MEMBER:mailto:x@example.com',
          'X-ADDRESSBOOKSERVER-MEMBER:jkl',
        ),
      ),
    );
    assert.deepEqual(
      out.filter((l) => l.includes('MEMBER')),
      [
        'MEMBER:urn:uuid:abc',
        'MEMBER:urn:uuid:def',
        'MEMBER:urn:uuid:ghi',
        'MEMBER:mailto:x@example.com',
        'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:jkl',
      ],
    );
  });
  it('a card without members is returned byte for byte', () => {
    const text = vcard('UID:x', 'FN:X');
    assert.equal(normaliseMemberUris(text), text);
  });
});

describe('keepUidAcrossUrnPrefix (quirks Q24)', () => {
  it('keeps the stored UID when the new one only adds or drops urn:uuid:', () => {
    assert.match(keepUidAcrossUrnPrefix(vcard('UID:urn:uuid:a1'), vcard('UID:a1')), /UID:a1\r\n/);
    assert.match(keepUidAcrossUrnPrefix(vcard('UID:a1'), vcard('UID:urn:uuid:a1')), /UID:urn:uuid:a1\r\n/);
  });
  it('a really different UID, or no stored object, is left alone', () => {
    const text = vcard('UID:b2');
    assert.equal(keepUidAcrossUrnPrefix(text, vcard('UID:a1')), text);
    assert.equal(keepUidAcrossUrnPrefix(text, undefined), text);
  });
});

describe('property transforms', () => {
  it('quirks Q06: #RRGGBB gains an opaque alpha for Apple; #RRGGBBAA and other properties untouched', () => {
    const c = (v: string) => el(appleIcal('calendar-color'), [v]);
    assert.deepEqual(colourWithAlpha(appleIcal('calendar-color'), c('#3366CC')).children, ['#3366CCFF']);
    assert.deepEqual(colourWithAlpha(appleIcal('calendar-color'), c('#FD8208FF')).children, ['#FD8208FF']);
    const dn = el(dav('displayname'), ['#3366CC']);
    assert.equal(colourWithAlpha(dav('displayname'), dn), dn);
  });
  it('quirks Q14: bare content types for KDE, text/x-vcard for CardBook', () => {
    const ct = (v: string) => el(dav('getcontenttype'), [v]);
    assert.deepEqual(bareContentType(dav('getcontenttype'), ct('text/calendar; charset=utf-8')).children, [
      'text/calendar',
    ]);
    assert.deepEqual(legacyVcardContentType(dav('getcontenttype'), ct('text/vcard; charset=utf-8')).children, [
      'text/x-vcard',
    ]);
    assert.deepEqual(legacyVcardContentType(dav('getcontenttype'), ct('text/calendar')).children, ['text/calendar']);
  });
});
