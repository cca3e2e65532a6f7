// RFC 4791 §7.5 / RFC 4790: text-match collations, all used as substring matches (RFC 4790 §4.2).
// i;ascii-casemap is the default; i;unicode-casemap (RFC 5051) is offered as well.
import { DavError } from '../dav/dav-error.ts';
import { caldav } from '../dav/xml/names.ts';

export const SUPPORTED_COLLATIONS = ['i;ascii-casemap', 'i;octet', 'i;unicode-casemap'] as const;
export type Collation = (typeof SUPPORTED_COLLATIONS)[number];

/** Maps a collation attribute to a supported collation; 403 supported-collation otherwise (§7.5). */
export function parseCollation(attr: string | undefined): Collation {
  const id = (attr ?? 'default').trim();
  if (id === '' || id === 'default') return 'i;ascii-casemap';
  const found = SUPPORTED_COLLATIONS.find((c) => c === id);
  if (!found) throw new DavError(403, caldav('supported-collation'), `unsupported collation ${id}`);
  return found;
}

function asciiFold(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

// RFC 5051 approximated with canonical decomposition plus full case folding (upper then lower
// maps ß to ss and final sigma to sigma).
function unicodeFold(s: string): string {
  return s.normalize('NFKD').toUpperCase().toLowerCase();
}

/** Substring match of `needle` in `haystack` under a collation. */
export function collationContains(collation: Collation, haystack: string, needle: string): boolean {
  switch (collation) {
    case 'i;octet':
      return haystack.includes(needle);
    case 'i;ascii-casemap':
      return asciiFold(haystack).includes(asciiFold(needle));
    case 'i;unicode-casemap':
      return unicodeFold(haystack).includes(unicodeFold(needle));
  }
}
