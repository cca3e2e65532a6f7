// vCard content lines (RFC 6350 §3.3, RFC 2426 §4): parsing one card into lines and writing them back.
// Each line's parameters and value type are parsed with ical.js; a line that needs no change keeps its
// physical text byte for byte, a changed one is rewritten with its raw value, so escaping and unknown
// properties survive. Also the small line helpers the conversions share.
import ICAL from 'ical.js';
import { contentLine, fold } from '../lib/vcard-write.ts';
import { logicalLines, valueColon } from './address-data.ts';

export type VcardVersion = '3.0' | '4.0';

/** One logical content line. `physical` is the original text, dropped once the line is changed. */
export interface CardLine {
  group?: string;
  /** Upper-case property name. */
  name: string;
  /** Parameters in order, upper-case names, decoded values. */
  params: [string, string[]][];
  /** The value as written (escaped as its type requires). */
  value: string;
  physical?: string[];
}

const DESIGN = {
  '3.0': ICAL.design.getDesignSet('vcard3'),
  '4.0': ICAL.design.getDesignSet('vcard'),
};

/** Parses the content lines of one vCard (or VLIST) of `version`; BEGIN/END are lines too. */
export function parseLines(text: string, version: VcardVersion = '3.0'): CardLine[] {
  const out: CardLine[] = [];
  for (const physical of logicalLines(text.replace(/^\uFEFF/, ''))) {
    const unfolded = physical.map((l, i) => (i === 0 ? l : l.slice(1))).join('');
    const colon = valueColon(unfolded);
    const head = colon < 0 ? unfolded : unfolded.slice(0, colon);
    const value = colon < 0 ? '' : unfolded.slice(colon + 1);
    const nameEnd = head.search(/;|$/);
    const qualified = head.slice(0, nameEnd);
    const dot = qualified.lastIndexOf('.');
    const group = dot < 0 ? undefined : qualified.slice(0, dot);
    const name = qualified.slice(dot + 1).toUpperCase();
    const params: [string, string[]][] = [];
    if (nameEnd < head.length) {
      try {
        const parsed = ICAL.parse.property(`X-P${head.slice(nameEnd)}:x`, DESIGN[version]) as [
          string,
          Record<string, string | string[]>,
        ];
        for (const [k, v] of Object.entries(parsed[1])) {
          params.push([k.toUpperCase(), (Array.isArray(v) ? v : [v]).map(String)]);
        }
        // ical.js folds VALUE= into the value type; keep it as the parameter it was.
        const valueParam = /;VALUE=([^;:]+)/i.exec(head.slice(nameEnd));
        if (valueParam) params.push(['VALUE', [valueParam[1]]]);
      } catch {
        // Unparsable parameters: keep the line as it is (it is never rewritten without them).
        out.push({ ...(group ? { group } : {}), name, params: [['X-UNPARSED', []]], value, physical });
        continue;
      }
    }
    out.push({ ...(group ? { group } : {}), name, params, value, physical });
  }
  return out;
}

/** Writes lines back: unchanged ones as they were, changed ones folded afresh. */
export function writeLines(lines: CardLine[]): string {
  const out: string[] = [];
  for (const l of lines) {
    if (l.physical) out.push(...l.physical);
    else {
      const params = Object.fromEntries(l.params.map(([k, v]) => [k, v]));
      out.push(fold(contentLine(l.name, params, l.value, l.group)));
    }
  }
  return `${out.join('\r\n')}\r\n`;
}

export function param(l: CardLine, name: string): string[] | undefined {
  return l.params.find(([k]) => k === name)?.[1];
}

export function setParam(l: CardLine, name: string, values: string[] | undefined): void {
  const i = l.params.findIndex(([k]) => k === name);
  if (values === undefined || values.length === 0) {
    if (i >= 0) l.params.splice(i, 1);
  } else if (i >= 0) l.params[i] = [name, values];
  else l.params.push([name, values]);
  delete l.physical;
}

export function change(l: CardLine, patch: Partial<Pick<CardLine, 'name' | 'value'>>): void {
  Object.assign(l, patch);
  delete l.physical;
}

/** Splits a structured value on unescaped `;`. */
export function components(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      cur += ch + value[i + 1];
      i++;
    } else if (ch === ';') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Unescapes a TEXT value (RFC 6350 §3.4). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

export function escapeTextValue(value: string): string {
  return value.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

export function versionOf(lines: CardLine[]): VcardVersion | undefined {
  const v = lines.find((l) => l.name === 'VERSION')?.value.trim();
  return v === '3.0' || v === '4.0' ? v : undefined;
}
