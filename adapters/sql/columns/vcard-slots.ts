// vCard 4.0 (RFC 6350) properties ⇄ the columns of a contacts mapping. Each mapped property has a slot that
// decodes a property into column values and encodes column values back into the plain property the rows
// stand for. A client property whose plain form differs from what it sent (extra parameters, a group, ORG
// units, N list items …) is kept whole in the extras and served instead of the plain form while the
// columns still hold the same values (see from-vcard.ts / to-vcard.ts).
import ICAL from 'ical.js';
import { parseStored } from './local-time.ts';
import type { CardMapping, ChildTable } from './mapping-card.ts';

type Row = Record<string, unknown>;
/** A jCard property (RFC 7095): name, parameters, value type, value(s). */
export type Jprop = [string, Record<string, string | string[]>, string, ...unknown[]];

const V4 = ICAL.design.getDesignSet('vcard');
const V3 = ICAL.design.getDesignSet('vcard3');
// ical.js escapes commas in vCard 4 URI values as if they were text; a URI (data:…;base64,…) has no
// escaping (RFC 6350 §4.2), so lines are written with URIs as they are.
const V4_OUT = { ...V4, value: { ...V4.value, uri: {} } } as typeof V4;

/** One content line of a 4.0 card, unfolded. */
export const lineOf = (p: Jprop): string => ICAL.stringify.property(p as never, V4_OUT, true);
export const parseLine = (line: string): Jprop => ICAL.parse.property(line, V4) as Jprop;

const typeOf = (name: string) => V4.property[name]?.defaultType ?? 'unknown';
const prop = (name: string, value: unknown, params: Jprop[1] = {}): Jprop => [name, params, typeOf(name), value];
const text = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
const joined = (v: unknown) => text(Array.isArray(v) ? v.join(',') : v);
const listOf = (v: string | null) => (v?.includes(',') ? v.split(',') : (v ?? ''));

export function paramList(p: Jprop, name: string): string[] {
  const v = p[1][name];
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(','));
}

const MIME: Record<string, string> = { photo: 'image', logo: 'image', sound: 'audio', key: 'application' };

/** A property of a 3.0 card (RFC 2426) in its 4.0 form: TYPE=pref → PREF=1, inline binary → data: URI. */
export function to4(p: Jprop): Jprop {
  const [name, params0, type, ...values] = p;
  const params = { ...params0 };
  const types = paramList(p, 'type');
  // TYPE values are case-insensitive (RFC 6350 §5.6); stored lower case.
  const kept = types.map((t) => t.toLowerCase()).filter((t) => t !== 'pref' && !(name === 'email' && t === 'internet'));
  if (types.length) {
    if (kept.length) params.type = kept;
    else delete params.type;
    if (types.some((t) => t.toLowerCase() === 'pref') && !params.pref) params.pref = '1';
  }
  if (params.encoding && MIME[name]) {
    const t = paramList([name, params, type], 'type')[0] ?? 'octet-stream';
    delete params.encoding;
    delete params.type;
    const mime = t.includes('/') ? t.toLowerCase() : `${MIME[name]}/${t.toLowerCase()}`;
    return [name, params, 'uri', `data:${mime};base64,${String(values[0])}`];
  }
  // A 3.0 default value type becomes the 4.0 default (e.g. BDAY date → date-and-or-time).
  const t = type === (V3.property[name]?.defaultType ?? 'unknown') ? typeOf(name) : type;
  return parseLine(lineOf([name, params, t, ...values]));
}

export interface Slot {
  /** Property name (lower case). */
  name: string;
  decode(p: Jprop): Row;
  /** The plain property for these column values; null when the columns hold nothing. */
  encode(row: Row): Jprop | null;
}

