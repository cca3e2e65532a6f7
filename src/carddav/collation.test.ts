import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collate, parseCollation } from './collation.ts';

describe('RFC 6352 §8.3 collations', () => {
  it('absent or "default" means i;unicode-casemap; unknown collations are undefined', () => {
    assert.equal(parseCollation(undefined), 'i;unicode-casemap');
    assert.equal(parseCollation('default'), 'i;unicode-casemap');
    assert.equal(parseCollation('i;octet'), 'i;octet');
    assert.equal(parseCollation('i;x-bogus'), undefined);
  });

  it('i;octet is case-sensitive', () => {
    assert.ok(collate('Doe', 'Doe', 'i;octet', 'equals'));
    assert.ok(!collate('Doe', 'doe', 'i;octet', 'equals'));
  });

  it('i;ascii-casemap folds ASCII letters only', () => {
    assert.ok(collate('JohnDoe@Example.com', 'johndoe@example.COM', 'i;ascii-casemap', 'equals'));
    assert.ok(!collate('MÜLLER', 'müller', 'i;ascii-casemap', 'equals'));
  });

  it('i;unicode-casemap folds non-ASCII case and compatibility forms (RFC 5051)', () => {
    assert.ok(collate('MÜLLER', 'müller', 'i;unicode-casemap', 'equals'));
    assert.ok(collate('Straße', 'STRASSE', 'i;unicode-casemap', 'equals'));
    // Precomposed é against e + combining acute.
    assert.ok(collate('Ren\u00e9', 'rene\u0301', 'i;unicode-casemap', 'equals'));
    assert.ok(collate('ﬁle', 'FILE', 'i;unicode-casemap', 'equals'), 'ligature decomposes under NFKD');
  });

  it('match types: equals, contains, starts-with, ends-with', () => {
    const c = 'i;unicode-casemap';
    assert.ok(collate('maxmu@abcd.com', 'MU@AB', c, 'contains'));
    assert.ok(collate('maxmu@abcd.com', 'MAX', c, 'starts-with'));
    assert.ok(!collate('maxmu@abcd.com', 'abcd', c, 'starts-with'));
    assert.ok(collate('maxmu@abcd.com', '@ABCD.com', c, 'ends-with'));
    assert.ok(!collate('maxmu@abcd.com', 'maxmu', c, 'equals'));
  });
});
