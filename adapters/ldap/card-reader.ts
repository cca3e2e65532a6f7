// Reading full cards from the directory: people and groups matching a (narrowing) filter in one
// search each, or named cards by id in batched OR lookups, mapped to stored objects.
import type { StoredObject } from '../../src/backend/types.ts';
import type { LdapConnections, LdapEntry, SearchLimits } from './connection.ts';
import { entryToObject } from './entry-object.ts';
import { cardAttributes, EntryView } from './entry-vcard.ts';
import type { EtagScheme } from './etags.ts';
import { and, NOTHING, or } from './filter.ts';
import { idOfName, type Kind, type Listing, nameOf } from './listing.ts';
import { isActiveDirectoryId, type LdapDirectoryOptions } from './options.ts';
import type { ViewFilters } from './view-filters.ts';

/** Ids per lookup search (an OR of equality assertions). */
const LOOKUP_BATCH = 100;

export class CardReader {
  readonly #conn: LdapConnections;
  readonly #opts: LdapDirectoryOptions;
  readonly #limits: SearchLimits;
  readonly #filters: ViewFilters;
  readonly #etags: EtagScheme;

  constructor(
    conn: LdapConnections,
    opts: LdapDirectoryOptions,
    limits: SearchLimits,
    filters: ViewFilters,
    etags: EtagScheme,
  ) {
    this.#conn = conn;
    this.#opts = opts;
    this.#limits = limits;
    this.#filters = filters;
    this.#etags = etags;
  }

  #binary(): string[] {
    return isActiveDirectoryId(this.#opts.idAttribute)
      ? [this.#opts.idAttribute, ...this.#opts.attributes.photo]
      : this.#opts.attributes.photo;
  }

  /** Full entries for people and groups matching the extra filters, as stored objects. */
  async search(
    peopleFilter: string,
    peopleExtra: string | undefined,
    groupExtra: string | undefined,
    listing: Listing,
  ) {
    const o = this.#opts;
    const binary = this.#binary();
    const searches: Promise<{ kind: Kind; entries: LdapEntry[] }>[] = [];
    if (peopleExtra !== NOTHING) {
      searches.push(
        this.#conn
          .searchAll(
            {
              base: o.baseDn,
              scope: o.scope,
              filter: and([peopleFilter, peopleExtra ?? '']),
              attributes: cardAttributes('person', o.attributes, o.idAttribute, o.etagAttributes),
              binary,
            },
            this.#limits,
          )
          .then((entries) => ({ kind: 'person' as const, entries })),
      );
    }
    if (o.groups.enabled && groupExtra !== NOTHING) {
      searches.push(
        this.#conn
          .searchAll(
            {
              base: o.groups.baseDn,
              scope: o.groups.scope,
              filter: this.#filters.group(groupExtra ? [groupExtra] : []),
              attributes: cardAttributes('group', o.attributes, o.idAttribute, o.etagAttributes),
              binary,
            },
            this.#limits,
          )
          .then((entries) => ({ kind: 'group' as const, entries })),
      );
    }
    const out = new Map<string, StoredObject>();
    for (const { kind, entries } of await Promise.all(searches)) {
      for (const e of entries) {
        const obj = entryToObject(new EntryView(e), kind, listing, o, this.#etags);
        if (obj && !out.has(obj.name)) out.set(obj.name, obj);
      }
    }
    return [...out.values()];
  }

  /** The named cards, looked up by id in batches (names that are not `<id>.vcf` are skipped). */
  async fetch(peopleFilter: string, names: string[], listing: Listing): Promise<StoredObject[]> {
    const ids = [...new Set(names.map(idOfName).filter((i): i is string => i !== undefined))];
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) batches.push(ids.slice(i, i + LOOKUP_BATCH));
    const results = await Promise.all(
      batches.map((batch) => {
        const byId = or(batch.map((id) => this.#filters.idAssertion(id)));
        // Entries the listing knows as people (or groups) need only that search.
        const kinds = new Set(batch.map((id) => listing.byName.get(nameOf(id))?.kind));
        const unknown = kinds.has(undefined);
        return this.search(
          peopleFilter,
          unknown || kinds.has('person') ? byId : NOTHING,
          unknown || kinds.has('group') ? byId : NOTHING,
          listing,
        );
      }),
    );
    return results.flat();
  }
}
