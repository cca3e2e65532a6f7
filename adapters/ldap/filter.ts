// RFC 4515 search filters: escaping assertion values, and translating an addressbook-query filter
// (RFC 6352 §10.5, src/backend/address-filter.ts) into an LDAP filter that selects a *superset* of the
// matching entries. The core applies the exact RFC 6352 match afterwards, so whatever cannot be
// expressed server-side (negation, parameter tests, structured values, collation corner cases) simply
// narrows less, never loses a match.
import type { AddressFilter, AddressPropFilter, AddressTextMatch } from '../../src/backend/address-filter.ts';

/**
 * RFC 4515 §3: in an assertion value `*`, `(`, `)`, `\` and NUL are written as `\2a`, `\28`, `\29`,
 * `\5c`, `\00`. Everything else (UTF-8 included) may appear as is.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Escapes raw bytes (e.g. an objectGUID) as `\xx` for every byte. */
export function escapeFilterBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

/** A filter that matches nothing (objectClass is present on every entry). */
export const NOTHING = '(!(objectClass=*))';

/** `(&a b)`, collapsing the trivial cases. */
export function and(filters: string[]): string {
  const fs = filters.filter((f) => f !== '');
  if (fs.includes(NOTHING)) return NOTHING;
  if (fs.length === 1) return fs[0];
  return `(&${fs.join('')})`;
}

/** `(|a b)`, collapsing the trivial cases. */
export function or(filters: string[]): string {
  const fs = [...new Set(filters.filter((f) => f !== NOTHING))];
  if (fs.length === 0) return NOTHING;
  if (fs.length === 1) return fs[0];
  return `(|${fs.join('')})`;
}

/** Wraps a configured filter in parentheses when it lacks them (`objectClass=person` → `(objectClass=person)`). */
export function normalizeFilter(filter: string): string {
  const f = filter.trim();
  return f.startsWith('(') ? f : `(${f})`;
}

/**
 * Which LDAP attributes a vCard property of one kind of entry is made from, and how. `structured`
 * properties (N, ADR, ORG) have one attribute per component; text matching then looks at each
 * component, which is what the filter evaluation does too (src/carddav/filter-eval.ts).
 */
export interface PropertySource {
  attributes: string[];
  /** The vCard property exists on every entry of this kind (FN, N, UID): presence needs no test. */
  always?: boolean;
  /** Values are not the attribute text (photos, DN references): text matches cannot be translated. */
  opaque?: boolean;
}

/** vCard property name (upper case) → its sources, for people or for groups. */
export type PropertySources = Record<string, PropertySource>;

/**
 * Whether a text can be matched by LDAP's caseIgnore substring rules without missing anything that
 * RFC 4790 i;unicode-casemap / i;ascii-casemap would find. Compatibility characters (ligatures, full
 * width forms) and characters whose case mapping changes length (ß → SS) are left to the exact
 * filter, as are structure separators (the value of N is "family;given;…" as a whole).
 */
export function translatableText(text: string): boolean {
  if (/[;,]/.test(text) || [...text].some((c) => c.charCodeAt(0) < 0x20)) return false;
  if (text.normalize('NFKD') !== text.normalize('NFD')) return false;
  for (const ch of text)
    if (ch.toUpperCase().length !== ch.length || ch.toLowerCase().length !== ch.length) return false;
  return true;
}

function textAssertion(attr: string, m: AddressTextMatch): string {
  const v = escapeFilterValue(m.text);
  switch (m.matchType) {
    case 'equals':
      return `(${attr}=${v})`;
    case 'contains':
      return m.text === '' ? `(${attr}=*)` : `(${attr}=*${v}*)`;
    case 'starts-with':
      return m.text === '' ? `(${attr}=*)` : `(${attr}=${v}*)`;
    case 'ends-with':
      return m.text === '' ? `(${attr}=*)` : `(${attr}=*${v})`;
  }
}

/** Some instance of the property exists. */
function presence(src: PropertySource): string | undefined {
  if (src.always) return undefined; // every entry
  return or(src.attributes.map((a) => `(${a}=*)`));
}

/** A superset filter for one text-match on a property, or undefined for "any entry having the property". */
function textFilter(src: PropertySource, m: AddressTextMatch): string | undefined {
  // A negated match still needs an instance of the property (filter-eval: no instance, no match).
  if (m.negate || src.opaque || !translatableText(m.text)) return presence(src);
  // i;octet is case-sensitive: LDAP's case-insensitive match is a superset of it.
  return or(src.attributes.map((a) => textAssertion(a, m)));
}

/** undefined = no constraint. */
type Narrowing = string | undefined;

function propFilter(pf: AddressPropFilter, sources: PropertySources): Narrowing {
  const name = pf.name.toUpperCase();
  const prop = name.slice(name.lastIndexOf('.') + 1);
  const src = sources[prop];
  if (!src) {
    // A property this kind of entry never carries: a positive test matches nothing; "not defined"
    // matches everything. Group-qualified names (item1.EMAIL) never occur in generated cards.
    if (pf.kind === 'prop-not-defined') return undefined;
    return NOTHING;
  }
  if (name !== prop) return pf.kind === 'prop-not-defined' ? undefined : NOTHING;
  switch (pf.kind) {
    case 'prop-defined':
      return presence(src);
    case 'prop-not-defined':
      if (src.always) return NOTHING;
      return `(!${or(src.attributes.map((a) => `(${a}=*)`))})`;
    case 'prop-test': {
      // Parameter filters are checked exactly afterwards; here they only require the property.
      const conditions: Narrowing[] = [
        ...pf.textMatches.map((m) => textFilter(src, m)),
        ...pf.paramFilters.map(() => presence(src)),
      ];
      if (conditions.length === 0) return presence(src);
      if (pf.test === 'allof') {
        const defined = conditions.filter((c): c is string => c !== undefined);
        return defined.length ? and(defined) : presence(src);
      }
      if (conditions.some((c) => c === undefined)) return presence(src);
      return or(conditions as string[]);
    }
  }
}

/**
 * The LDAP filter (without the people/group base filter) narrowing entries of one kind to those that
 * can match `filter`; undefined when every entry can.
 */
export function narrowingFilter(filter: AddressFilter, sources: PropertySources): Narrowing {
  if (filter.propFilters.length === 0) return undefined;
  const parts = filter.propFilters.map((pf) => propFilter(pf, sources));
  if (filter.test === 'allof') {
    const defined = parts.filter((p): p is string => p !== undefined);
    return defined.length ? and(defined) : undefined;
  }
  if (parts.some((p) => p === undefined)) return undefined;
  return or(parts as string[]);
}
