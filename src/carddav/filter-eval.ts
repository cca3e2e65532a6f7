// RFC 6352 §10.5 filter semantics against one parsed vCard. Where the RFC is loose we follow the
// expectations of the php carddavclient interop suite (mstilkerich/carddavclient doc/QUIRKS.md):
// - a prop-filter matches when one property instance satisfies its conditions together (so allof
//   applies to the same value, and a negated text-match needs an instance that does not match —
//   cards without the property never match);
// - param-filter is-not-defined needs the property present and the parameter on none of its instances;
// - a param text-match needs the parameter on that instance.
import { collate } from './collation.ts';
import type { AddressbookFilter, ParamFilter, PropFilter, Test, TextMatch } from './filter.ts';
import { type ParsedVcard, propertyNameMatches, type VcardProperty } from './vcard.ts';

function combine<T>(test: Test, items: T[], ok: (item: T) => boolean): boolean {
  return test === 'allof' ? items.every(ok) : items.some(ok);
}

/** A text-match hits when any candidate string matches; negation applies to that result. */
function textMatch(m: TextMatch, candidates: string[]): boolean {
  const hit = candidates.some((c) => collate(c, m.text, m.collation, m.matchType));
  return m.negate ? !hit : hit;
}

/**
 * Strings a property value is matched as: the whole value, plus each component of a structured
 * or list value (so starts-with finds a given name in N, equals finds one CATEGORIES entry).
 */
function valueCandidates(p: VcardProperty): string[] {
  return p.values.length > 1 ? [p.text, ...p.values] : [p.text];
}

/**
 * Parameter values as strings to match: each value, and the parts of unquoted comma lists that
 * ical.js leaves joined for unknown parameters (X-PARAM=HOME,WORK).
 */
function paramCandidates(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    out.push(v);
    if (v.includes(',')) out.push(...v.split(',').map((s) => s.trim()));
  }
  return out;
}

function paramFilter(f: ParamFilter, p: VcardProperty, instances: VcardProperty[]): boolean {
  const key = f.name.toUpperCase();
  switch (f.kind) {
    case 'param-defined':
      return p.params.has(key);
    case 'param-not-defined':
      return !instances.some((i) => i.params.has(key));
    case 'param-text': {
      const values = p.params.get(key);
      return values !== undefined && textMatch(f.match, paramCandidates(values));
    }
  }
}

function propFilter(f: PropFilter, card: ParsedVcard): boolean {
  const instances = card.props.filter((p) => propertyNameMatches(f.name, p));
  switch (f.kind) {
    case 'prop-defined':
      return instances.length > 0;
    case 'prop-not-defined':
      return instances.length === 0;
    case 'prop-test': {
      const conditions: ((p: VcardProperty) => boolean)[] = [
        ...f.textMatches.map((m) => (p: VcardProperty) => textMatch(m, valueCandidates(p))),
        ...f.paramFilters.map((pf) => (p: VcardProperty) => paramFilter(pf, p, instances)),
      ];
      return instances.some((p) => combine(f.test, conditions, (c) => c(p)));
    }
  }
}

/** Whether the filter keeps nothing out (no prop-filters). */
export function matchesEverything(f: AddressbookFilter): boolean {
  return f.propFilters.length === 0;
}

export function matchesFilter(f: AddressbookFilter, card: ParsedVcard): boolean {
  if (matchesEverything(f)) return true;
  return combine(f.test, f.propFilters, (pf) => propFilter(pf, card));
}
