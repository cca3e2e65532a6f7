// The calendar time index of the native SQLite store (migration 2): the instance spans the CalDAV core
// computes at write time (PutInput.timeIndex) stored one row each, so calendar-query time ranges and
// free-busy are answered by an index range scan instead of parsing every object.
import type { SQLOutputValue } from 'node:sqlite';
import type { BusyResult, PutInput, TimeSpan } from '../../src/backend/types.ts';
import type { SqlDb } from './db.ts';

/** ±Infinity in integer columns (the JavaScript Date range). */
const NEG = -8_640_000_000_000_000;
const POS = 8_640_000_000_000_000;
/** Spans longer than this are "long" and scanned apart from the short ones. */
export const LONG_SPAN_MS = 31 * 86_400_000;

const clamp = (x: number): number => (x === Number.NEGATIVE_INFINITY ? NEG : x === Number.POSITIVE_INFINITY ? POS : x);
const unclamp = (x: number): number =>
  x <= NEG + 1 ? Number.NEGATIVE_INFINITY : x >= POS - 1 ? Number.POSITIVE_INFINITY : x;

/** Replaces the spans of one object (its row holds the index flags). Call inside the write transaction. */
export function storeSpans(sql: SqlDb, cid: number, name: string, input: PutInput, replacing: boolean): void {
  if (replacing) sql.stmt('DELETE FROM object_spans WHERE collection = ? AND name = ?').run(cid, name);
  const ti = input.timeIndex;
  if (!ti) return;
  const insert = sql.stmt(
    'INSERT INTO object_spans (collection, name, lo, hi, long, flags, rid, comp, busy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const s of ti.spans) {
    const lo = clamp(s.start) - (s.inclStart ? 1 : 0);
    const hi = clamp(s.end) + (s.inclEnd ? 1 : 0);
    const flags = (s.inclStart ? 1 : 0) | (s.inclEnd ? 2 : 0) | (s.busyOnly ? 4 : 0);
    insert.run(cid, name, lo, hi, hi - lo > LONG_SPAN_MS ? 1 : 0, flags, s.rid ?? null, s.comp ?? null, s.busy ?? null);
  }
}

function toSpan(row: Record<string, SQLOutputValue>): TimeSpan {
  const flags = Number(row.flags);
  const s: TimeSpan = {
    start: unclamp(Number(row.lo) + (flags & 1 ? 1 : 0)),
    end: unclamp(Number(row.hi) - (flags & 2 ? 1 : 0)),
  };
  if (flags & 1) s.inclStart = true;
  if (flags & 2) s.inclEnd = true;
  if (flags & 4) s.busyOnly = true;
  if (row.rid !== null) s.rid = Number(row.rid);
  if (row.comp !== null) s.comp = Number(row.comp);
  if (row.busy !== null) s.busy = String(row.busy);
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
  return `SELECT ${columns} FROM object_spans WHERE collection = :cid AND long = 0 AND lo > :qs - ${LONG_SPAN_MS} AND lo < :qe AND hi > :qs ${extra}
    UNION ALL
    SELECT ${columns} FROM object_spans WHERE collection = :cid AND long = 1 AND lo < :qe AND hi > :qs ${extra}`;
}

const MATCHING = 'AND (flags & 4) = 0';
const OBJECT_COLUMNS = 'o.name, o.etag, o.body, o.content_type, o.last_modified, o.dead_props';

/**
 * Calendar objects of `component` (or of unknown type) that may match a time range: those with an
 * overlapping span, plus those the index cannot answer (not indexed, or indexed short of `qe`).
 * `sure` tells which rows the spans decide exactly.
 */
export function selectByTime(
  sql: SqlDb,
  cid: number,
  component: string,
  qs: number,
  qe: number,
): { rows: Record<string, SQLOutputValue>[]; sure: Set<string> } {
  const rows = sql
    .stmt(
      `WITH hits(name) AS (${overlapping('name', MATCHING)})
       SELECT ${OBJECT_COLUMNS}, o.time_indexed, o.time_exact, o.time_complete_until, o.component_type,
              (o.name IN (SELECT name FROM hits)) AS hit
       FROM objects o
       WHERE o.collection = :cid AND (o.component_type = :comp OR o.component_type IS NULL)
         AND (o.name IN (SELECT name FROM hits) OR o.time_indexed = 0
              OR (o.time_complete_until IS NOT NULL AND o.time_complete_until <= :qe))
       ORDER BY o.name`,
    )
    .all({ cid, comp: component, qs, qe });
  const sure = new Set<string>();
  for (const r of rows) {
    if (Number(r.hit) === 1 && Number(r.time_exact) === 1 && r.component_type !== null) sure.add(String(r.name));
  }
  return { rows, sure };
}

/** The matching spans of the named objects overlapping [qs, qe), by object name. */
export function spansOf(sql: SqlDb, cid: number, names: string[], qs: number, qe: number): Record<string, TimeSpan[]> {
  const out: Record<string, TimeSpan[]> = {};
  if (names.length === 0) return out;
  const rows = sql
    .stmt(
      `SELECT name, lo, hi, flags, rid, comp, busy FROM object_spans
       WHERE collection = :cid AND name IN (SELECT value FROM json_each(:names)) AND lo < :qe AND hi > :qs AND (flags & 4) = 0
       ORDER BY name, lo`,
    )
    .all({ cid, names: JSON.stringify(names), qs, qe });
  for (const r of rows) {
    const name = String(r.name);
    out[name] = out[name] ?? [];
    out[name].push(toSpan(r));
  }
  return out;
}

/**
 * Busy spans overlapping [qs, qe) of objects whose index answers the range exactly, and the names of
 * VEVENT/VFREEBUSY objects (or of unknown type) it cannot answer.
 */
export function busyByTime(sql: SqlDb, cid: number, qs: number, qe: number): BusyResult {
  const exactOnly =
    'AND busy IS NOT NULL AND name IN (SELECT name FROM objects WHERE collection = :cid AND time_exact = 1 AND (time_complete_until IS NULL OR time_complete_until > :qe))';
  const spans = sql
    .stmt(`${overlapping('name, lo, hi, flags, rid, comp, busy', exactOnly)}`)
    .all({ cid, qs, qe })
    .map(toSpan);
  const unsure = sql
    .stmt(
      `SELECT name FROM objects o
       WHERE o.collection = :cid AND (o.component_type IN ('VEVENT', 'VFREEBUSY') OR o.component_type IS NULL)
         AND (o.time_indexed = 0 OR (o.time_complete_until IS NOT NULL AND o.time_complete_until <= :qe)
              OR (o.time_exact = 0 AND o.name IN (SELECT name FROM (${overlapping('name', '')}))))
       ORDER BY o.name`,
    )
    .all({ cid, qs, qe })
    .map((r) => String(r.name));
  return { spans, unsure };
}
