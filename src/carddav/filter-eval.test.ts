import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../dav/xml/parse.ts';
import { parseFilter } from './filter.ts';
import { matchesFilter } from './filter-eval.ts';
import { APPLE_V3, INTEROP_SAMPLES, THUNDERBIRD_V4 } from './fixtures.ts';
import { parseVcard } from './vcard.ts';

const NS = 'xmlns:C="urn:ietf:params:xml:ns:carddav"';

/** carddavclient's match notation: `/text/` contains, `/t/=` equals, `/t/^` starts-with, `/t/$` ends-with, `!` negates, `//` only "defined". */
function textMatchXml(spec: string): string {
  const m = /^(!?)\/(.*)\/([$=^]?)$/.exec(spec);
  if (!m) throw new Error(`bad spec ${spec}`);
  const [, neg, text, mod] = m;
  if (text === '') return '';
  const type = { '': 'contains', '=': 'equals', '^': 'starts-with', $: 'ends-with' }[mod];
  return `<C:text-match negate-condition="${neg ? 'yes' : 'no'}" match-type="${type}">${text}</C:text-match>`;
}

type Cond = null | string | [string, string | null];
function condXml(c: Cond): string {
  if (c === null) return '<C:is-not-defined/>';
  if (typeof c === 'string') return textMatchXml(c);
  const [param, pc] = c;
  return `<C:param-filter name="${param}">${pc === null ? '<C:is-not-defined/>' : textMatchXml(pc)}</C:param-filter>`;
}

function propFilterXml(name: string, conds: Cond[], allof = false): string {
  return `<C:prop-filter name="${name}" test="${allof ? 'allof' : 'anyof'}">${conds.map(condXml).join('')}</C:prop-filter>`;
}

const cards = INTEROP_SAMPLES.map(parseVcard);
function matching(filterXml: string, test: 'anyof' | 'allof' = 'anyof'): number[] {
  const f = parseFilter(parseXml(`<C:filter ${NS} test="${test}">${filterXml}</C:filter>`));
  return cards.flatMap((c, i) => (matchesFilter(f, c) ? [i] : []));
}

// mstilkerich/carddavclient tests/Interop/AddressbookQueryTest.php simpleQueriesProvider: name → [prop, condition, expected cards].
const SIMPLE: Record<string, [string, Cond, number[]]> = {
  HasNoEmail: ['EMAIL', null, [2]],
  HasEmail: ['EMAIL', '//', [0, 1, 3]],
  HasNoEmailDiffCase: ['email', null, [2]],
  HasEmailDiffCase: ['email', '//', [0, 1, 3]],
  EmailEquals: ['EMAIL', '/johndoe@example.com/=', [0]],
  EmailContains: ['EMAIL', '/mu@ab/', [1]],
  EmailStartsWith: ['EMAIL', '/max/^', [1]],
  EmailEndsWith: ['EMAIL', '/@example.com/$', [0]],
  EmailEqualsDiffCase: ['EMAIL', '/johNDOE@EXAmple.com/=', [0]],
  EmailContainsDiffCase: ['EMAIL', '/MU@ab/', [1]],
  EmailStartsWithDiffCase: ['EMAIL', '/MAX/^', [1]],
  EmailEndsWithDiffCase: ['EMAIL', '/@EXAmple.com/$', [0]],
  EmailEndsNotWith: ['EMAIL', '!/@abcd.com/$', [0, 3]],
  EmailContainsNotSome: ['EMAIL', '!/@example.com/', [0, 1, 3]],
  ParamNotDefined: ['EMAIL', ['TYPE', null], [1, 3]],
  ParamDefined: ['EMAIL', ['TYPE', '//'], [0]],
  ParamNotDefinedDiffCase: ['EMAIL', ['type', null], [1, 3]],
  ParamDefinedDiffCase: ['EMAIL', ['type', '//'], [0]],
  ParamNotDefinedSome: ['TEL', ['TYPE', null], []],
  ParamEquals: ['EMAIL', ['TYPE', '/HOME/='], [0]],
  ParamContains: ['EMAIL', ['TYPE', '/ORK/'], [0]],
  ParamStartsWith: ['EMAIL', ['TYPE', '/WOR/^'], [0]],
  ParamEndsWith: ['EMAIL', ['TYPE', '/ORK/$'], [0]],
  ParamEqualsParamNameDiffCase: ['EMAIL', ['type', '/HOME/='], [0]],
  ParamEqualsDiffCase: ['EMAIL', ['TYPE', '/hoME/='], [0]],
  ParamContainsDiffCase: ['EMAIL', ['TYPE', '/orK/'], [0]],
  ParamStartsWithDiffCase: ['EMAIL', ['TYPE', '/woR/^'], [0]],
  ParamEndsWithDiffCase: ['EMAIL', ['TYPE', '/orK/$'], [0]],
  ParamContainsNotT: ['IMPP', ['X-SERVICE-TYPE', '!/Skype/'], [3]],
  ParamContainsNotF: ['IMPP', ['X-SERVICE-TYPE', '!/Jabber/'], []],
  ParamContainsNotSomeDiff: ['EMAIL', ['TYPE', '!/WORK/'], [0]],
  ParamContainsNotSomeUndef: ['TEL', ['TYPE', '!/HOME/'], []],
  MultivalueParamContains1: ['X-CUSTOMPROP', ['X-CUSTOMPARAM', '/HOME/'], [1]],
  MultivalueParamContains2: ['X-CUSTOMPROP', ['X-CUSTOMPARAM', '/WORK/'], [0, 1]],
  MultivalueParamEquals: ['X-CUSTOMPROP', ['X-CUSTOMPARAM', '/HOME/='], [1]],
  ParamWithSpaceAndComma: ['X-CUSTOMPROP', ['X-SPACEPARAM', '/lo, W/'], [1]],
  HasNoGrpEmail: ['item1.EMAIL', null, [0, 1, 2]],
  HasGrpEmail: ['item1.EMAIL', '//', [3]],
  GrpEmailEquals: ['item1.EMAIL', '/foo@ex.com/=', [3]],
  GrpEmailContains: ['item1.EMAIL', '/@ex/', [3]],
};

