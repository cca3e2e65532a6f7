// RFC 6352 §10.5 CARDDAV:filter of addressbook-query, parsed into a typed tree:
// filter (§10.5) → prop-filter (§10.5.1) → param-filter (§10.5.2) / is-not-defined (§10.5.3) /
// text-match (§10.5.4). Errors are the §8.6 preconditions supported-filter and supported-collation.
import type {
  AddressFilter,
  AddressParamFilter,
  AddressPropFilter,
  AddressTest,
  AddressTextMatch,
} from '../backend/address-filter.ts';
import { DavError } from '../dav/dav-error.ts';
import { carddav } from '../dav/xml/names.ts';
import { elements, textOf, type XmlElement } from '../dav/xml/tree.ts';
import { attr } from './address-data.ts';
import { MATCH_TYPES, type MatchType, parseCollation } from './collation.ts';

// The parsed shapes are the backend port's plain-data filter (src/backend/address-filter.ts), so the
// same tree can be handed to a backend's `query` for server-side narrowing.
export type Test = AddressTest;
export type TextMatch = AddressTextMatch;
export type ParamFilter = AddressParamFilter;
export type PropFilter = AddressPropFilter;
export type AddressbookFilter = AddressFilter;

export const MATCH_ALL: AddressbookFilter = { test: 'anyof', propFilters: [] };

const C = {
  propFilter: carddav('prop-filter'),
  paramFilter: carddav('param-filter'),
  textMatch: carddav('text-match'),
  isNotDefined: carddav('is-not-defined'),
};

function unsupported(offending: XmlElement, why: string): DavError {
  // §8.6: "A server SHOULD report the CARDDAV:prop-filter or CARDDAV:param-filter for which it does not provide support."
  return new DavError(403, carddav('supported-filter'), why, { children: [offending] });
}

function parseTest(e: XmlElement): Test {
  const t = attr(e, 'test')?.trim() ?? 'anyof';
  if (t !== 'anyof' && t !== 'allof') throw new DavError(400, undefined, `invalid test attribute "${t}"`);
  return t;
}

function requiredName(e: XmlElement): string {
  const name = attr(e, 'name')?.trim();
  if (!name) throw new DavError(400, undefined, `${e.name} needs a name attribute`);
  return name;
}

function parseTextMatch(e: XmlElement, reportOn: XmlElement): TextMatch {
  const rawCollation = attr(e, 'collation')?.trim();
  const collation = parseCollation(rawCollation);
  if (!collation) {
    throw new DavError(403, carddav('supported-collation'), `collation ${rawCollation} is not supported`, {
      children: [rawCollation ?? ''],
    });
  }
  const matchType = (attr(e, 'match-type')?.trim() ?? 'contains') as MatchType;
  if (!MATCH_TYPES.includes(matchType)) throw unsupported(reportOn, `match-type "${matchType}" is not supported`);
  const neg = attr(e, 'negate-condition')?.trim().toLowerCase() ?? 'no';
  if (!['yes', 'no', 'true', 'false'].includes(neg))
    throw new DavError(400, undefined, `invalid negate-condition "${neg}"`);
  // The text is not trimmed: spaces can be part of the searched string.
  return { text: textOf(e), collation, matchType, negate: neg === 'yes' || neg === 'true' };
}

function parseParamFilter(e: XmlElement): ParamFilter {
  const name = requiredName(e);
  const kids = elements(e);
  if (kids.length === 0) return { kind: 'param-defined', name };
  if (kids.length > 1) throw new DavError(400, undefined, 'param-filter holds one is-not-defined or one text-match');
  const [k] = kids;
  if (k.name === C.isNotDefined) return { kind: 'param-not-defined', name };
  if (k.name === C.textMatch) return { kind: 'param-text', name, match: parseTextMatch(k, e) };
  throw unsupported(e, `unsupported element ${k.name} in param-filter`);
}

function parsePropFilter(e: XmlElement): PropFilter {
  const name = requiredName(e);
  const test = parseTest(e);
  const kids = elements(e);
  if (kids.length === 0) return { kind: 'prop-defined', name };
  if (kids.some((k) => k.name === C.isNotDefined)) {
    if (kids.length > 1)
      throw new DavError(400, undefined, 'is-not-defined excludes other conditions in a prop-filter');
    return { kind: 'prop-not-defined', name };
  }
  const textMatches: TextMatch[] = [];
  const paramFilters: ParamFilter[] = [];
  for (const k of kids) {
    if (k.name === C.textMatch) textMatches.push(parseTextMatch(k, e));
    else if (k.name === C.paramFilter) paramFilters.push(parseParamFilter(k));
    else throw unsupported(e, `unsupported element ${k.name} in prop-filter`);
  }
  return { kind: 'prop-test', name, test, textMatches, paramFilters };
}

/**
 * Parses `<C:filter>`. A missing filter (KDE) or an empty one (DAVdroid 1.x) matches every card
 * (quirks Q12), although the DTD requires the element.
 */
export function parseFilter(filter: XmlElement | undefined): AddressbookFilter {
  if (!filter) return MATCH_ALL;
  const test = parseTest(filter);
  const propFilters: PropFilter[] = [];
  for (const k of elements(filter)) {
    if (k.name !== C.propFilter) throw unsupported(k, `unsupported element ${k.name} in filter`);
    propFilters.push(parsePropFilter(k));
  }
  return { test, propFilters };
}
