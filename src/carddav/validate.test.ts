import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectionInfo } from '../backend/types.ts';
import { DavError } from '../dav/dav-error.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { APPLE_GROUP_V3, APPLE_V3, BROKEN, DAVX5_GROUP_V4, THUNDERBIRD_V4 } from './fixtures.ts';
import { checkVcardContentType, noUidConflict, validateVcard } from './validate.ts';

const book: CollectionInfo = {
  ref: { owner: 'alice', home: 'addressbooks', id: 'contacts' },
  kind: 'addressbook',
  deadProps: {},
};
const limits = { maxResourceSize: 100_000 };

function rejects(text: string, condition: string, lim = limits): void {
  assert.throws(
    () => validateVcard(text, book, lim),
    (e: unknown) => e instanceof DavError && e.status === 403 && e.condition === condition,
  );
}

describe('validateVcard (RFC 6352 §6.3.2.1)', () => {
  it('accepts vCard 3.0 and 4.0 from real clients and returns the UID', () => {
    assert.equal(validateVcard(APPLE_V3, book, limits).uid, '6B29FC40-CA47-1067-B31D-00DD010662DA');
    assert.equal(validateVcard(APPLE_V3, book, limits).version, '3.0');
    const tb = validateVcard(THUNDERBIRD_V4, book, limits);
    assert.deepEqual(tb, {
      uid: 'd2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d',
      text: THUNDERBIRD_V4,
      version: '4.0',
      modified: false,
    });
    assert.equal(validateVcard(DAVX5_GROUP_V4, book, limits).version, '4.0');
    assert.equal(validateVcard(APPLE_GROUP_V3, book, limits).uid, '5C1A9E2B-3D4F-4A6B-8C7D-9E0F1A2B3C4D');
  });

  it('strips a BOM and reports the body as modified (quirks Q19/Q29)', () => {
    const v = validateVcard(`\uFEFF${THUNDERBIRD_V4}`, book, limits);
    assert.equal(v.text, THUNDERBIRD_V4);
    assert.equal(v.modified, true);
  });

  it('valid-address-data: a vCard without UID is rejected (RFC 6352 §5.1)', () => {
    rejects(BROKEN.noUid, carddav('valid-address-data'));
  });

  it('valid-address-data: missing VERSION, two vCards, a VCALENDAR, broken syntax', () => {
    for (const t of [
      BROKEN.noVersion,
      BROKEN.two,
      BROKEN.calendar,
      BROKEN.unterminated,
      BROKEN.badLine,
      BROKEN.empty,
    ]) {
      rejects(t, carddav('valid-address-data'));
    }
  });

  it('supported-address-data: vCard 2.1 is not a supported version', () => {
    rejects(BROKEN.version21, carddav('supported-address-data'));
  });

  it('max-resource-size: counts UTF-8 bytes, not characters', () => {
    const size = Buffer.byteLength(APPLE_V3, 'utf8');
    assert.ok(size > APPLE_V3.length, 'fixture has non-ASCII characters');
    rejects(APPLE_V3, carddav('max-resource-size'), { maxResourceSize: APPLE_V3.length });
    assert.ok(validateVcard(APPLE_V3, book, { maxResourceSize: size }));
  });
});

describe('checkVcardContentType', () => {
  it('accepts vCard spellings clients send (quirks Q14) and no type at all', () => {
    for (const t of [
      undefined,
      '',
      'text/vcard',
      'text/vcard; charset=utf-8',
      'TEXT/X-VCARD',
      'text/directory;profile=vCard',
    ]) {
      assert.doesNotThrow(() => checkVcardContentType(t));
    }
  });
  it('rejects other media types with supported-address-data', () => {
    assert.throws(
      () => checkVcardContentType('text/calendar'),
      (e: unknown) => e instanceof DavError && e.condition === carddav('supported-address-data'),
    );
  });
});

describe('noUidConflict', () => {
  it('carries the conflicting href inside CARDDAV:no-uid-conflict', () => {
    const e = noUidConflict('/dav/addressbooks/alice/contacts/other.vcf');
    assert.equal(e.status, 403);
    assert.equal(e.condition, carddav('no-uid-conflict'));
    assert.deepEqual(e.conditionChildren, [
      { name: dav('href'), attrs: {}, children: ['/dav/addressbooks/alice/contacts/other.vcf'] },
    ]);
  });
});