function nSlot(n: NonNullable<CardMapping['n']>): Slot {
  const cols = [n.family, n.given, n.additional, n.prefix, n.suffix];
  return {
    name: 'n',
    decode: (p) => {
      const parts = (Array.isArray(p[3]) ? p[3] : [p[3]]) as unknown[];
      return Object.fromEntries(cols.flatMap((c, i) => (c ? [[c, joined(parts[i])]] : [])));
    },
    encode: (row) => {
      const parts = cols.map((c) => (c ? text(row[c]) : null));
      return parts.every((x) => x === null) ? null : prop('n', parts.map(listOf));
    },
  };
}

function fieldSlot(name: string, column: string): Slot {
  const lower = name.toLowerCase();
  if (lower === 'bday')
    return {
      name: lower,
      decode: (p) => ({ [column]: /^\d{4}-\d{2}-\d{2}$/.test(String(p[3])) ? String(p[3]) : null }),
      encode: (row) => {
        const d = parseStored(row[column]);
        const pad = (x: number, w = 2) => String(x).padStart(w, '0');
        return d ? prop('bday', `${pad(d.y, 4)}-${pad(d.mo)}-${pad(d.d)}`) : null;
      },
    };
  return {
    name: lower,
    decode: (p) => ({ [column]: lower === 'org' ? text(Array.isArray(p[3]) ? p[3][0] : p[3]) : joined(p[3]) }),
    encode: (row) => {
      const v = text(row[column]);
      return v === null ? null : prop(lower, lower === 'nickname' ? listOf(v) : v);
    },
  };
}

function adrSlot(a: NonNullable<CardMapping['adr']>): Slot {
  const cols = [a.pobox, a.extended, a.street, a.locality, a.region, a.postcode, a.country];
  return {
    name: 'adr',
    decode: (p) => {
      const parts = (Array.isArray(p[3]) ? p[3] : [p[3]]) as unknown[];
      return Object.fromEntries(cols.flatMap((c, i) => (c ? [[c, joined(parts[i])]] : [])));
    },
    encode: (row) => {
      const parts = cols.map((c) => (c ? text(row[c]) : null));
      if (parts.every((x) => x === null)) return null;
      return prop('adr', parts.map(listOf), a.type ? { type: a.type } : {});
    },
  };
}

/** A child-table slot (EMAIL, TEL): rows without the parent column. */
export function childSlot(name: 'email' | 'tel', c: ChildTable): Slot {
  return {
    name,
    decode: (p) => {
      const row: Row = { [c.value]: String(p[3] ?? '') };
      const types = paramList(p, 'type').map((t) => t.toLowerCase());
      if (c.type) {
        const map = c.type.map;
        const t = types.find((x) => x in map);
        row[c.type.column] = t === undefined ? null : map[t];
      }
      if (c.pref) row[c.pref] = p[1].pref !== undefined || types.includes('pref') ? 1 : 0;
      return row;
    },
    encode: (row) => {
      const params: Jprop[1] = {};
      const ct = c.type;
      const t = ct && Object.keys(ct.map).find((k) => String(ct.map[k]) === String(row[ct.column]));
      if (t) params.type = t;
      if (c.pref && truthy(row[c.pref])) params.pref = '1';
      return prop(name, String(row[c.value] ?? ''), params);
    },
  };
}

export const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't' || v === 'true' || v === 1n;

/** The single-valued slots of a mapping (FN, N, the text fields, ADR), by property name. */
export function cardSlots(card: CardMapping): Map<string, Slot> {
  const out = new Map<string, Slot>();
  if (card.fn) out.set('fn', fieldSlot('FN', card.fn));
  if (card.n) out.set('n', nSlot(card.n));
  for (const [name, col] of Object.entries(card.fields)) if (col) out.set(name.toLowerCase(), fieldSlot(name, col));
  if (card.adr) out.set('adr', adrSlot(card.adr));
  return out;
}

/** Every column the single-valued slots write (cleared when the property is absent). */
export function slotColumns(card: CardMapping): string[] {
  return [
    card.fn,
    ...Object.values(card.n ?? {}),
    ...Object.values(card.fields),
    ...Object.entries(card.adr ?? {})
      .filter(([k]) => k !== 'type')
      .map(([, v]) => v),
  ].filter((c): c is string => !!c);
}
