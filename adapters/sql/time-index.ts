// The calendar time index of the native SQL store (migration 2): the instance spans the CalDAV core
// computes at write time (PutInput.timeIndex) stored one row each, so calendar-query time ranges and
// free-busy are answered by an index range scan instead of parsing every object.
import type { BusyResult, PutInput, TimeSpan } from '../../src/backend/types.ts';
import { NAME_CHUNK, nameList } from './objects.ts';
import type { Q, Row } from './query/exec.ts';

/** ±Infinity in integer columns (the JavaScript Date range). */
const NEG = -8_640_000_000_000_000;
const POS = 8_640_000_000_000_000;
/** Spans longer than this are "long" and scanned apart from the short ones (most events are short). */
export const LONG_SPAN_MS = 3 * 86_400_000;

const clamp = (x: number): number => (x === Number.NEGATIVE_INFINITY ? NEG : x === Number.POSITIVE_INFINITY ? POS : x);
const unclamp = (x: number): number =>
  x <= NEG + 1 ? Number.NEGATIVE_INFINITY : x >= POS - 1 ? Number.POSITIVE_INFINITY : x;

/** Rows per span INSERT: 12 parameters each stays under every driver's limit (SQLite: 32,766). */
const SPAN_ROWS = 500;
const SPAN_COLUMNS = `INSERT INTO object_spans (collection, name, seq, lo, hi, "long", flags, rid, comp, busy, exact, "until") VALUES `;
const SPAN_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Statement texts by row count, so each count is translated and prepared once. */
const spanInserts: string[] = [];
const spanInsert = (rows: number): string => {
  spanInserts[rows] ??= SPAN_COLUMNS + Array(rows).fill(SPAN_ROW).join(', ');
  return spanInserts[rows];
};

/**
 * Replaces the spans of one object (its row holds the index flags), one multi-row INSERT per 500 spans.
 * Call inside the write transaction.
 */
export async function storeSpans(q: Q, cid: number, name: string, input: PutInput, replacing: boolean): Promise<void> {
  if (replacing) await q.run('DELETE FROM object_spans WHERE collection = ? AND name = ?', [cid, name]);
  const ti = input.timeIndex;
  if (!ti || ti.spans.length === 0) return;
  const exact = ti.exact ? 1 : 0;
  const until = ti.completeUntil ?? null;
  for (let first = 0; first < ti.spans.length; first += SPAN_ROWS) {
    const chunk = ti.spans.slice(first, first + SPAN_ROWS);
    const params: unknown[] = [];
    chunk.forEach((s, i) => {
      const lo = clamp(s.start) - (s.inclStart ? 1 : 0);
      const hi = clamp(s.end) + (s.inclEnd ? 1 : 0);
      const flags = (s.inclStart ? 1 : 0) | (s.inclEnd ? 2 : 0) | (s.busyOnly ? 4 : 0);
      const long = hi - lo > LONG_SPAN_MS ? 1 : 0;
      params.push(
        cid,
        name,
        first + i,
        lo,
        hi,
        long,
        flags,
        s.rid ?? null,
        s.comp ?? null,
        s.busy ?? null,
        exact,
        until,
      );
    });
    await q.run(spanInsert(chunk.length), params);
  }
}

function toSpan(row: Row): TimeSpan {
  const flags = Number(row.flags);
  const s: TimeSpan = {
    start: unclamp(Number(row.lo) + (flags & 1 ? 1 : 0)),
    end: unclamp(Number(row.hi) - (flags & 2 ? 1 : 0)),
  };
  if (flags & 1) s.inclStart = true;
  if (flags & 2) s.inclEnd = true;
  if (flags & 4) s.busyOnly = true;
  if (row.rid != null) s.rid = Number(row.rid);
  if (row.comp != null) s.comp = Number(row.comp);
  if (row.busy != null) s.busy = String(row.busy);
  return s;
}

/** Bounds of a range for the span conditions (absent sides unbounded). */
export function rangeBounds(range: { start?: Date; end?: Date }): { qs: number; qe: number } {
  return { qs: range.start ? range.start.getTime() : NEG, qe: range.end ? range.end.getTime() : POS };
}

/**
 * The spans overlapping [qs, qe) in one collection, as a SQL fragment selecting `name` plus span columns:
 * short spans by a range scan on lo, long ones apart. `extra` filters further (e.g. busy IS NOT NULL).
 */
function overlapping(columns: string, extra: string): string {
  return `SELECT ${columns} FROM object_spans WHERE collection = :cid AND "long" = 0 AND lo > :qsl AND lo < :qe AND hi > :qs ${extra}
    UNION ALL
    SELECT ${columns} FROM object_spans WHERE collection = :cid AND "long" = 1 AND lo < :qe AND hi > :qs ${extra}`;
}

