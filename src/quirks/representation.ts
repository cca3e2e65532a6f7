// Which representation a client's profiles give it, per collection kind (quirks Q16/Q19, checklist
// item 6): a profile that rewrites payloads on the way out (payloadOut), or options that convert
// address objects (vcardVersion, groupFlavour), make the client's objects differ from what other
// clients get, so the client gets ETags of its own (`<stored>-<key>`, src/dav/representation.ts).
// The key is a short hash of what decides the representation, so it is the same on every replica
// and changes when an operator changes a profile's options.
import { createHash } from 'node:crypto';
import type { CollectionKind } from '../backend/types.ts';
import type { QuirkOptions, QuirkProfile } from './profile.ts';

export type RepresentationKeys = Partial<Record<CollectionKind, string>>;

const cache = new Map<string, RepresentationKeys>();
const CACHE_LIMIT = 256;

function shortHash(s: string): string {
  return `r${createHash('sha256').update(s).digest('base64url').slice(0, 8)}`;
}

/** The representation keys of a request whose active profiles and merged options are given. */
export function representationKeys(active: QuirkProfile[], options: QuirkOptions): RepresentationKeys {
  if (active.length === 0) return {};
  const rewriting = active.filter((p) => p.payloadOut).map((p) => p.id);
  const vcard = options.vcardVersion || options.groupFlavour ? `${options.vcardVersion}/${options.groupFlavour}` : '';
  const id = `${rewriting.join(',')}|${vcard}`;
  let keys = cache.get(id);
  if (!keys) {
    keys = {};
    if (rewriting.length) keys.calendar = shortHash(`calendar|${rewriting.join(',')}`);
    if (rewriting.length || vcard) keys.addressbook = shortHash(`addressbook|${id}`);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(id, keys);
  }
  return keys;
}
