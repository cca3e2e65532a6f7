import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from '../dav/dav-error.ts';
import { carddav } from '../dav/xml/names.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { MATCH_ALL, parseFilter } from './filter.ts';

const NS = 'xmlns:C="urn:ietf:params:xml:ns:carddav"';
const filter = (inner: string, attrs = '') => parseFilter(parseXml(`<C:filter ${NS} ${attrs}>${inner}</C:filter>`));

function rejects(inner: string, status: number, condition?: string): DavError {
  let caught: DavError | undefined;
  assert.throws(
    () => filter(inner),
    (e: unknown) => {
      caught = e as DavError;
      return e instanceof DavError && e.status === status && e.condition === condition;
    },
  );
  return caught as DavError;
}

describe('parseFilter (RFC 6352 §10.5)', () => {
  it('quirks Q12: a missing filter (KDE) or an empty one (DAVdroid) matches everything', () => {
    assert.deepEqual(parseFilter(undefined), MATCH_ALL);
    assert.deepEqual(filter(''), { test: 'anyof', propFilters: [] });
  });

  it('defaults: test=anyof, collation i;unicode-casemap, match-type contains, negate no', () => {
    assert.deepEqual(filter('<C:prop-filter name="FN"><C:text-match>daboo</C:text-match></C:prop-filter>'), {
      test: 'anyof',
      propFilters: [
        {
          kind: 'prop-test',
          name: 'FN',
          test: 'anyof',
          textMatches: [{ text: 'daboo', collation: 'i;unicode-casemap', matchType: 'contains', negate: false }],
          paramFilters: [],
        },
      ],
    });
  });

  it('§8.6.4 example: anyof over NICKNAME equals and EMAIL contains, explicit attributes', () => {
    const f = filter(
      `<C:prop-filter name="NICKNAME"><C:text-match collation="i;unicode-casemap" match-type="equals">me</C:text-match></C:prop-filter>
       <C:prop-filter name="EMAIL" test="allof"><C:text-match collation="i;octet" negate-condition="yes" match-type="ends-with">@example.com</C:text-match>
         <C:param-filter name="TYPE"><C:text-match match-type="equals">work</C:text-match></C:param-filter></C:prop-filter>`,
      'test="allof"',
    );
    assert.equal(f.test, 'allof');
    assert.equal(f.propFilters.length, 2);
    const email = f.propFilters[1];
    assert.equal(email.kind, 'prop-test');
    if (email.kind !== 'prop-test') return;
    assert.equal(email.test, 'allof');
    assert.deepEqual(email.textMatches[0], {
      text: '@example.com',
      collation: 'i;octet',
      matchType: 'ends-with',
      negate: true,
    });
    assert.deepEqual(email.paramFilters[0], {
      kind: 'param-text',
      name: 'TYPE',
      match: { text: 'work', collation: 'i;unicode-casemap', matchType: 'equals', negate: false },
    });
  });

  it('empty prop-filter means "defined"; is-not-defined on props and params', () => {
    const f = filter(
      `<C:prop-filter name="EMAIL"/><C:prop-filter name="TEL"><C:is-not-defined/></C:prop-filter>
       <C:prop-filter name="ADR"><C:param-filter name="TYPE"/><C:param-filter name="LABEL"><C:is-not-defined/></C:param-filter></C:prop-filter>`,
    );
    assert.deepEqual(f.propFilters[0], { kind: 'prop-defined', name: 'EMAIL' });
    assert.deepEqual(f.propFilters[1], { kind: 'prop-not-defined', name: 'TEL' });
    const adr = f.propFilters[2];
    assert.ok(adr.kind === 'prop-test');
    assert.deepEqual(adr.paramFilters, [
      { kind: 'param-defined', name: 'TYPE' },
      { kind: 'param-not-defined', name: 'LABEL' },
    ]);
  });

  it('keeps spaces inside the match text', () => {
    const f = filter(
      '<C:prop-filter name="X-P"><C:param-filter name="X-S"><C:text-match>lo, W</C:text-match></C:param-filter></C:prop-filter>',
    );
    const pf = f.propFilters[0];
    assert.ok(pf.kind === 'prop-test' && pf.paramFilters[0].kind === 'param-text');
    assert.equal(pf.paramFilters[0].match.text, 'lo, W');
  });

  it('§8.6 supported-collation: 403 naming the unknown collation', () => {
    const e = rejects(
      '<C:prop-filter name="FN"><C:text-match collation="i;x-bogus">a</C:text-match></C:prop-filter>',
      403,
      carddav('supported-collation'),
    );
    assert.deepEqual(e.conditionChildren, ['i;x-bogus']);
  });

  it('"default" is an accepted collation identifier (RFC 4790 §3.1)', () => {
    const f = filter('<C:prop-filter name="FN"><C:text-match collation="default">a</C:text-match></C:prop-filter>');
    assert.ok(
      f.propFilters[0].kind === 'prop-test' && f.propFilters[0].textMatches[0].collation === 'i;unicode-casemap',
    );
  });

  it('§8.6 supported-filter: unknown elements and match types are reported with the prop-filter', () => {
    const e = rejects(
      '<C:prop-filter name="BDAY"><C:time-range start="20200101T000000Z"/></C:prop-filter>',
      403,
      carddav('supported-filter'),
    );
    assert.equal((e.conditionChildren[0] as { name: string }).name, carddav('prop-filter'));
    rejects(
      '<C:prop-filter name="FN"><C:text-match match-type="regex">a.*</C:text-match></C:prop-filter>',
      403,
      carddav('supported-filter'),
    );
    rejects('<C:comp-filter name="VCARD"/>', 403, carddav('supported-filter'));
  });

  it('400 for malformed filters: missing name, bad test, is-not-defined mixed with conditions', () => {
    rejects('<C:prop-filter><C:is-not-defined/></C:prop-filter>', 400);
    rejects('<C:prop-filter name="FN" test="some"/>', 400);
    rejects('<C:prop-filter name="FN"><C:is-not-defined/><C:text-match>a</C:text-match></C:prop-filter>', 400);
    rejects('<C:prop-filter name="FN"><C:text-match negate-condition="maybe">a</C:text-match></C:prop-filter>', 400);
  });
});
