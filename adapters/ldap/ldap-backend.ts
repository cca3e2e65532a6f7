// The LDAP directory as a read-only CardDAV address book (DESIGN.md: adapters/ldap), mounted in every
// address book home under one configured collection id. People and groups become vCards
// (entry-vcard.ts); resource names are `<entryUUID|objectGUID>.vcf`, so renames and moves keep the
// href. There is no native change feed: the core's snapshot sync diffs listings of name + etag, and
// the etag is a hash of cheap version attributes (entryCSN/modifyTimestamp, AD uSNChanged/whenChanged)
// rather than of the card, so a listing reads two small attributes per entry. When the server offers
// a change marker (contextCSN, highestCommittedUSN) an unchanged directory is not even listed again.
// This file is the Backend itself; the machinery lives beside it: listing-cache.ts (listings, change
// probe), card-cache.ts (cards and warm-up), card-reader.ts and entry-object.ts (entries → cards),
// view-filters.ts (a user's view) and query-sources.ts (addressbook-query narrowing).
import { type Backend, BackendError, type BackendQuery } from '../../src/backend/port.ts';
import type {
  CollectionInfo,
  CollectionRef,
  HomeKind,
  ObjectRef,
  PutResult,
  QueryResult,
  StoredObject,
} from '../../src/backend/types.ts';
import { CardCache } from './card-cache.ts';
import { CardReader } from './card-reader.ts';
import { type LdapConnections, type LdapEntry, type LdapLogger, mapError } from './connection.ts';
import { ID_PATTERN } from './entry-vcard.ts';
import { EtagScheme } from './etags.ts';
import { narrowingFilter } from './filter.ts';
import { nameOf } from './listing.ts';
import { ListingCache } from './listing-cache.ts';
import type { LdapDirectoryOptions } from './options.ts';
import { groupSources, personSources } from './query-sources.ts';
import { ViewFilters } from './view-filters.ts';

export class LdapBackend implements Backend {
  readonly id: string;
  readonly readonly = true;
  readonly #conn: LdapConnections;
  readonly #opts: LdapDirectoryOptions;
  readonly #log: LdapLogger | undefined;
  readonly #filters: ViewFilters;
  readonly #reader: CardReader;
  readonly #cards: CardCache;
  readonly #listings: ListingCache;

  constructor(conn: LdapConnections, opts: LdapDirectoryOptions, log?: LdapLogger) {
    this.id = opts.id;
    this.#conn = conn;
    this.#opts = opts;
    this.#log = log;
    const limits = { pageSize: opts.pageSize, timeLimit: opts.timeLimitSeconds, partition: opts.partition };
    const etags = new EtagScheme(opts);
    this.#filters = new ViewFilters(conn, opts, limits);
    this.#reader = new CardReader(conn, opts, limits, this.#filters, etags);
    this.#cards = new CardCache((opts.cacheMegabytes ?? 256) * 1024 * 1024, this.#reader, log);
    this.#listings = new ListingCache({
      conn,
      opts,
      log,
      limits,
      filters: this.#filters,
      etags,
      reader: this.#reader,
      onRead: (peopleFilter, listing) => this.#cards.warm(peopleFilter, listing),
    });
  }

  #info(owner: string): CollectionInfo {
    return {
      ref: { owner, home: 'addressbooks', id: this.#opts.collection },
      kind: 'addressbook',
      displayName: this.#opts.displayName,
      ...(this.#opts.description ? { description: this.#opts.description } : {}),
      deadProps: {},
      readonly: true,
    };
  }

  #mine(ref: CollectionRef): boolean {
    return ref.home === 'addressbooks' && ref.id === this.#opts.collection;
  }

  #missing(ref: CollectionRef): BackendError {
    return new BackendError('not-found', `no collection ${ref.home}/${ref.id} in the LDAP directory mount`);
  }

  async listCollections(owner: string, home: HomeKind): Promise<CollectionInfo[]> {
    return home === 'addressbooks' ? [this.#info(owner)] : [];
  }

  async getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined> {
    return this.#mine(ref) ? this.#info(ref.owner) : undefined;
  }

  /** The entry of a DAV user (users.filter with `{user}`), or undefined unless exactly one matches. */
  async findUser(user: string, attributes: string[] = ['1.1']): Promise<LdapEntry | undefined> {
    return this.#filters.findUser(user, attributes);
  }

  /** Reads the directory once so that the first clients find listing and cards ready (optional). */
  async prefetch(owner = ''): Promise<void> {
    await this.#listings.get(owner, 'probe');
    await this.#cards.warming(await this.#filters.people(owner));
  }

  async *listObjects(ref: CollectionRef): AsyncIterable<ObjectRef> {
    if (!this.#mine(ref)) throw this.#missing(ref);
    try {
      const listing = await this.#listings.get(ref.owner, 'probe');
      yield* listing.objects;
    } catch (e) {
      throw mapError(e);
    }
  }

  async getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]> {
    if (!this.#mine(ref)) throw this.#missing(ref);
    if (names.length === 0) return [];
    try {
      const listing = await this.#listings.get(ref.owner, 'recent');
      const peopleFilter = await this.#filters.people(ref.owner);
      await this.#cards.warming(peopleFilter);
      const out: StoredObject[] = [];
      const missing: string[] = [];
      for (const name of new Set(names)) {
        const hit = this.#cards.cached(name, listing.byName.get(name)?.etag);
        if (hit) out.push(hit);
        else missing.push(name);
      }
      if (missing.length) {
        for (const obj of await this.#reader.fetch(peopleFilter, missing, listing)) {
          this.#cards.remember(obj);
          out.push(obj);
        }
      }
      return out;
    } catch (e) {
      throw mapError(e);
    }
  }

  /**
   * addressbook-query: the filter becomes an RFC 4515 filter selecting a superset of the matching
   * people and groups (adapters/ldap/filter.ts); the core applies the exact match afterwards.
   */
  async query(ref: CollectionRef, q: BackendQuery): Promise<QueryResult> {
    if (!this.#mine(ref)) throw this.#missing(ref);
    if (q.kind !== 'addressbook') return { items: [], exact: true };
    try {
      const version = this.#opts.vcardVersion;
      const filter = q.addressFilter ?? { test: 'anyof' as const, propFilters: [] };
      const people = narrowingFilter(filter, personSources(this.#opts.attributes));
      const groups = narrowingFilter(filter, groupSources(this.#opts.attributes, version));
      this.#log?.debug('LDAP query', { people: people ?? '(all)', groups: groups ?? '(all)' });
      const listing = await this.#listings.get(ref.owner, 'recent');
      const items = await this.#reader.search(await this.#filters.people(ref.owner), people, groups, listing);
      return { items, exact: false };
    } catch (e) {
      throw mapError(e);
    }
  }

  async findByUid(ref: CollectionRef, uid: string): Promise<string | undefined> {
    const id = uid.replace(/^urn:uuid:/i, '').toLowerCase();
    if (!this.#mine(ref) || !ID_PATTERN.test(id)) return undefined;
    const listing = await this.#listings.get(ref.owner, 'recent');
    return listing.byName.has(nameOf(id)) ? nameOf(id) : undefined;
  }

  async putObject(): Promise<PutResult> {
    throw new BackendError('forbidden', 'the directory address book is read-only');
  }

  async deleteObject(): Promise<void> {
    throw new BackendError('forbidden', 'the directory address book is read-only');
  }

  async close(): Promise<void> {
    await this.#conn.close();
  }
}
