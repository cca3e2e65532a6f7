// The LDAP directory as a read-only CardDAV address book (DESIGN.md: adapters/ldap), mounted in every
// address book home under one configured collection id. People and groups become vCards
// (entry-vcard.ts); resource names are `<entryUUID|objectGUID>.vcf`, so renames and moves keep the
// href. There is no native change feed: the core's snapshot sync diffs listings of name + etag, and
// the etag is a hash of cheap version attributes (entryCSN/modifyTimestamp, AD uSNChanged/whenChanged)
// rather than of the card, so a listing reads two small attributes per entry. When the server offers
// a change marker (contextCSN, highestCommittedUSN) an unchanged directory is not even listed again.
import { createHash, hash } from 'node:crypto';
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
import { type LdapConnections, type LdapEntry, type LdapLogger, mapError, type SearchLimits } from './connection.ts';
import {
  type CardContext,
  cardAttributes,
  EntryView,
  entryId,
  groupCard,
  guidToBytes,
  ID_PATTERN,
  normalizeDn,
  PRODID,
  personCard,
} from './entry-vcard.ts';
import {
  and,
  escapeFilterBytes,
  escapeFilterValue,
  NOTHING,
  narrowingFilter,
  normalizeFilter,
  or,
  type PropertySources,
} from './filter.ts';
import { type AttributeMap, isActiveDirectoryId, type LdapDirectoryOptions } from './options.ts';

const CONTENT_TYPE = 'text/vcard; charset=utf-8';
/** Ids per lookup search (an OR of equality assertions). */
const LOOKUP_BATCH = 100;
/** A listing validated this recently is used for DN resolution without probing again. */
const RECENT_MS = 5000;
/** More missing cards than this are read with one scan of the whole view instead of lookups by id. */
const WARM_BY_SCAN = 500;
/** How long a user's expanded per-user filter is kept. */
const USER_FILTER_TTL_MS = 60_000;

type Kind = 'person' | 'group';

interface Listed {
  dn: string;
  kind: Kind;
  etag: string;
}

interface Listing {
  /** When the listing was read or last confirmed unchanged (ms). */
  validatedAt: number;
  /** When it was read from the server. */
  readAt: number;
  probe: string | undefined;
  objects: ObjectRef[];
  byName: Map<string, Listed>;
  byDn: Map<string, string>;
}

const nameOf = (id: string) => `${id}.vcf`;

function idOfName(name: string): string | undefined {
  const m = /^(.+)\.vcf$/i.exec(name);
  const id = m?.[1].toLowerCase();
  return id && ID_PATTERN.test(id) ? id : undefined;
}

