// Parsing VCALENDAR text without re-parsing its VTIMEZONEs (RFC 5545 §3.6.5). The objects of one
// calendar carry the same few VTIMEZONE blocks, byte for byte, and those are most of each object's
// lines. Each distinct block is parsed once (to jCal) and kept; a parse cuts the known blocks out of
// the text, leaves an empty placeholder component where each was, parses the rest and puts a copy of
// the block's jCal in each placeholder's place. The result equals ICAL.parse of the whole text: a
// block is only cut out when it parses on its own as one balanced component at the top level.
import ICAL from 'ical.js';

type Jcal = unknown[];

export interface ZoneBlock {
  /** The block's component (['vtimezone', props, comps]); never handed out, only copies. */
  readonly jcal: Jcal;
  /** Every property value of the block decoded without error (ical.ts decodeAllValues). */
  decoded: boolean;
  /** The zone, hydrated once from a private copy (ical.ts shares it between parses). */
  timezone?: unknown;
}

/** Distinct blocks kept at most (the oldest go first). */
export const ZONE_BLOCKS_MAX = 512;
/** Longer blocks (characters) are parsed with their object every time: bounds the cache's memory. */
export const ZONE_BLOCK_MAX_LENGTH = 32_768;
const blocks = new Map<string, ZoneBlock | null>();
/** Copies handed out, to the block they came from. */
const copies = new WeakMap<Jcal, ZoneBlock>();

const BEGIN = '\r\nBEGIN:VTIMEZONE\r\n';
const END = '\r\nEND:VTIMEZONE\r\n';
const SLOT = 'x-davgate-zone-slot';
const SLOT_TEXT = '\r\nBEGIN:X-DAVGATE-ZONE-SLOT\r\nEND:X-DAVGATE-ZONE-SLOT\r\n';
const SENTINEL = 'x-davgate-zone-sentinel';

/**
 * The block's jCal, or null when it does not parse on its own as exactly one component closed by its
 * own last line (then its lines would not nest the same way inside the object, and it is not cut out).
 */
function parseBlock(block: string): ZoneBlock | null {
  let out: unknown;
  try {
    // The sentinel after the block catches an END that closes more than the block's own BEGIN.
    out = ICAL.parse(`BEGIN:VCALENDAR\r\n${block}\r\n${SENTINEL.toUpperCase()}:1\r\nEND:VCALENDAR\r\n`);
  } catch {
    return null;
  }
  if (!Array.isArray(out) || out[0] !== 'vcalendar') return null;
  const [, props, comps] = out as [string, Jcal[], Jcal[]];
  if (props.length !== 1 || props[0][0] !== SENTINEL || comps.length !== 1 || comps[0][0] !== 'vtimezone') {
    return null;
  }
  return { jcal: comps[0], decoded: false };
}

function blockOf(text: string): ZoneBlock | null {
  let b = blocks.get(text);
  if (b === undefined) {
    b = parseBlock(text);
    if (blocks.size >= ZONE_BLOCKS_MAX) blocks.delete(blocks.keys().next().value as string);
    blocks.set(text, b);
  }
  return b;
}

export function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (v !== null && typeof v === 'object') {
    // Same prototype: ical.js keeps recur values in null-prototype objects.
    const o = Object.create(Object.getPrototypeOf(v)) as Record<string, unknown>;
    for (const k of Object.keys(v)) o[k] = copy((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** Placeholder components anywhere below `comp`'s subcomponents (none are expected). */
function nestedSlots(comp: Jcal): number {
  let n = 0;
  for (const c of (comp[2] ?? []) as Jcal[]) n += (c[0] === SLOT ? 1 : 0) + nestedSlots(c);
  return n;
}

/** ICAL.parse(text), with known VTIMEZONE blocks taken from the cache. Throws what ICAL.parse throws. */
export function parseWithZones(text: string): unknown {
  const found: { at: number; end: number; block: ZoneBlock }[] = [];
  let from = 0;
  for (;;) {
    const b = text.indexOf(BEGIN, from);
    if (b < 0) break;
    const e = text.indexOf(END, b + 2);
    if (e < 0) break;
    const end = e + END.length;
    // A folded END line (the next line starts with a space or tab) ends elsewhere: parse whole.
    const next = text[end];
    const inner = text.slice(b + 2, e + END.length - 2);
    const cut = next !== ' ' && next !== '\t' && inner.length <= ZONE_BLOCK_MAX_LENGTH && !inner.includes(BEGIN);
    const block = cut ? blockOf(inner) : null;
    if (!block) return ICAL.parse(text);
    found.push({ at: b, end: end - 2, block });
    from = end - 2;
  }
  if (found.length === 0) return ICAL.parse(text);
  let rest = '';
  let last = 0;
  for (const f of found) {
    rest += text.slice(last, f.at) + SLOT_TEXT.slice(0, -2);
    last = f.end;
  }
  rest += text.slice(last);
  let jcal: unknown;
  try {
    jcal = ICAL.parse(rest);
  } catch {
    return ICAL.parse(text); // the same error as the whole text gives
  }
  // The placeholders must all be top-level components of a single VCALENDAR, as the blocks were.
  const root = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? (jcal.length === 1 ? jcal[0] : undefined) : jcal) as
    | Jcal
    | undefined;
  const top = (root?.[2] ?? []) as Jcal[];
  let k = 0;
  for (let i = 0; i < top.length; i++) {
    if (top[i][0] !== SLOT) continue;
    if (k >= found.length) return ICAL.parse(text);
    const c = copy(found[k++].block.jcal) as Jcal;
    copies.set(c, found[k - 1].block);
    top[i] = c;
  }
  if (k !== found.length || (root && nestedSlots(root) > 0)) return ICAL.parse(text);
  return jcal;
}

/** The cached block a component's jCal was copied from by parseWithZones, if it was. */
export function zoneBlockOf(jcal: unknown): ZoneBlock | undefined {
  return copies.get(jcal as Jcal);
}
