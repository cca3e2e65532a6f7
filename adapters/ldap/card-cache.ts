// The card cache: generated cards by name with their etags, bounded by bytes (oldest first), and
// the background warm-up that fills it after a listing is read.
import type { StoredObject } from '../../src/backend/types.ts';
import type { CardReader } from './card-reader.ts';
import type { LdapLogger } from './connection.ts';
import type { Listing } from './listing.ts';

/** More missing cards than this are read with one scan of the whole view instead of lookups by id. */
const WARM_BY_SCAN = 500;

export class CardCache {
  /** Generated cards by name (each with its etag), oldest first; bounded by #cacheLimit bytes. */
  readonly #cards = new Map<string, StoredObject>();
  #cardBytes = 0;
  readonly #cacheLimit: number;
  readonly #warming = new Map<string, Promise<void>>();
  readonly #reader: CardReader;
  readonly #log: LdapLogger | undefined;

  constructor(cacheLimit: number, reader: CardReader, log: LdapLogger | undefined) {
    this.#cacheLimit = cacheLimit;
    this.#reader = reader;
    this.#log = log;
  }

  /** The cached card, if it has this etag. */
  cached(name: string, etag: string | undefined): StoredObject | undefined {
    const c = this.#cards.get(name);
    return c && etag !== undefined && c.etag === etag ? c : undefined;
  }

  remember(obj: StoredObject): void {
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

  /** The running warm-up for this view, if any (awaiting undefined is a no-op). */
  warming(peopleFilter: string): Promise<void> | undefined {
    return this.#warming.get(peopleFilter);
  }

  /**
   * Fills the card cache for a listing in the background: many missing cards are read with one paged
   * search of the whole view (cheaper for the server than hundreds of lookups by id), a few by id.
   * getObjects waits for a running warm-up instead of fetching the same entries again.
   */
  warm(peopleFilter: string, listing: Listing): void {
    if (this.#cacheLimit <= 0 || this.#warming.has(peopleFilter)) return;
    const missing = listing.objects.filter((o) => !this.cached(o.name, o.etag)).map((o) => o.name);
    if (missing.length === 0) return;
    const started = Date.now();
    const job = (async () => {
      const objects =
        missing.length > WARM_BY_SCAN
          ? await this.#reader.search(peopleFilter, undefined, undefined, listing)
          : await this.#reader.fetch(peopleFilter, missing, listing);
      for (const obj of objects) this.remember(obj);
      this.#log?.debug('LDAP card cache warmed', { cards: objects.length, ms: Date.now() - started });
    })()
      .catch((e) => this.#log?.warn('LDAP card cache warm-up failed', { error: String(e) }))
      .finally(() => this.#warming.delete(peopleFilter));
    this.#warming.set(peopleFilter, job);
  }
}