const MATCHING = 'AND (flags & 4) = 0';
const OBJECT_COLUMNS = 'o.name, o.etag, o.body, o.content_type, o.last_modified, o.dead_props, o.component_type';
/** The same without the body (an empty blob), for items whose bodies the core does not need. */
const HEAD_COLUMNS = {
  sqlite: "o.name, o.etag, X'' AS body, o.content_type, o.last_modified, o.dead_props, o.component_type",
  postgres: "o.name, o.etag, ''::bytea AS body, o.content_type, o.last_modified, o.dead_props, o.component_type",
  mysql: "o.name, o.etag, X'' AS body, o.content_type, o.last_modified, o.dead_props, o.component_type",
};
/** Whether a span row decides its object for a range ending at :qe (SQL twin of `decides` below). */
const DECIDES = 'exact = 1 AND ("until" IS NULL OR "until" > :qe)';
/**
 * SQLite: the typed candidates with a span in the range in one statement — the span scan grouped by
 * name (whether every span decides), then one lookup per name — so no span row crosses into JavaScript.
 * `:heads` = 1 leaves out the bodies of the objects the spans decide.
 */
const HITS_SQLITE = `WITH s AS (SELECT name, min(${DECIDES}) AS decided FROM (${overlapping('name, exact, "until"', MATCHING)}) GROUP BY name)
  SELECT o.name, o.etag, CASE WHEN :heads = 1 AND s.decided = 1 AND o.component_type IS NOT NULL THEN X'' ELSE o.body END AS body,
    o.content_type, o.last_modified, o.dead_props, o.component_type, s.decided
  FROM s CROSS JOIN objects o ON o.collection = :cid AND o.name = s.name
  WHERE o.component_type = :comp OR o.component_type IS NULL`;

/** Rows of the named objects (sorted names). SQLite: one lookup per name in list order (it would otherwise walk the collection). */
async function byName(q: Q, cols: string, cid: number, names: string[]): Promise<Row[]> {
  if (names.length === 0) return [];
  if (q.dialect === 'sqlite') {
    return q.all(`SELECT ${cols} FROM json_each(?) n CROSS JOIN objects o ON o.collection = ? AND o.name = n.value`, [
      JSON.stringify(names),
      cid,
    ]);
  }
  const out: Row[] = [];
  for (let i = 0; i < names.length; i += NAME_CHUNK) {
    const { list, params } = nameList(q.dialect, names.slice(i, i + NAME_CHUNK));
    for (const r of await q.all(`SELECT ${cols} FROM objects o WHERE o.collection = ? AND o.name IN ${list}`, [
      cid,
      ...params,
    ]))
      out.push(r);
  }
  return out;
}

const byRowName = (a: Row, b: Row) => ((a.name as string) < (b.name as string) ? -1 : a.name === b.name ? 0 : 1);

/** Sorts rows by name (JavaScript string order) unless they already are: usually one pass, no sort. */
function inNameOrder(rows: Row[]): Row[] {
  for (let i = 1; i < rows.length; i++)
    if ((rows[i - 1].name as string) > (rows[i].name as string)) return rows.sort(byRowName);
  return rows;
}

export interface TimeSelection {
  /** Candidate object rows in name order (name, etag, body, content_type, last_modified, dead_props). */
  rows: Row[];
  /** Names whose spans decide the range exactly. */
  sure: Set<string>;
  /** With `withSpans`: the matching spans of each candidate with spans in the range. */
  spans: Map<string, TimeSpan[]>;
}

/** Hits decided by the spans: exact, and indexed past the range end (see selectByTime). */
const decides = (r: Row, qe: number) => Number(r.exact) === 1 && (r.until == null || Number(r.until) > qe);

/**
 * Objects with a span overlapping [qs, qe), by a scan of the spans then a fetch by name (the generic
 * path, and SQLite when the spans themselves are wanted). `decided` tells whether every span decides.
 */
async function hitsByScan(
  q: Q,
  cid: number,
  qs: number,
  qe: number,
  noBodies: boolean,
  spans: Map<string, TimeSpan[]> | undefined,
): Promise<{ hits: Row[]; decided: Map<string, boolean> }> {
  const decided = new Map<string, boolean>();
  const cols = spans ? 'name, lo, hi, flags, rid, comp, busy, exact, "until"' : 'name, exact, "until"';
  for (const r of await q.all(overlapping(cols, MATCHING), { cid, qs, qe, qsl: qs - LONG_SPAN_MS })) {
    const name = String(r.name);
    const d = decides(r, qe);
    const was = decided.get(name);
    if (was === undefined || (was && !d)) decided.set(name, d);
    if (spans) {
      const list = spans.get(name);
      if (list) list.push(toSpan(r));
      else spans.set(name, [toSpan(r)]);
    }
  }
  const names = [...decided.keys()].sort();
  if (!noBodies) return { hits: await byName(q, OBJECT_COLUMNS, cid, names), decided };
  const exact: string[] = [];
  const inexact: string[] = [];
  for (const n of names) (decided.get(n) ? exact : inexact).push(n);
  const hits: Row[] = [];
  for (const r of await byName(q, HEAD_COLUMNS[q.dialect], cid, exact)) {
    // An object of unknown type is evaluated however its spans decide: it needs its body.
    if (r.component_type === null) inexact.push(String(r.name));
    else hits.push(r);
  }
  if (inexact.length === 0) return { hits, decided };
  for (const r of await byName(q, OBJECT_COLUMNS, cid, inexact)) hits.push(r);
  return { hits: inNameOrder(hits), decided };
}

