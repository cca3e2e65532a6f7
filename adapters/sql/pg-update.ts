// PostgreSQL: a conditional replacement (If-Match) that keeps its UID in one autocommitted statement — the
// collection lookup, the row's own condition (`etag = <If-Match>`), the time-index cleanup, the global change
// counter, the collection's token and the change row — so the common write of a syncing client is one round
// trip instead of six (BEGIN, lookup, UPDATE, change record, UID check, COMMIT). The counter row is locked by
// the statement and released at its commit, so seqs still commit in increasing order (changes.ts).
// Keeping the UID needs no no-uid-conflict check (RFC 4791 §5.3.2.1, RFC 6352 §6.3.2.1): the row held that
// UID already, and a writer racing to give it to another row checks after taking the counter, so it sees
// this row. Anything else (a changed UID, a time index to store, a miss) returns undefined or fails, and
// the caller takes the transactional path or answers from what the statement saw.
// Both object lookups give the collection as a value (a subquery), so any cached generic plan reads the row
// by its whole (collection, name) key, never by the name alone.
import { contentEtag } from '../../src/backend/etag.ts';
import { BackendError } from '../../src/backend/port.ts';
import type { CollectionRef, PutInput, PutResult } from '../../src/backend/types.ts';
import type { Q } from './query/exec.ts';

const UPDATE_KEEPING_UID = `WITH k AS (SELECT cid FROM collections WHERE owner = :owner AND home = :home AND id = :id),
  old AS (SELECT etag, uid FROM objects WHERE collection = (SELECT cid FROM k) AND name = :name),
  u AS (UPDATE objects SET component_type = :ctype, content_type = :type, body = :body, etag = :etag, size = :size,
      last_modified = :now, time_indexed = 0, time_exact = 0, time_complete_until = NULL
    WHERE collection = (SELECT cid FROM k) AND name = :name AND etag = :ifmatch AND uid IS NOT DISTINCT FROM :uid
    RETURNING collection),
  d AS (DELETE FROM object_spans WHERE collection = (SELECT collection FROM u) AND name = :name),
  s AS (UPDATE change_counter SET value = value + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM u) RETURNING value),
  t AS (UPDATE collections SET synctoken = (SELECT value FROM s) WHERE cid = (SELECT collection FROM u)),
  c AS (INSERT INTO changes (collection, name, seq, op, at)
      SELECT u.collection, CAST(:name AS TEXT), s.value, 'put', CAST(:now AS BIGINT) FROM u, s
    ON CONFLICT (collection, name) DO UPDATE SET seq = excluded.seq, op = excluded.op, at = excluded.at)
  SELECT (SELECT cid FROM k) AS cid, (SELECT collection FROM u) AS updated,
    (SELECT etag FROM old) AS old_etag, (SELECT uid FROM old) AS old_uid`;

/**
 * Replaces `name` if its etag is `ifMatch` and its UID stays `input.uid`, in one statement. Returns the
 * result, or undefined when the transactional path must decide (the UID changes, or a concurrent write
 * moved the row between the statement's snapshot and its lock). Throws not-found / precondition-failed
 * when the statement's snapshot already shows that answer.
 */
export async function updateKeepingUid(
  q: Q,
  ref: CollectionRef,
  name: string,
  input: PutInput,
  ifMatch: string,
): Promise<PutResult | undefined> {
  const etag = contentEtag(input.body);
  const row = await q.get(UPDATE_KEEPING_UID, {
    owner: ref.owner,
    home: ref.home,
    id: ref.id,
    name,
    uid: input.uid ?? null,
    ctype: input.componentType ?? null,
    type: input.contentType,
    body: input.body,
    etag,
    size: input.body.byteLength,
    now: Date.now(),
    ifmatch: ifMatch,
  });
  if (row?.updated != null) return { etag, created: false };
  if (row?.cid == null) throw new BackendError('not-found', `no collection ${ref.owner}/${ref.home}/${ref.id}`);
  if (row.old_etag == null) throw new BackendError('precondition-failed', `${name} does not exist (If-Match)`);
  if (row.old_etag !== ifMatch) throw new BackendError('precondition-failed', `${name}: etag does not match If-Match`);
  return undefined;
}
