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

/** Rows of the named objects. SQLite: one lookup per name in list order (it would otherwise walk the collection). */
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
    out.push(
      ...(await q.all(`SELECT ${cols} FROM objects o WHERE o.collection = ? AND o.name IN ${list}`, [cid, ...params])),
    );
  }
  return out;
}

/**
 * Calendar objects of `component` (or of unknown type) that may match a time range: those with an
 * overlapping span, plus those the index cannot answer (not indexed, or indexed short of `qe`).
 * `sure` tells which rows the spans decide exactly. Separate statements, each an index lookup (in
 * one compound statement SQLite prefers to walk every object of the collection in name order).
 */
export async function selectByTime(
  q: Q,
  cid: number,
  component: string,
  qs: number,
  qe: number,
  noBodies = false,
  withSpans = false,
): Promise<{ rows: Row[]; sure: Set<string>; spans: Record<string, TimeSpan[]> }> {
  // One range scan gives the candidates, whether their index is exact, and (when wanted) their spans.
  const spans: Record<string, TimeSpan[]> = {};
  const exact = new Map<string, boolean>();
  // Hits decide an object only when its index is exact and reaches past the range: an index cut before
  // `qe` (completeUntil) proves a match, not which instances there are (RFC 4791 §9.6.5 expand needs all).
  const decides = (r: Row) => Number(r.exact) === 1 && (r.until == null || Number(r.until) > qe);
  if (withSpans) {
    const cols = 'name, lo, hi, flags, rid, comp, busy, exact, "until"';
    for (const r of await q.all(overlapping(cols, MATCHING), { cid, qs, qe, qsl: qs - LONG_SPAN_MS })) {
      const name = String(r.name);
      exact.set(name, (exact.get(name) ?? true) && decides(r));
      spans[name] = spans[name] ?? [];
      spans[name].push(toSpan(r));
    }
  } else {
    const cols = 'name, exact, "until"';
    for (const r of await q.all(overlapping(cols, MATCHING), { cid, qs, qe, qsl: qs - LONG_SPAN_MS })) {
      const name = String(r.name);
      exact.set(name, (exact.get(name) ?? true) && decides(r));
    }
  }
  const exactNames = [...exact].filter(([, e]) => e).map(([n]) => n);
  const inexactNames = [...exact].filter(([, e]) => !e).map(([n]) => n);
  const hits = [
    ...(await byName(q, noBodies ? HEAD_COLUMNS[q.dialect] : OBJECT_COLUMNS, cid, exactNames)),
    ...(await byName(q, OBJECT_COLUMNS, cid, inexactNames)),
  ];
  const unindexed = await q.all(
    `SELECT ${OBJECT_COLUMNS} FROM objects o WHERE o.collection = :cid AND o.time_indexed = 0`,
    { cid },
  );
  const cut = await q.all(
    `SELECT ${OBJECT_COLUMNS} FROM objects o
       WHERE o.collection = :cid AND o.time_complete_until IS NOT NULL AND o.time_complete_until <= :qe`,
    { cid, qe },
  );
  const typed = (r: Row) => r.component_type === null || r.component_type === component;
  const rows = [...hits.filter(typed), ...[...unindexed, ...cut].filter((r) => typed(r) && !exact.has(String(r.name)))];
  rows.sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
  const sure = new Set<string>();
  for (const r of rows) if (exact.get(String(r.name)) && r.component_type !== null) sure.add(String(r.name));
  return { rows, sure, spans };
}

/** The matching spans of the named objects overlapping [qs, qe), by object name. */
export async function spansOf(
  q: Q,
  cid: number,
  names: string[],
  qs: number,
  qe: number,
): Promise<Record<string, TimeSpan[]>> {
  const out: Record<string, TimeSpan[]> = {};
  if (names.length === 0) return out;
  const wanted = new Set(names);
  const rows = await q.all(overlapping('name, lo, hi, flags, rid, comp, busy', MATCHING), {
    cid,
    qs,
    qe,
    qsl: qs - LONG_SPAN_MS,
  });
  for (const r of rows) {
    const name = String(r.name);
    if (!wanted.has(name)) continue;
    out[name] = out[name] ?? [];
    out[name].push(toSpan(r));
  }
  return out;
}

/**
 * Busy spans overlapping [qs, qe) of objects whose index answers the range exactly, and the names of
 * VEVENT/VFREEBUSY objects (or of unknown type) it cannot answer.
 */
export async function busyByTime(q: Q, cid: number, qs: number, qe: number): Promise<BusyResult> {
  const spans = (
    await q.all(
      overlapping(
        'name, lo, hi, flags, rid, comp, busy',
        'AND busy IS NOT NULL AND exact = 1 AND ("until" IS NULL OR "until" > :qe)',
      ),
      { cid, qs, qe, qsl: qs - LONG_SPAN_MS },
    )
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
