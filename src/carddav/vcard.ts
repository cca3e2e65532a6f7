// A flat view of one vCard (RFC 6350 §3.3 content lines; RFC 2426 for 3.0) for validation and for
// addressbook-query filters (RFC 6352 §10.5). ical.js parses 3.0 and 4.0 into jCard (RFC 7095);
// this keeps what the filters look at: name, group, parameters and the value as text.
import ICAL from 'ical.js';

export interface VcardProperty {
  /** Upper-case property name without its group, e.g. `EMAIL` for `item1.EMAIL`. */
  name: string;
  /** Upper-case group (`ITEM1` for `item1.EMAIL`), if any. */
  group: string | undefined;
  /** Parameters by upper-case name; each value unescaped, as ical.js splits them (TYPE lists are split). */
  params: Map<string, string[]>;
  /** Structured components (N, ADR, ORG) or list values (CATEGORIES), unescaped; one entry for plain values. */
  values: string[];
  /** The whole value as text: components joined by `;`, list values by `,`. */
  text: string;
}

export interface ParsedVcard {
  version: string | undefined;
  uid: string | undefined;
  props: VcardProperty[];
}

/** The text is not exactly one well-formed vCard. */
export class VcardParseError extends Error {}

/** Unfolds content lines (RFC 6350 §3.2) and drops empty ones. */
export function contentLines(text: string): string[] {
  return text
    .replace(/\r\n|\r/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

type JCardProp = [string, Record<string, string | string[]>, string, ...unknown[]];

function valueText(v: unknown): { parts: string[]; joined: string } {
  if (Array.isArray(v)) {
    // Structured value: components may themselves be lists (ADR street lines).
    const parts = v.map((c) => (Array.isArray(c) ? c.map(String).join(',') : String(c)));
    return { parts, joined: parts.join(';') };
  }
  const s = String(v);
  return { parts: [s], joined: s };
}

function toProperty(p: JCardProp): VcardProperty {
  const [name, rawParams, , ...rawValues] = p;
  const params = new Map<string, string[]>();
  let group: string | undefined;
  for (const [k, v] of Object.entries(rawParams)) {
    if (k === 'group') group = String(v).toUpperCase();
    else params.set(k.toUpperCase(), Array.isArray(v) ? v.map(String) : [String(v)]);
  }
  let values: string[];
  let text: string;
  if (rawValues.length === 1) {
    const t = valueText(rawValues[0]);
    values = t.parts;
    text = t.joined;
  } else {
    values = rawValues.map((v) => valueText(v).joined);
    text = values.join(',');
  }
  return { name: name.toUpperCase(), group, params, values, text };
}

/**
 * Parses text that must hold exactly one vCard (RFC 6352 §5.1: one vCard per address object
 * resource). Throws VcardParseError with a human-readable reason otherwise.
 */
export function parseVcard(text: string): ParsedVcard {
  const lines = contentLines(text.replace(/^\uFEFF/, ''));
  if (lines.length < 2 || !/^BEGIN:VCARD\s*$/i.test(lines[0]) || !/^END:VCARD\s*$/i.test(lines[lines.length - 1])) {
    throw new VcardParseError('not a vCard: expected BEGIN:VCARD … END:VCARD');
  }
  if (lines.filter((l) => /^BEGIN:/i.test(l)).length !== 1 || lines.filter((l) => /^END:/i.test(l)).length !== 1) {
    throw new VcardParseError('an address object resource holds exactly one vCard and no nested components');
  }
  let jcard: unknown;
  try {
    jcard = ICAL.parse(lines.join('\r\n'));
  } catch (e) {
    // ical.js throws ParserError for bad lines and plain TypeErrors for some malformed input.
    throw new VcardParseError(`invalid vCard: ${(e as Error).message}`);
  }
  if (!Array.isArray(jcard) || jcard[0] !== 'vcard' || !Array.isArray(jcard[1])) {
    throw new VcardParseError('invalid vCard');
  }
  const props = (jcard[1] as JCardProp[]).map(toProperty);
  const first = (name: string) => props.find((p) => p.name === name)?.text;
  return { version: first('VERSION'), uid: first('UID'), props };
}

/** Property name matching for filters and address-data: `EMAIL` matches any group, `item1.EMAIL` only that group. */
export function propertyNameMatches(wanted: string, prop: { name: string; group: string | undefined }): boolean {
  const w = wanted.toUpperCase();
  const dot = w.lastIndexOf('.');
  if (dot < 0) return prop.name === w;
  return prop.name === w.slice(dot + 1) && prop.group === w.slice(0, dot);
}
