// The native change feed of the SQL store (RFC 6578 sync-collection, DESIGN.md §Sync and ETags).
// A token is the collection's seq as a decimal string. Seqs come from one global counter, so they are
// strictly increasing and never reused, even when a collection is deleted and created again.
// The change table keeps one row per name (its latest change), so a delta lists each name once.
import type { ChangeSet, ObjectRef } from '../../src/backend/types.ts';
import { nextSeq } from './collections.ts';
import type { Q, Row } from './query/exec.ts';

const UPSERT = `INSERT INTO changes (collection, name, seq, op, at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (collection, name) DO UPDATE SET seq = excluded.seq, op = excluded.op, at = excluded.at`;
const UPSERT_MYSQL = `INSERT INTO changes (collection, name, seq, op, at) VALUES (?, ?, ?, ?, ?)
  ON DUPLICATE KEY UPDATE seq = VALUES(seq), op = VALUES(op), at = VALUES(at)`;

/**
 * PostgreSQL: the counter, the change row and the collection's token in one round trip. The counter row
 * stays locked until commit, so it is taken last: the shorter that window, the more writes per second.
 */
const RECORD_PG = `WITH s AS (UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value),
    u AS (UPDATE collections SET synctoken = (SELECT value FROM s) WHERE cid = :cid)
  INSERT INTO changes (collection, name, seq, op, at) SELECT CAST(:cid AS BIGINT), CAST(:name AS TEXT), value, CAST(:op AS TEXT), CAST(:at AS BIGINT) FROM s
  ON CONFLICT (collection, name) DO UPDATE SET seq = excluded.seq, op = excluded.op, at = excluded.at
  RETURNING seq`;

/**
 * Records a change of `name` inside the caller's write transaction; returns the new seq. The seq comes from
 * the global counter whose row stays locked until commit, so seqs commit in increasing order and a token
 * never skips a change committed later with a smaller seq. Call it last in the transaction.
 */
export async function recordChange(q: Q, cid: number, name: string, op: 'put' | 'delete', at: number): Promise<number> {
  if (q.dialect === 'postgres') return Number((await q.get(RECORD_PG, { cid, name, op, at }))?.seq);
  const seq = await nextSeq(q);
  await q.run(q.dialect === 'mysql' ? UPSERT_MYSQL : UPSERT, [cid, name, seq, op, at]);
  await q.run('UPDATE collections SET synctoken = ? WHERE cid = ?', [seq, cid]);
  return seq;
}

/** Parses a token: a non-negative decimal integer, nothing else. */
export function parseToken(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(token)) return undefined;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The delta after a token in one statement: the collection row (its token and oldest answerable token) and
 * its change rows above `from`, each with the current object's etag (none: deleted). One statement sees one
 * snapshot on every dialect, so the token and the rows agree without a transaction. Zero rows: no collection.
 */
export const DELTA = `SELECT k.synctoken, k.min_token, c.name, o.etag FROM collections k
  LEFT JOIN changes c ON c.collection = k.cid AND c.seq > ?
  LEFT JOIN objects o ON o.collection = c.collection AND o.name = c.name
  WHERE k.owner = ? AND k.home = ? AND k.id = ? ORDER BY c.seq`;

/**
 * Reads the rows of DELTA into a change set. A token in the future or older than the pruned log
 * (`from < min_token`) is 'invalid-token'. The object row, not the op, decides: a name whose latest change
 * is a put has its current etag.
 */
export function deltaFrom(rows: Row[], from: number): ChangeSet | 'invalid-token' {
  const synctoken = Number(rows[0].synctoken);
  if (from > synctoken || from < Number(rows[0].min_token)) return 'invalid-token';
  const changed: ObjectRef[] = [];
  const deleted: string[] = [];
  for (const r of rows) {
    if (r.name == null) continue;
    if (r.etag == null) deleted.push(String(r.name));
    else changed.push({ name: String(r.name), etag: String(r.etag) });
  }
  return { token: String(synctoken), changed, deleted };
}

export interface PruneOptions {
  /** Only changes recorded before this instant may go. */
  before?: Date;
  /** Always keep this many most recent changes per collection. */
  keepLatest?: number;
}

/**
 * Drops old change rows (mostly deletion tombstones; put rows are replaced in place) and raises each
 * affected collection's oldest answerable token, so clients holding an older token get 'invalid-token'
 * and resync. A change goes only when every given criterion allows it. Runs inside a write transaction.
 * Returns the number of rows removed.
 */
export async function pruneChanges(q: Q, opts: PruneOptions): Promise<number> {
  const before = opts.before ? opts.before.getTime() : Number.MAX_SAFE_INTEGER;
  const keep = Math.max(0, Math.floor(opts.keepLatest ?? 0));
  // Candidates per collection: old enough and ranked after the newest `keep` rows.
  const doomed = `SELECT collection, seq FROM (
      SELECT collection, seq, at, ROW_NUMBER() OVER (PARTITION BY collection ORDER BY seq DESC) AS rnk FROM changes
    ) ranked WHERE at < ? AND rnk > ?`;
  const cutoffs = await q.all(`SELECT collection, MAX(seq) AS upto FROM (${doomed}) doomed GROUP BY collection`, [
    before,
    keep,
  ]);
  const raise =
    q.dialect === 'sqlite'
      ? 'UPDATE collections SET min_token = MAX(min_token, ?) WHERE cid = ?'
      : 'UPDATE collections SET min_token = GREATEST(min_token, ?) WHERE cid = ?';
  let removed = 0;
  for (const c of cutoffs) {
    // Removing the row of seq S breaks every token below S, so everything up to the cutoff goes too.
    removed += await q.run('DELETE FROM changes WHERE collection = ? AND seq <= ?', [c.collection, c.upto]);
    await q.run(raise, [c.upto, c.collection]);
  }
  return removed;
}
