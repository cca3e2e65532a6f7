// The aggregated address book (quirks Q22): macOS Contacts uses only the first address book of a
// home, so for it the home shows one virtual book merging the user's books (as Open-Xchange's
// "All Contacts" does). Member names are unique across sources: a card of the default book keeps its
// name, any other is `~<hex of its book id>~<name>`, so new cards the client PUTs under plain names
// land in the default book and list under the same name again. ETags are the sources'; the ctag and
// sync token come from the snapshot feed over the merged listing (the aggregate has no native feed).
import type { BackendRouter } from '../dav/context.ts';
import { type Backend, BackendError } from './port.ts';
import type {
  CollectionInfo,
  CollectionRef,
  HomeKind,
  ObjectRef,
  PutInput,
  PutResult,
  StoredObject,
  WritePreconditions,
} from './types.ts';

export interface AggregateOptions {
  /** Collection id of the virtual book in the address-book home. */
  id: string;
  displayName: string;
  /**
   * Books merged: only those the user can write (default: every card can be edited), or every
   * address book of the home, read-only directories included (their cards then refuse edits with 403).
   */
  sources: 'all' | 'writable';
  /** Id of the book new cards go to; when it does not exist, the first writable book by id. */
  defaultBook: string;
}

export const DEFAULT_AGGREGATE: AggregateOptions = {
  id: 'all-contacts',
  displayName: 'All Contacts',
  sources: 'writable',
  defaultBook: 'contacts',
};

interface Source {
  info: CollectionInfo;
  backend: Backend;
  isDefault: boolean;
}

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const unhex = (s: string): string => Buffer.from(s, 'hex').toString('utf8');
const MARKED = /^~([0-9a-f]+)~(.+)$/s;
const writable = (s: { info: CollectionInfo; backend: Backend }) => !s.info.readonly && !s.backend.readonly;

/** The virtual book of one user's home; built per request (it caches the list of sources). */
export class AggregateBackend implements Backend {
  readonly id = 'aggregate';
  readonly #base: BackendRouter;
  readonly #owner: string;
  readonly #opts: AggregateOptions;
  #sources: Promise<Source[]> | undefined;

  constructor(base: BackendRouter, owner: string, opts: AggregateOptions) {
    this.#base = base;
    this.#owner = owner;
    this.#opts = opts;
  }

  sources(): Promise<Source[]> {
    this.#sources ??= this.#base.listCollections(this.#owner, 'addressbooks').then((all) => {
      const books = all
        .filter((c) => c.info.kind === 'addressbook' && (this.#opts.sources === 'all' || writable(c)))
        .sort((a, b) => (a.info.ref.id < b.info.ref.id ? -1 : a.info.ref.id > b.info.ref.id ? 1 : 0));
      const dflt =
        books.find((b) => b.info.ref.id === this.#opts.defaultBook && writable(b)) ?? books.find((b) => writable(b));
      return books.map((b) => ({ ...b, isDefault: b === dflt }));
    });
    return this.#sources;
  }

  /** The virtual collection: privileges (read-only or not) are the default book's. */
  async info(): Promise<CollectionInfo> {
    const dflt = (await this.sources()).find((s) => s.isDefault);
    return {
      ref: { owner: this.#owner, home: 'addressbooks', id: this.#opts.id },
      kind: 'addressbook',
      displayName: this.#opts.displayName,
      deadProps: {},
      ...(dflt ? {} : { readonly: true }),
    };
  }

  /** Aggregate member name of a source object. */
  static nameOf(source: Source, name: string): string {
    return source.isDefault && !name.startsWith('~') ? name : `~${hex(source.info.ref.id)}~${name}`;
  }

  /** The source and its object name for an aggregate member name (plain names belong to the default book). */
  async locate(name: string): Promise<{ source: Source; name: string } | undefined> {
    const sources = await this.sources();
    const m = MARKED.exec(name);
    if (m && /^(?:[0-9a-f]{2})+$/.test(m[1])) {
      const id = unhex(m[1]);
      const source = sources.find((s) => s.info.ref.id === id);
      return source ? { source, name: m[2] } : undefined;
    }
    const source = sources.find((s) => s.isDefault);
    return source ? { source, name } : undefined;
  }

  #isMine(ref: CollectionRef): boolean {
    return ref.owner === this.#owner && ref.home === 'addressbooks' && ref.id === this.#opts.id;
  }

  async listCollections(owner: string, home: HomeKind): Promise<CollectionInfo[]> {
    return owner === this.#owner && home === 'addressbooks' ? [await this.info()] : [];
  }

  async getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined> {
    return this.#isMine(ref) ? this.info() : undefined;
  }

  async *listObjects(ref: CollectionRef): AsyncIterable<ObjectRef> {
    if (!this.#isMine(ref)) throw new BackendError('not-found', `no collection ${ref.id}`);
    for (const s of await this.sources()) {
      for await (const o of s.backend.listObjects(s.info.ref))
        yield { name: AggregateBackend.nameOf(s, o.name), etag: o.etag };
    }
  }

  async getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]> {
    if (!this.#isMine(ref)) return [];
    const bySource = new Map<Source, string[]>();
    for (const n of names) {
      const loc = await this.locate(n);
      if (loc) bySource.set(loc.source, [...(bySource.get(loc.source) ?? []), loc.name]);
    }
    const out: StoredObject[] = [];
    for (const [s, list] of bySource) {
      for (const o of await s.backend.getObjects(s.info.ref, list))
        out.push({ ...o, name: AggregateBackend.nameOf(s, o.name) });
    }
    return out;
  }

  async #target(ref: CollectionRef, name: string): Promise<{ source: Source; name: string }> {
    const loc = this.#isMine(ref) ? await this.locate(name) : undefined;
    if (!loc) throw new BackendError('forbidden', 'no address book to write to');
    if (!writable(loc.source))
      throw new BackendError('forbidden', `address book ${loc.source.info.ref.id} is read-only`);
    return loc;
  }

  async putObject(ref: CollectionRef, name: string, input: PutInput, pre: WritePreconditions): Promise<PutResult> {
    const { source, name: inner } = await this.#target(ref, name);
    try {
      return await source.backend.putObject(source.info.ref, inner, input, pre);
    } catch (e) {
      if (e instanceof BackendError && e.code === 'conflict' && e.conflictName !== undefined)
        throw new BackendError('conflict', e.message, AggregateBackend.nameOf(source, e.conflictName));
      throw e;
    }
  }

  async deleteObject(ref: CollectionRef, name: string, pre: WritePreconditions): Promise<void> {
    const { source, name: inner } = await this.#target(ref, name);
    await source.backend.deleteObject(source.info.ref, inner, pre);
  }
}

/**
 * A router that shows `owner`'s address-book home as the one aggregated book; every other collection
 * id (and the calendar home) still reaches its own backend, so direct links keep working.
 */
export function aggregatingRouter(base: BackendRouter, owner: string, opts: AggregateOptions): BackendRouter {
  const agg = new AggregateBackend(base, owner, opts);
  return {
    forCollection(o, home, id) {
      if (o === owner && home === 'addressbooks' && id.split('/')[0] === opts.id) return agg;
      return base.forCollection(o, home, id);
    },
    async listCollections(o, home) {
      if (o !== owner || home !== 'addressbooks') return base.listCollections(o, home);
      return [{ info: await agg.info(), backend: agg }];
    },
  };
}
