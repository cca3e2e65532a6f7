// The in-process snapshot cache of the Redis state store (src/state/redis.ts). A cached snapshot is only a
// proposal: the GET_SNAPSHOT script answers 'U' when the stored one has the same epoch, seq and size, else
// it sends the full snapshot, so the cache saves transfers and can never answer stale data.

/** Object entries of recently read snapshots kept in the process by default. */
export const DEFAULT_CACHE_ENTRIES = 200_000;

export interface CachedSnapshot {
  epoch: string;
  seq: number;
  entries: Map<string, string>;
}

/** Least-recently-used snapshots, bounded by their total number of entries. */
export class SnapshotCache {
  readonly #max: number;
  readonly #map = new Map<string, CachedSnapshot>();
  #size = 0;
  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }
  get(key: string, epoch: string): CachedSnapshot | undefined {
    const c = this.#map.get(key);
    if (!c) return undefined;
    this.#map.delete(key);
    if (c.epoch !== epoch) {
      this.#size -= c.entries.size;
      return undefined;
    }
    this.#map.set(key, c);
    return c;
  }
  set(key: string, c: CachedSnapshot): void {
    this.delete(key);
    if (c.entries.size > this.#max / 4) return;
    this.#map.set(key, c);
    this.#size += c.entries.size;
    for (const [k, old] of this.#map) {
      if (this.#size <= this.#max) break;
      this.#map.delete(k);
      this.#size -= old.entries.size;
    }
  }
  delete(key: string): void {
    const c = this.#map.get(key);
    if (!c) return;
    this.#map.delete(key);
    this.#size -= c.entries.size;
  }
}