describe('RFC 6352 §10.5 filter evaluation: carddavclient interop vectors (single prop-filter)', () => {
  for (const [name, [prop, cond, expected]] of Object.entries(SIMPLE)) {
    it(`${name}: ${prop} ${JSON.stringify(cond)} → cards ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(matching(propFilterXml(prop, [cond])), expected);
    });
  }
});

describe('RFC 6352 §10.5 filter evaluation: test="anyof"/"allof"', () => {
  it('HasTelOrIMPP (filter anyof) → 2, 3', () => {
    assert.deepEqual(matching(propFilterXml('TEL', ['//']) + propFilterXml('IMPP', ['//'])), [2, 3]);
  });
  it('HasEmailAndIMPP (filter allof) → 3', () => {
    assert.deepEqual(matching(propFilterXml('EMAIL', ['//']) + propFilterXml('IMPP', ['//']), 'allof'), [3]);
  });
  it('TwoEmailConditionsAnd: allof in one prop-filter on the same value → 0', () => {
    assert.deepEqual(matching(propFilterXml('EMAIL', ['/doe/', '/.com/$'], true)), [0]);
  });
  it('TwoEmailConditionsOr: anyof in one prop-filter → 0, 1', () => {
    assert.deepEqual(matching(propFilterXml('EMAIL', ['/doe/^', '/abcd.com/$'])), [0, 1]);
  });
  it('TwoPropFiltersConditionsOr → 0, 1; TwoPropFiltersConditionsAnd → 0', () => {
    assert.deepEqual(matching(propFilterXml('EMAIL', ['/doe/^']) + propFilterXml('EMAIL', ['/abcd.com/$'])), [0, 1]);
    assert.deepEqual(matching(propFilterXml('EMAIL', ['/doe/^']) + propFilterXml('EMAIL', ['/.com/$']), 'allof'), [0]);
  });
  it('allof inside a prop-filter must hold for one property value (no card has an EMAIL starting "doe" and ending ".com")', () => {
    assert.deepEqual(matching(propFilterXml('EMAIL', ['/doe/^', '/.com/$'], true)), []);
  });
  it('an empty filter matches every card (quirks Q12)', () => {
    assert.deepEqual(matching(''), [0, 1, 2, 3]);
  });
});

describe('filter evaluation on client fixtures', () => {
  const apple = parseVcard(APPLE_V3);
  const tb = parseVcard(THUNDERBIRD_V4);
  const f = (xml: string) => parseFilter(parseXml(`<C:filter ${NS}>${xml}</C:filter>`));

  it('i;unicode-casemap finds "müller" in an Apple N and FN; i;octet does not', () => {
    assert.ok(matchesFilter(f('<C:prop-filter name="FN"><C:text-match>müller</C:text-match></C:prop-filter>'), apple));
    assert.ok(
      !matchesFilter(
        f('<C:prop-filter name="FN"><C:text-match collation="i;octet">müller</C:text-match></C:prop-filter>'),
        apple,
      ),
    );
  });

  it('starts-with matches a component of a structured value (given name in N)', () => {
    assert.ok(
      matchesFilter(
        f('<C:prop-filter name="N"><C:text-match match-type="starts-with">Ada</C:text-match></C:prop-filter>'),
        tb,
      ),
    );
  });

  it('equals matches one CATEGORIES entry', () => {
    assert.ok(
      matchesFilter(
        f('<C:prop-filter name="CATEGORIES"><C:text-match match-type="equals">friends</C:text-match></C:prop-filter>'),
        tb,
      ),
    );
    assert.ok(
      !matchesFilter(
        f('<C:prop-filter name="CATEGORIES"><C:text-match match-type="equals">Family</C:text-match></C:prop-filter>'),
        tb,
      ),
    );
  });

  it('grouped Apple EMAIL matches a plain EMAIL filter and its TYPE param', () => {
    const xml =
      '<C:prop-filter name="EMAIL" test="allof"><C:text-match>acme</C:text-match><C:param-filter name="TYPE"><C:text-match match-type="equals">pref</C:text-match></C:param-filter></C:prop-filter>';
    assert.ok(matchesFilter(f(xml), apple));
  });
});
