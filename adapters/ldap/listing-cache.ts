// Listings of each user's view (name → etag, DN map), read with two small attributes per entry and
// kept per people filter; re-read only when the change probe says the directory may have changed
// (or the listing is older than listingMaxAgeSeconds), with concurrent readers sharing one read.
import type { ObjectRef } from '../../src/backend/types.ts';
import type { CardReader } from './card-reader.ts';
import { ChangeProbe } from './change-probe.ts';
import type { LdapConnections, LdapEntry, LdapLogger, SearchLimits } from './connection.ts';
import { EntryView, entryId, ID_PATTERN, normalizeDn } from './entry-vcard.ts';
import type { EtagScheme } from './etags.ts';
import { type Kind, type Listed, type Listing, nameOf } from './listing.ts';
import { isActiveDirectoryId, type LdapDirectoryOptions } from './options.ts';
import type { ViewFilters } from './view-filters.ts';

/** A listing validated this recently is used for DN resolution without probing again. */
const RECENT_MS = 5000;

export interface ListingCacheDeps {
  conn: LdapConnections;
  opts: LdapDirectoryOptions;
  log: LdapLogger | undefined;
  limits: SearchLimits;
  filters: ViewFilters;
  etags: EtagScheme;
  reader: CardReader;
  /** Called with every listing read from the server (the card cache warms up from it). */
  onRead(peopleFilter: string, listing: Listing): void;
}

export class ListingCache {
  readonly #d: ListingCacheDeps;
  readonly #probe: ChangeProbe;
  readonly #listings = new Map<string, Listing>();
  readonly #listingInFlight = new Map<string, Promise<Listing>>();

  constructor(deps: ListingCacheDeps) {
    this.#d = deps;
    this.#probe = new ChangeProbe(deps.conn, deps.opts, deps.log);
  }

  /** The listing for `owner`'s view (name → etag, DN map), re-read only when something may have changed. */
  async get(owner: string, fresh: 'probe' | 'recent'): Promise<Listing> {
    const key = await this.#d.filters.people(owner);
    const cached = this.#listings.get(key);
    const now = Date.now();
    if (cached && fresh === 'recent' && now - cached.validatedAt < RECENT_MS) return cached;
    let pending = this.#listingInFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const probe = await this.#probe.read();
        const maxAge = this.#d.opts.listingMaxAgeSeconds * 1000;
        if (cached && probe !== undefined && probe === cached.probe && Date.now() - cached.readAt < maxAge) {
          cached.validatedAt = Date.now();
          return cached;
        }
        const listing = await this.#read(key, probe);
        this.#listings.set(key, listing);
        this.#d.onRead(key, listing);
        return listing;
      })().finally(() => this.#listingInFlight.delete(key));
      this.#listingInFlight.set(key, pending);
    }
    return pending;
  }

  async #read(peopleFilter: string, probe: string | undefined): Promise<Listing> {
    const { conn, opts: o, limits, etags } = this.#d;
    const started = Date.now();
    const stampAttrs = [o.idAttribute, ...o.etagAttributes];
    const binary = isActiveDirectoryId(o.idAttribute) ? [o.idAttribute] : [];
    const [people, groups] = await Promise.all([
      conn.searchAll(
        {
          base: o.baseDn,
          scope: o.scope,
          filter: peopleFilter,
          attributes: [...stampAttrs, ...o.attributes.manager],
          binary,
        },
        limits,
      ),
      o.groups.enabled
        ? conn.searchAll(
            {
              base: o.groups.baseDn,
              scope: o.groups.scope,
              filter: this.#d.filters.group(),
              attributes: [...stampAttrs, ...o.attributes.groupMembers],
              binary,
            },
            limits,
          )
        : Promise.resolve([] as LdapEntry[]),
    ]);
    const byName = new Map<string, Listed>();
    const byDn = new Map<string, string>();
    const objects: ObjectRef[] = [];
    const unstamped = new Set<string>();
    const entries: { view: EntryView; kind: Kind; id: string; listed: Listed }[] = [];
    const add = (view: EntryView, kind: Kind) => {
      const id = entryId(view, o.idAttribute);
      if (!id || !ID_PATTERN.test(id)) return;
      const name = nameOf(id);
      if (byName.has(name)) return;
      const listed: Listed = { dn: view.dn, kind, etag: '' };
      byDn.set(normalizeDn(view.dn), id);
      byName.set(name, listed);
      entries.push({ view, kind, id, listed });
    };
    for (const e of people) add(new EntryView(e), 'person');
    for (const e of groups) add(new EntryView(e), 'group');
    // Etags once every DN of this view is known: members and managers resolve against it.
    for (const { view, kind, id, listed } of entries) {
      const s = etags.stamp(view);
      if (s === undefined) unstamped.add(nameOf(id));
      else listed.etag = etags.etag(kind, s, etags.refs(view, kind, byDn, id));
    }
    const listing: Listing = { validatedAt: Date.now(), readAt: Date.now(), probe, objects, byName, byDn };
    if (unstamped.size) {
      // No version attribute on these entries: their etag is a hash of the generated card.
      for (const obj of await this.#d.reader.fetch(peopleFilter, [...unstamped], listing)) {
        const l = byName.get(obj.name);
        if (l) l.etag = obj.etag;
      }
    }
    for (const [name, l] of byName) if (l.etag) objects.push({ name, etag: l.etag });
    this.#d.log?.debug('LDAP listing', { entries: objects.length, ms: Date.now() - started, probe });
    return listing;
  }
}
