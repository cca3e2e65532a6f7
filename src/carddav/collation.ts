// RFC 6352 §8.3 text-match collations (RFC 4790): CardDAV requires i;ascii-casemap and
// i;unicode-casemap (RFC 5051), the latter being the default; i;octet is offered as well.
export const COLLATIONS = ['i;ascii-casemap', 'i;octet', 'i;unicode-casemap'] as const;
export type Collation = (typeof COLLATIONS)[number];
export const DEFAULT_COLLATION: Collation = 'i;unicode-casemap';

export type MatchType = 'equals' | 'contains' | 'starts-with' | 'ends-with';
export const MATCH_TYPES: readonly MatchType[] = ['equals', 'contains', 'starts-with', 'ends-with'];

/** The collation for an attribute value; absent or "default" (RFC 4790 §3.1) is the default; undefined if unsupported. */
export function parseCollation(value: string | undefined): Collation | undefined {
  if (value === undefined || value === 'default') return DEFAULT_COLLATION;
  return (COLLATIONS as readonly string[]).includes(value) ? (value as Collation) : undefined;
}

const asciiUpper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

/**
 * RFC 5051 i;unicode-casemap: titlecase each character, then NFKD. Full-string upper-casing is the
 * closest built-in to per-character titlecase (it also expands ß to SS, as titlecasing does).
 */
const unicodeCasemap = (s: string): string => s.normalize('NFKD').toUpperCase().normalize('NFKD');

const FOLD: Record<Collation, (s: string) => string> = {
  'i;octet': (s) => s,
  'i;ascii-casemap': asciiUpper,
  'i;unicode-casemap': unicodeCasemap,
};

/** RFC 4790 §4.2 substring/equality match of `needle` against `value` under a collation. */
export function collate(value: string, needle: string, collation: Collation, matchType: MatchType): boolean {
  const fold = FOLD[collation];
  const v = fold(value);
  const n = fold(needle);
  switch (matchType) {
    case 'equals':
      return v === n;
    case 'contains':
      return v.includes(n);
    case 'starts-with':
      return v.startsWith(n);
    case 'ends-with':
      return v.endsWith(n);
  }
}
