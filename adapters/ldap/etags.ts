// Etags of directory cards: a hash of cheap version attributes (entryCSN/modifyTimestamp, AD
// uSNChanged/whenChanged) plus what the card takes from other entries, so a listing reads two small
// attributes per entry instead of generating every card. Entries without a version attribute fall
// back to a hash of the generated card.
import { createHash, hash } from 'node:crypto';
import { type EntryView, normalizeDn, PRODID } from './entry-vcard.ts';
import type { Kind } from './listing.ts';
import type { LdapDirectoryOptions } from './options.ts';

export class EtagScheme {
  readonly #opts: LdapDirectoryOptions;
  readonly #fingerprint: string;

  constructor(opts: LdapDirectoryOptions) {
    this.#opts = opts;
    // Anything that changes the generated cards without changing an entry changes every etag.
    this.#fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          2,
          PRODID,
          opts.vcardVersion,
          opts.idAttribute,
          opts.attributes,
          opts.etagAttributes,
          opts.peopleFilter,
          opts.groups,
        ]),
      )
      .digest('hex')
      .slice(0, 16);
  }

  /** The entry's version stamp from the etag attributes, or undefined when it has none of them. */
  stamp(view: EntryView): string | undefined {
    const parts = this.#opts.etagAttributes.map((a) => view.texts([a]).join(','));
    return parts.some((p) => p !== '') ? parts.join('|') : undefined;
  }

  /**
   * The etag: the entry's version stamp plus what the card takes from other entries (group members,
   * manager) as resolved for this listing, so a cached card with the same etag is the same card.
   */
  etag(kind: Kind, stamp: string, refs: string[] = []): string {
    const input = `${this.#fingerprint}|${kind}|${stamp}|${refs.length > 1 ? [...refs].sort().join(',') : refs.join(',')}`;
    return hash('sha256', input, 'base64url').slice(0, 27);
  }

  /** The etag of an unstamped entry: a hash of its generated card. */
  ofBody(body: Uint8Array): string {
    return hash('sha256', Buffer.concat([Buffer.from(this.#fingerprint), body]), 'base64url').slice(0, 27);
  }

  /** Ids of the entries a card refers to (group members, or a person's manager). */
  refs(view: EntryView, kind: Kind, byDn: Map<string, string>, self: string): string[] {
    const a = this.#opts.attributes;
    const ids = new Set<string>();
    for (const dn of view.texts(kind === 'group' ? a.groupMembers : a.manager)) {
      const id = byDn.get(normalizeDn(dn));
      if (id && id !== self) ids.add(id);
    }
    return [...ids];
  }
}
