import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPLE_V3, BROKEN, DAVX5_GROUP_V4, INTEROP_SAMPLES, THUNDERBIRD_V4 } from './fixtures.ts';
import { parseVcard, propertyNameMatches, VcardParseError } from './vcard.ts';

describe('parseVcard (RFC 6350 §3.3 / RFC 2426)', () => {
  it('Apple 3.0: groups, repeated TYPE params, structured values and a folded PHOTO', () => {
    const c = parseVcard(APPLE_V3);
    assert.equal(c.version, '3.0');
    assert.equal(c.uid, '6B29FC40-CA47-1067-B31D-00DD010662DA');
    const grouped = c.props.find((p) => p.name === 'EMAIL' && p.group === 'ITEM1');
    assert.ok(grouped);
    assert.equal(grouped.text, 'joerg@acme.example');
    assert.deepEqual(grouped.params.get('TYPE'), ['INTERNET', 'pref']);
    const org = c.props.find((p) => p.name === 'ORG');
    assert.deepEqual(org?.values, ['Acme, Inc.', 'Research']);
    assert.equal(org?.text, 'Acme, Inc.;Research');
    const photo = c.props.find((p) => p.name === 'PHOTO');
    assert.ok(photo?.text.endsWith('AVN//2Q=='), 'folded base64 is unfolded');
    assert.equal(c.props.find((p) => p.name === 'NOTE')?.text, 'Met at the conference\nRoom 4');
  });

  it('vCard 4.0: list values (CATEGORIES) and PREF parameters', () => {
    const c = parseVcard(THUNDERBIRD_V4);
    assert.equal(c.version, '4.0');
    const cats = c.props.find((p) => p.name === 'CATEGORIES');
    assert.deepEqual(cats?.values, ['Mathematics', 'Friends']);
    assert.equal(cats?.text, 'Mathematics,Friends');
    assert.deepEqual(c.props.find((p) => p.name === 'EMAIL')?.params.get('PREF'), ['1']);
  });

  it('vCard 4.0 group card keeps every MEMBER', () => {
    const c = parseVcard(DAVX5_GROUP_V4);
    assert.equal(c.props.filter((p) => p.name === 'MEMBER').length, 2);
  });

  it('keeps quoted parameter values with commas in one piece', () => {
    const c = parseVcard(INTEROP_SAMPLES[1]);
    const x = c.props.find((p) => p.name === 'X-CUSTOMPROP');
    assert.deepEqual(x?.params.get('X-SPACEPARAM'), ['HELLO, WORLD']);
  });

  it('tolerates a UTF-8 BOM and bare LF line ends (quirks Q29)', () => {
    const c = parseVcard(`\uFEFF${THUNDERBIRD_V4.replace(/\r\n/g, '\n')}`);
    assert.equal(c.uid, 'd2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d');
  });

  for (const [name, text] of Object.entries({
    'two vCards': BROKEN.two,
    'a VCALENDAR': BROKEN.calendar,
    'a vCard without END': BROKEN.unterminated,
    'a line without a colon': BROKEN.badLine,
    'END:VCALENDAR closing a vCard': BROKEN.mismatchedEnd,
    'an empty body': BROKEN.empty,
  })) {
    it(`RFC 6352 §5.1: rejects ${name}`, () => {
      assert.throws(() => parseVcard(text), VcardParseError);
    });
  }
});

describe('propertyNameMatches', () => {
  it('EMAIL matches item1.EMAIL; item1.EMAIL matches only its group; names are case-insensitive', () => {
    assert.ok(propertyNameMatches('EMAIL', { name: 'EMAIL', group: 'ITEM1' }));
    assert.ok(propertyNameMatches('email', { name: 'EMAIL', group: undefined }));
    assert.ok(propertyNameMatches('item1.EMAIL', { name: 'EMAIL', group: 'ITEM1' }));
    assert.ok(!propertyNameMatches('item1.EMAIL', { name: 'EMAIL', group: undefined }));
    assert.ok(!propertyNameMatches('item1.EMAIL', { name: 'EMAIL', group: 'ITEM2' }));
  });
});
