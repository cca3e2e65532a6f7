// Backend mounts: one user's home aggregates several backends (DESIGN.md §URL space). Each mount
// owns a fixed set of top-level collection ids, or is the home's default mount that owns the rest
// (and where new collections are created).
import type { BackendRouter } from '../dav/context.ts';
import type { Backend } from './port.ts';
import type { CollectionInfo, HomeKind } from './types.ts';

export interface Mount {
  /** Mount name (for logs and configuration). */
  id: string;
  backend: Backend;
  /** Homes this mount serves (default: both). */
  homes?: HomeKind[];
  /** Top-level collection ids this mount owns in every home it serves; absent = the default mount. */
  collections?: string[];
}

const BOTH: HomeKind[] = ['calendars', 'addressbooks'];

export class MountRouter implements BackendRouter {
  readonly #mounts: Mount[];

  constructor(mounts: Mount[]) {
    for (const home of BOTH) {
      const defaults = mounts.filter((m) => !m.collections && (m.homes ?? BOTH).includes(home));
      if (defaults.length > 1)
        throw new Error(`more than one default mount for the ${home} home: ${defaults.map((m) => m.id).join(', ')}`);
    }
    const claimed = new Map<string, string>();
    for (const m of mounts) {
      for (const home of m.homes ?? BOTH) {
        for (const c of m.collections ?? []) {
          const k = `${home}/${c}`;
          if (claimed.has(k)) throw new Error(`collection ${k} is claimed by mounts ${claimed.get(k)} and ${m.id}`);
          claimed.set(k, m.id);
        }
      }
    }
    this.#mounts = mounts;
  }

  #serving(home: HomeKind): Mount[] {
    return this.#mounts.filter((m) => (m.homes ?? BOTH).includes(home));
  }

  forCollection(_owner: string, home: HomeKind, id: string): Backend {
    const top = id.split('/')[0];
    const serving = this.#serving(home);
    const owner = serving.find((m) => m.collections?.includes(top)) ?? serving.find((m) => !m.collections);
    if (!owner) throw new Error(`no backend mounted for the ${home} home`);
    return owner.backend;
  }

  async listCollections(owner: string, home: HomeKind): Promise<{ info: CollectionInfo; backend: Backend }[]> {
    const serving = this.#serving(home);
    const fixed = new Set(serving.flatMap((m) => m.collections ?? []));
    const lists = await Promise.all(
      serving.map(async (m) => {
        const all = await m.backend.listCollections(owner, home);
        const mine = all.filter((c) => {
          const top = c.ref.id.split('/')[0];
          return m.collections ? m.collections.includes(top) : !fixed.has(top);
        });
        return mine.map((info) => ({ info, backend: m.backend }));
      }),
    );
    return lists.flat();
  }
}