function generalizedTimeToDate(ts: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(ts);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** vCard properties of generated person cards → the attributes they come from (filter narrowing). */
function personSources(a: AttributeMap): PropertySources {
  const fixed = { attributes: [], always: true, opaque: true };
  return {
    VERSION: fixed,
    PRODID: fixed,
    UID: fixed,
    REV: { attributes: ['modifyTimestamp'], opaque: true },
    FN: { attributes: a.fn, always: true },
    N: { attributes: [...a.familyName, ...a.givenName], always: true },
    NICKNAME: { attributes: a.nickname },
    EMAIL: { attributes: a.email },
    TEL: { attributes: [...a.workPhone, ...a.mobile, ...a.fax, ...a.homePhone, ...a.pager] },
    ADR: { attributes: [...a.poBox, ...a.street, ...a.locality, ...a.region, ...a.postalCode, ...a.country] },
    ORG: { attributes: [...a.organization, ...a.department] },
    TITLE: { attributes: a.title },
    URL: { attributes: a.url, opaque: true },
    PHOTO: { attributes: a.photo, opaque: true },
    NOTE: { attributes: a.note },
    RELATED: { attributes: a.manager, opaque: true },
  };
}

function groupSources(a: AttributeMap, version: '3.0' | '4.0'): PropertySources {
  const fixed = { attributes: [], always: true, opaque: true };
  return {
    VERSION: fixed,
    PRODID: fixed,
    UID: fixed,
    REV: { attributes: ['modifyTimestamp'], opaque: true },
    [version === '4.0' ? 'KIND' : 'X-ADDRESSBOOKSERVER-KIND']: fixed,
    FN: { attributes: a.groupName, always: true },
    N: { attributes: a.groupName, always: true },
    EMAIL: { attributes: a.groupEmail },
    NOTE: { attributes: a.groupNote },
    [version === '4.0' ? 'MEMBER' : 'X-ADDRESSBOOKSERVER-MEMBER']: { attributes: a.groupMembers, opaque: true },
  };
}

export class LdapBackend implements Backend {
  readonly id: string;
  readonly readonly = true;
  readonly #conn: LdapConnections;
  readonly #opts: LdapDirectoryOptions;
  readonly #log: LdapLogger | undefined;
  readonly #fingerprint: string;
  readonly #limits: SearchLimits;
  readonly #listings = new Map<string, Listing>();
  readonly #listingInFlight = new Map<string, Promise<Listing>>();
  readonly #userFilters = new Map<string, { filter: string; at: number }>();
  /** Generated cards by name (each with its etag), oldest first; bounded by #cacheLimit bytes. */
  readonly #cards = new Map<string, StoredObject>();
  #cardBytes = 0;
  readonly #cacheLimit: number;
  readonly #warming = new Map<string, Promise<void>>();
  #probeKind: 'contextCSN' | 'highestCommittedUSN' | 'none' | undefined;
  #probeBase: string | undefined;

  constructor(conn: LdapConnections, opts: LdapDirectoryOptions, log?: LdapLogger) {
    this.id = opts.id;
    this.#conn = conn;
    this.#opts = opts;
    this.#log = log;
    this.#limits = { pageSize: opts.pageSize, timeLimit: opts.timeLimitSeconds, partition: opts.partition };
    this.#cacheLimit = (opts.cacheMegabytes ?? 256) * 1024 * 1024;
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

  async listCollections(owner: string, home: HomeKind): Promise<CollectionInfo[]> {
    return home === 'addressbooks' ? [this.#info(owner)] : [];
  }

  async getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined> {
    return this.#mine(ref) ? this.#info(ref.owner) : undefined;
  }

  // ---- filters -------------------------------------------------------------------------------

  /** The per-user part of the people filter ('' when none is configured). */
  async #userPart(owner: string): Promise<string> {
    const template = this.#opts.perUserFilter;
    if (!template) return '';
    const cached = this.#userFilters.get(owner);
    if (cached && Date.now() - cached.at < USER_FILTER_TTL_MS) return cached.filter;
    let entry: EntryView | undefined;
    const attrs = [...template.matchAll(/\{attr:([A-Za-z0-9-]+)\}/g)].map((m) => m[1]);
    if (attrs.length) {
      const found = await this.findUser(owner, attrs);
      entry = found ? new EntryView(found) : undefined;
    }
    let missing = false;
    const expanded = template.replace(/\{user\}|\{attr:([A-Za-z0-9-]+)\}/g, (_m, attr: string | undefined) => {
      if (!attr) return escapeFilterValue(owner);
      const v = entry?.first([attr]);
      if (!v) missing = true;
      return escapeFilterValue(v ?? '');
    });
    // Fail closed: a user whose entry lacks what the filter needs sees nothing.
    const filter = missing ? NOTHING : normalizeFilter(expanded);
    this.#userFilters.set(owner, { filter, at: Date.now() });
    return filter;
  }

  /** The entry of a DAV user (users.filter with `{user}`), or undefined unless exactly one matches. */
  async findUser(user: string, attributes: string[] = ['1.1']): Promise<LdapEntry | undefined> {
    const u = this.#opts.users;
    const filter = normalizeFilter(u.filter.replaceAll('{user}', escapeFilterValue(user)));
    const found = await this.#conn.searchAll(
      { base: u.baseDn, scope: u.scope, filter, attributes },
      { ...this.#limits, partition: undefined },
    );
    return found.length === 1 ? found[0] : undefined;
  }

  async #peopleFilter(owner: string, extra: string[] = []): Promise<string> {
    return and([normalizeFilter(this.#opts.peopleFilter), await this.#userPart(owner), ...extra]);
  }

  #groupFilter(extra: string[] = []): string {
    return and([normalizeFilter(this.#opts.groups.filter), ...extra]);
  }

  #idAssertion(id: string): string {
    const attr = this.#opts.idAttribute;
    if (isActiveDirectoryId(attr)) {
      const bytes = guidToBytes(id);
      return bytes ? `(${attr}=${escapeFilterBytes(bytes)})` : NOTHING;
    }
    return `(${attr}=${escapeFilterValue(id)})`;
  }

  #binary(): string[] {
    return isActiveDirectoryId(this.#opts.idAttribute)
      ? [this.#opts.idAttribute, ...this.#opts.attributes.photo]
      : this.#opts.attributes.photo;
  }

  // ---- listing and etags ---------------------------------------------------------------------

  #stamp(view: EntryView): string | undefined {
    const parts = this.#opts.etagAttributes.map((a) => view.texts([a]).join(','));
    return parts.some((p) => p !== '') ? parts.join('|') : undefined;
  }

  /**
   * The etag: the entry's version stamp plus what the card takes from other entries (group members,
   * manager) as resolved for this listing, so a cached card with the same etag is the same card.
   */
  #etag(kind: Kind, stamp: string, refs: string[] = []): string {
    const input = `${this.#fingerprint}|${kind}|${stamp}|${refs.length > 1 ? [...refs].sort().join(',') : refs.join(',')}`;
    return hash('sha256', input, 'base64url').slice(0, 27);
  }

  /** Ids of the entries a card refers to (group members, or a person's manager). */
  #refs(view: EntryView, kind: Kind, byDn: Map<string, string>, self: string): string[] {
    const a = this.#opts.attributes;
    const ids = new Set<string>();
    for (const dn of view.texts(kind === 'group' ? a.groupMembers : a.manager)) {
      const id = byDn.get(normalizeDn(dn));
      if (id && id !== self) ids.add(id);
    }
    return [...ids];
  }

  /** Reads the server's change marker, if it has one (see ChangeProbe). */
  async #probe(): Promise<string | undefined> {
    try {
      if (this.#probeKind === undefined) {
        const wanted = this.#opts.changeProbe;
        this.#probeKind = 'none';
        if (wanted !== 'none') {
          const root = await this.#conn.read('', ['namingContexts', 'highestCommittedUSN']);
          const view = root ? new EntryView(root) : undefined;
          const base = normalizeDn(this.#opts.baseDn);
          const context = view
            ?.texts(['namingContexts'])
            .find((nc) => base === normalizeDn(nc) || base.endsWith(`,${normalizeDn(nc)}`));
          if ((wanted === 'auto' || wanted === 'contextCSN') && context) {
            const ctx = await this.#conn.read(context, ['contextCSN']);
            if (ctx && new EntryView(ctx).has('contextCSN')) {
              this.#probeKind = 'contextCSN';
              this.#probeBase = context;
            }
          }
          if (this.#probeKind === 'none' && (wanted === 'auto' || wanted === 'highestCommittedUSN')) {
            if (view?.has('highestCommittedUSN')) this.#probeKind = 'highestCommittedUSN';
          }
          this.#log?.debug('LDAP change probe', { kind: this.#probeKind });
        }
      }
      if (this.#probeKind === 'contextCSN' && this.#probeBase !== undefined) {
        const e = await this.#conn.read(this.#probeBase, ['contextCSN']);
        return e ? new EntryView(e).texts(['contextCSN']).sort().join(',') : undefined;
      }
      if (this.#probeKind === 'highestCommittedUSN') {
        const e = await this.#conn.read('', ['highestCommittedUSN']);
        return e ? new EntryView(e).first(['highestCommittedUSN']) : undefined;
      }
    } catch (e) {
      this.#log?.warn('LDAP change probe failed; listing instead', { error: String(e) });
    }
    return undefined;
  }

  /** The listing for `owner`'s view (name → etag, DN map), re-read only when something may have changed. */
  async #listing(owner: string, fresh: 'probe' | 'recent'): Promise<Listing> {
    const key = await this.#peopleFilter(owner);
    const cached = this.#listings.get(key);
    const now = Date.now();
    if (cached && fresh === 'recent' && now - cached.validatedAt < RECENT_MS) return cached;
    let pending = this.#listingInFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const probe = await this.#probe();
        const maxAge = this.#opts.listingMaxAgeSeconds * 1000;
        if (cached && probe !== undefined && probe === cached.probe && Date.now() - cached.readAt < maxAge) {
          cached.validatedAt = Date.now();
          return cached;
        }
        const listing = await this.#readListing(key, probe);
        this.#listings.set(key, listing);
        this.#warm(key, listing);
        return listing;
      })().finally(() => this.#listingInFlight.delete(key));
      this.#listingInFlight.set(key, pending);
    }
    return pending;
  }

  async #readListing(peopleFilter: string, probe: string | undefined): Promise<Listing> {
    const o = this.#opts;
    const started = Date.now();
    const stampAttrs = [o.idAttribute, ...o.etagAttributes];
    const binary = isActiveDirectoryId(o.idAttribute) ? [o.idAttribute] : [];
    const [people, groups] = await Promise.all([
      this.#conn.searchAll(
        {
          base: o.baseDn,
          scope: o.scope,
          filter: peopleFilter,
          attributes: [...stampAttrs, ...o.attributes.manager],
          binary,
        },
        this.#limits,
      ),
      o.groups.enabled
        ? this.#conn.searchAll(
            {
              base: o.groups.baseDn,
              scope: o.groups.scope,
              filter: this.#groupFilter(),
              attributes: [...stampAttrs, ...o.attributes.groupMembers],
              binary,
            },
            this.#limits,
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
      const s = this.#stamp(view);
      if (s === undefined) unstamped.add(nameOf(id));
      else listed.etag = this.#etag(kind, s, this.#refs(view, kind, byDn, id));
    }
    const listing: Listing = { validatedAt: Date.now(), readAt: Date.now(), probe, objects, byName, byDn };
    if (unstamped.size) {
      // No version attribute on these entries: their etag is a hash of the generated card.
      for (const obj of await this.#fetch(peopleFilter, [...unstamped], listing)) {
        const l = byName.get(obj.name);
        if (l) l.etag = obj.etag;
      }
    }
    for (const [name, l] of byName) if (l.etag) objects.push({ name, etag: l.etag });
    this.#log?.debug('LDAP listing', { entries: objects.length, ms: Date.now() - started, probe });
    return listing;
  }

  // ---- the card cache ------------------------------------------------------------------------

  #cached(name: string, etag: string | undefined): StoredObject | undefined {
    const c = this.#cards.get(name);
    return c && etag !== undefined && c.etag === etag ? c : undefined;
  }

  #remember(obj: StoredObject): void {
    if (this.#cacheLimit <= 0) return;
    const old = this.#cards.get(obj.name);
    if (old) {
      this.#cardBytes -= old.body.byteLength;
      this.#cards.delete(obj.name);
    }
    this.#cards.set(obj.name, obj);
    this.#cardBytes += obj.body.byteLength;
    // Oldest first (Map order): a re-remembered card moves to the end.
    for (const [name, o] of this.#cards) {
      if (this.#cardBytes <= this.#cacheLimit) break;
      this.#cards.delete(name);
      this.#cardBytes -= o.body.byteLength;
    }
  }

  /**
   * Fills the card cache for a listing in the background: many missing cards are read with one paged
   * search of the whole view (cheaper for the server than hundreds of lookups by id), a few by id.
   * getObjects waits for a running warm-up instead of fetching the same entries again.
   */
  #warm(peopleFilter: string, listing: Listing): void {
    if (this.#cacheLimit <= 0 || this.#warming.has(peopleFilter)) return;
    const missing = listing.objects.filter((o) => !this.#cached(o.name, o.etag)).map((o) => o.name);
    if (missing.length === 0) return;
    const started = Date.now();
    const job = (async () => {
      const objects =
        missing.length > WARM_BY_SCAN
          ? await this.#search(peopleFilter, undefined, undefined, listing)
          : await this.#fetch(peopleFilter, missing, listing);
      for (const obj of objects) this.#remember(obj);
      this.#log?.debug('LDAP card cache warmed', { cards: objects.length, ms: Date.now() - started });
    })()
      .catch((e) => this.#log?.warn('LDAP card cache warm-up failed', { error: String(e) }))
      .finally(() => this.#warming.delete(peopleFilter));
    this.#warming.set(peopleFilter, job);
  }

  /** Reads the directory once so that the first clients find listing and cards ready (optional). */
  async prefetch(owner = ''): Promise<void> {
    await this.#listing(owner, 'probe');
    await this.#warming.get(await this.#peopleFilter(owner));
  }

  #missing(ref: CollectionRef): BackendError {
    return new BackendError('not-found', `no collection ${ref.home}/${ref.id} in the LDAP directory mount`);
  }

  async *listObjects(ref: CollectionRef): AsyncIterable<ObjectRef> {
    if (!this.#mine(ref)) throw this.#missing(ref);
    try {
      const listing = await this.#listing(ref.owner, 'probe');
      yield* listing.objects;
    } catch (e) {
      throw mapError(e);
    }
  }

  // ---- reading cards -------------------------------------------------------------------------

  #cardContext(listing: Listing): CardContext {
    return {
      version: this.#opts.vcardVersion,
      attributes: this.#opts.attributes,
      idAttribute: this.#opts.idAttribute,
      resolveDn: (dn) => listing.byDn.get(dn),
    };
  }

  #toObject(view: EntryView, kind: Kind, listing: Listing): StoredObject | undefined {
    const id = entryId(view, this.#opts.idAttribute);
    if (!id || !ID_PATTERN.test(id)) return undefined;
    const ctx = this.#cardContext(listing);
    const text = kind === 'person' ? personCard(view, id, ctx) : groupCard(view, id, ctx);
    const body = new TextEncoder().encode(text);
    const stamp = this.#stamp(view);
    const etag =
      stamp === undefined
        ? hash('sha256', Buffer.concat([Buffer.from(this.#fingerprint), body]), 'base64url').slice(0, 27)
        : this.#etag(kind, stamp, this.#refs(view, kind, listing.byDn, id));
    const modified = generalizedTimeToDate(view.first(['modifyTimestamp', 'whenChanged']));
    return {
      name: nameOf(id),
      etag,
      body,
      contentType: CONTENT_TYPE,
      lastModified: modified ?? new Date(0),
      deadProps: {},
    };
  }

  /** Full entries for people and groups matching the extra filters, as stored objects. */
  async #search(
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
              filter: this.#groupFilter(groupExtra ? [groupExtra] : []),
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
        const obj = this.#toObject(new EntryView(e), kind, listing);
        if (obj && !out.has(obj.name)) out.set(obj.name, obj);
      }
    }
    return [...out.values()];
  }

  async #fetch(peopleFilter: string, names: string[], listing: Listing): Promise<StoredObject[]> {
    const ids = [...new Set(names.map(idOfName).filter((i): i is string => i !== undefined))];
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) batches.push(ids.slice(i, i + LOOKUP_BATCH));
    const results = await Promise.all(
      batches.map((batch) => {
        const byId = or(batch.map((id) => this.#idAssertion(id)));
        // Entries the listing knows as people (or groups) need only that search.
        const kinds = new Set(batch.map((id) => listing.byName.get(nameOf(id))?.kind));
        const unknown = kinds.has(undefined);
        return this.#search(
          peopleFilter,
          unknown || kinds.has('person') ? byId : NOTHING,
          unknown || kinds.has('group') ? byId : NOTHING,
          listing,
        );
      }),
    );
    return results.flat();
  }

  async getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]> {
    if (!this.#mine(ref)) throw this.#missing(ref);
    if (names.length === 0) return [];
    try {
      const listing = await this.#listing(ref.owner, 'recent');
      const peopleFilter = await this.#peopleFilter(ref.owner);
      await this.#warming.get(peopleFilter);
      const out: StoredObject[] = [];
      const missing: string[] = [];
      for (const name of new Set(names)) {
        const hit = this.#cached(name, listing.byName.get(name)?.etag);
        if (hit) out.push(hit);
        else missing.push(name);
      }
      if (missing.length) {
        for (const obj of await this.#fetch(peopleFilter, missing, listing)) {
          this.#remember(obj);
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
      const listing = await this.#listing(ref.owner, 'recent');
      const items = await this.#search(await this.#peopleFilter(ref.owner), people, groups, listing);
      return { items, exact: false };
    } catch (e) {
      throw mapError(e);
    }
  }

  async findByUid(ref: CollectionRef, uid: string): Promise<string | undefined> {
    const id = uid.replace(/^urn:uuid:/i, '').toLowerCase();
    if (!this.#mine(ref) || !ID_PATTERN.test(id)) return undefined;
    const listing = await this.#listing(ref.owner, 'recent');
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
