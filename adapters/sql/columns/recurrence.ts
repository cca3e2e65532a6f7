// Recurrence codecs (RFC 5545 §3.3.10 RRULE ⇄ columns). `rrule`: the rule text in one column.
// `decomposed`: frequency type / interval / weekday bitmask / until / count columns as legacy
// groupware stores them (Kronolith, eGroupware). Such a schema holds only a subset of RRULE; anything
// outside it is refused with a Refusal naming the part, never silently simplified.
import ICAL from 'ical.js';
import { formatNaive, type Naive, naiveToUtc, utcToNaive } from './local-time.ts';
import type { ColumnsMapping, DecomposedRecurrence } from './mapping.ts';
import { Refusal } from './refusal.ts';

type Row = Record<string, unknown>;
const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const DEFAULT_BITS: Record<string, number> = { SU: 1, MO: 2, TU: 4, WE: 8, TH: 16, FR: 32, SA: 64 };
const FREQS = ['daily', 'weekly', 'monthly', 'yearly'] as const;

/** What the rule is anchored on: DTSTART as stored (naive in the schema's zone) and whether it is a DATE. */
export interface Anchor {
  start: Naive;
  allDay: boolean;
  zone: string;
}

const same = (a: unknown, b: unknown) => a !== null && a !== undefined && String(a) === String(b);

/** Columns for an RRULE (undefined = no rule). Throws Refusal for rules the schema cannot hold. */
export function encodeRecurrence(m: ColumnsMapping, rrule: string | undefined, at: Anchor | undefined): Row {
  const rec = m.recurrence;
  if (rrule && !at) throw new Refusal('RRULE without DTSTART cannot be stored');
  if (!rec) {
    if (rrule) throw new Refusal('this calendar cannot store recurring events (the mapping has no recurrence columns)');
    return {};
  }
  if (rec.kind === 'rrule') return { [rec.column]: rrule ?? null };
  return encodeDecomposed(rec, rrule, at);
}

function encodeDecomposed(rec: DecomposedRecurrence, rrule: string | undefined, at: Anchor | undefined): Row {
  const out: Row = { [rec.type]: rec.types.none, [rec.interval]: null };
  if (rec.weekdays) out[rec.weekdays] = null;
  if (rec.until) out[rec.until] = null;
  if (rec.count) out[rec.count] = null;
  if (!rrule || !at) return out;
  const r = ICAL.Recur.fromString(rrule);
  const freq = String(r.freq).toLowerCase();
  const stored = (rec.types as Record<string, unknown>)[freq];
  if (stored === undefined)
    throw new Refusal(`FREQ=${r.freq} cannot be stored: the schema has no such recurrence type`);
  out[rec.type] = stored;
  out[rec.interval] = r.interval ?? 1;
  const parts = { ...(r.parts as Record<string, (string | number)[]>) };
  const byday = parts.BYDAY;
  delete parts.BYDAY;
  if (byday) {
    if (freq !== 'weekly' || !rec.weekdays) throw new Refusal(`BYDAY with FREQ=${r.freq} cannot be stored`);
    const bits: Record<string, number> = rec.weekdayBits ?? DEFAULT_BITS;
    let mask = 0;
    for (const d of byday) {
      if (!/^(SU|MO|TU|WE|TH|FR|SA)$/.test(String(d))) throw new Refusal(`BYDAY=${d} cannot be stored (no ordinals)`);
      mask |= bits[String(d)] ?? 0;
    }
    out[rec.weekdays] = mask;
    const wkst = r.wkst === undefined ? 'MO' : DAYS[Number(r.wkst) - 1];
    if (r.interval > 1 && byday.length > 1 && wkst !== 'MO') throw new Refusal(`WKST=${wkst} cannot be stored`);
  }
  // Parts that only restate DTSTART (as Apple and Google send for monthly/yearly rules) are implied.
  const implied: Record<string, number> = { BYMONTHDAY: at.start.d, BYMONTH: at.start.mo };
  for (const [name, values] of Object.entries(parts)) {
    const ok = name in implied && values.length === 1 && Number(values[0]) === implied[name];
    const fits = ok && (name === 'BYMONTH' ? freq === 'yearly' : freq === 'monthly' || freq === 'yearly');
    if (!fits) throw new Refusal(`${name}=${values.join(',')} cannot be stored by this schema`);
  }
  if (r.count) {
    if (!rec.count) throw new Refusal('COUNT cannot be stored by this schema');
    out[rec.count] = r.count;
  }
  if (r.until) {
    if (!rec.until) throw new Refusal('UNTIL cannot be stored by this schema');
    out[rec.until] = formatNaive(untilToNaive(r.until, at));
  }
  return out;
}

function untilToNaive(u: ICAL.Time, at: Anchor): Naive {
  if (u.isDate) return { y: u.year, mo: u.month, d: u.day, h: 0, mi: 0, s: 0 };
  const fields: Naive = { y: u.year, mo: u.month, d: u.day, h: u.hour, mi: u.minute, s: u.second };
  if (u.zone?.tzid !== 'UTC') return fields; // floating UNTIL with a floating DTSTART
  const ms = Date.UTC(u.year, u.month - 1, u.day, u.hour, u.minute, u.second);
  const local = utcToNaive(at.zone, ms);
  if (naiveToUtc(at.zone, local).utcMs !== ms) {
    throw new Refusal(`UNTIL=${u.toString()} falls in a repeated local hour the schema cannot tell apart`);
  }
  return local;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The RRULE text a row holds, or undefined. Unknown type values yield no rule. */
export function decodeRecurrence(
  m: ColumnsMapping,
  row: Row,
  at: Anchor,
  readUntil: (v: unknown) => Naive | undefined,
) {
  const rec = m.recurrence;
  if (!rec) return undefined;
  if (rec.kind === 'rrule') return row[rec.column] ? String(row[rec.column]) : undefined;
  const freq = FREQS.find((f) => same(row[rec.type], rec.types[f]));
  if (!freq) return undefined;
  const parts = [`FREQ=${freq.toUpperCase()}`];
  const interval = Number(row[rec.interval] ?? 1);
  if (interval > 1) parts.push(`INTERVAL=${interval}`);
  const until = rec.until ? readUntil(row[rec.until]) : undefined;
  if (until) {
    const date = `${until.y}${pad(until.mo)}${pad(until.d)}`;
    if (at.allDay) parts.push(`UNTIL=${date}`);
    else {
      const ms = naiveToUtc(at.zone, until).utcMs;
      const u = utcToNaive('UTC', ms);
      parts.push(`UNTIL=${u.y}${pad(u.mo)}${pad(u.d)}T${pad(u.h)}${pad(u.mi)}${pad(u.s)}Z`);
    }
  }
  const count = rec.count ? row[rec.count] : undefined;
  if (count !== null && count !== undefined && Number(count) > 0) parts.push(`COUNT=${Number(count)}`);
  const mask = rec.weekdays ? Number(row[rec.weekdays] ?? 0) : 0;
  if (freq === 'weekly' && mask) {
    const bits: Record<string, number> = rec.weekdayBits ?? DEFAULT_BITS;
    const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].filter((d) => (mask & (bits[d] ?? 0)) !== 0);
    parts.push(`BYDAY=${days.join(',')}`);
  }
  return parts.join(';');
}
