// The memory backend's native change feed (RFC 6578 semantics, DESIGN.md §Sync and ETags): an ordered log
// of (seq, name, etag | deleted) per collection with bounded retention.
//
// Sequence numbers come from one counter shared by the whole backend, so they are strictly increasing per
// collection and a collection that is deleted and re-created never accepts tokens minted for its
// predecessor (they are below the new collection's floor).
import type { ChangeSet, ObjectRef } from '../../src/backend/types.ts';

interface LogEntry {
  seq: number;
  name: string;
  /** Etag after the change; undefined for a deletion. */
  etag: string | undefined;
}

/** Parses a decimal token; anything else (signs, spaces, exponents, unsafe integers) is undefined. */
export function parseSeqToken(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(token)) return undefined;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : undefined;
}

export class ChangeLog {
  #entries: LogEntry[] = [];
  /** Lowest token that can still be answered: entries after it are all retained. */
  #floor: number;
  #seq: number;
  readonly #max: number;

  /** `start` is the seq describing the (empty) collection at creation. */
  constructor(start: number, maxEntries: number) {
    this.#floor = start;
    this.#seq = start;
    this.#max = Math.max(1, maxEntries);
  }

  get seq(): number {
    return this.#seq;
  }

  /** Records a change at `seq` (must exceed every earlier seq); trims the oldest entries beyond retention. */
  record(seq: number, name: string, etag: string | undefined): void {
    if (seq <= this.#seq) throw new Error(`change log seq must increase (${seq} <= ${this.#seq})`);
    this.#seq = seq;
    this.#entries.push({ seq, name, etag });
    while (this.#entries.length > this.#max) {
      // A token below this entry's seq would miss it, so the floor rises to it.
      this.#floor = (this.#entries.shift() as LogEntry).seq;
    }
  }

  /**
   * Changes after `since`, latest state per name, oldest change first. `null` lists `present` (every
   * object now in the collection, with the seq of its last change). Unknown, future or trimmed tokens
   * are 'invalid-token'.
   */
  changesSince(since: string | null, present: Iterable<ObjectRef & { seq: number }>): ChangeSet | 'invalid-token' {
    const token = String(this.#seq);
    if (since === null) {
      const all = [...present].sort((a, b) => a.seq - b.seq);
      return { token, changed: all.map(({ name, etag }) => ({ name, etag })), deleted: [] };
    }
    const from = parseSeqToken(since);
    if (from === undefined || from < this.#floor || from > this.#seq) return 'invalid-token';
    const latest = new Map<string, LogEntry>();
    for (const e of this.#entries) {
      if (e.seq <= from) continue;
      latest.delete(e.name); // re-insert so map order follows the latest change
      latest.set(e.name, e);
    }
    const changed: ObjectRef[] = [];
    const deleted: string[] = [];
    for (const e of latest.values()) {
      if (e.etag === undefined) deleted.push(e.name);
      else changed.push({ name: e.name, etag: e.etag });
    }
    return { token, changed, deleted };
  }
}