/**
 * Calendar objects of `component` (or of unknown type) that may match a time range: those with an
 * overlapping span, plus those the index cannot answer (not indexed, or indexed short of `qe`).
 * `sure` tells which rows the spans decide exactly. Each statement is index lookups only (joins are
 * CROSS JOINs: otherwise SQLite prefers to walk every object of the collection in name order).
 */
export async function selectByTime(
  q: Q,
  cid: number,
  component: string,
  qs: number,
  qe: number,
  noBodies = false,
  withSpans = false,
): Promise<TimeSelection> {
  // Hits decide an object only when its index is exact and reaches past the range: an index cut before
  // `qe` (completeUntil) proves a match, not which instances there are (RFC 4791 §9.6.5 expand needs all).
  const spans = new Map<string, TimeSpan[]>();
  const typed = (r: Row) => r.component_type === null || r.component_type === component;
  const sure = new Set<string>();
  let rows: Row[];
  if (q.dialect === 'sqlite' && !withSpans) {
    rows = await q.all(HITS_SQLITE, { cid, qs, qe, qsl: qs - LONG_SPAN_MS, heads: noBodies ? 1 : 0, comp: component });
    for (const r of rows) if (r.decided === 1 && r.component_type !== null) sure.add(r.name as string);
  } else {
    const { hits, decided } = await hitsByScan(q, cid, qs, qe, noBodies, withSpans ? spans : undefined);
    rows = [];
    for (const r of hits) {
      if (!typed(r)) continue;
      rows.push(r);
      if (decided.get(String(r.name)) && r.component_type !== null) sure.add(String(r.name));
    }
  }
  const unindexed = await q.all(
    `SELECT ${OBJECT_COLUMNS} FROM objects o WHERE o.collection = :cid AND o.time_indexed = 0`,
    { cid },
  );
  const cut = await q.all(
    `SELECT ${OBJECT_COLUMNS} FROM objects o
       WHERE o.collection = :cid AND o.time_complete_until IS NOT NULL AND o.time_complete_until <= :qe`,
    { cid, qe },
  );
  if (unindexed.length === 0 && cut.length === 0) return { rows: inNameOrder(rows), sure, spans };
  // Objects without a span in the range (a cut object may have some: it is a hit already).
  const hit = new Set(rows.map((r) => String(r.name)));
  for (const r of [...unindexed, ...cut]) if (typed(r) && !hit.has(String(r.name))) rows.push(r);
  return { rows: inNameOrder(rows), sure, spans };
}

/**
 * Busy spans overlapping [qs, qe) of objects whose index answers the range exactly, and the names of
 * VEVENT/VFREEBUSY objects (or of unknown type) it cannot answer.
 */
export async function busyByTime(q: Q, cid: number, qs: number, qe: number): Promise<BusyResult> {
  const spans = (
    await q.all(overlapping('lo, hi, flags, rid, comp, busy', `AND busy IS NOT NULL AND ${DECIDES}`), {
      cid,
      qs,
      qe,
      qsl: qs - LONG_SPAN_MS,
    })
  ).map(toSpan);
  const busyTypes = (r: Row) =>
    r.component_type === null || r.component_type === 'VEVENT' || r.component_type === 'VFREEBUSY';
  const unsure = new Set<string>();
  for (const r of await q.all(
    'SELECT name, component_type FROM objects o WHERE o.collection = :cid AND o.time_indexed = 0',
    { cid },
  ))
    if (busyTypes(r)) unsure.add(String(r.name));
  for (const r of await q.all(
    `SELECT name, component_type FROM objects o
       WHERE o.collection = :cid AND o.time_complete_until IS NOT NULL AND o.time_complete_until <= :qe`,
    { cid, qe },
  ))
    if (busyTypes(r)) unsure.add(String(r.name));
  for (const r of await q.all(overlapping('name', 'AND exact = 0'), { cid, qs, qe, qsl: qs - LONG_SPAN_MS }))
    unsure.add(String(r.name));
  return { spans, unsure: [...unsure].sort() };
}
