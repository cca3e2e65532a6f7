// A single-pass parser for the small, plain XML bodies DAV clients send (PROPFIND, REPORT,
// PROPPATCH): elements, attributes, character data, CDATA sections, comments and the XML
// declaration. It accepts a document only when it is sure the document is well-formed (XML 1.0
// §2.1) and answers exactly what parse.ts's full path answers for it; anything else (a DTD, a
// processing instruction, CR characters, non-ASCII names, an unknown entity, a mismatched tag, …)
// makes it return undefined, and parse.ts takes the full path, which also words the 400 answer.
// A multiget of 100 hrefs parses in ~1/10 of the full path's time (docs/performance.md).
import { type ClarkName, clark } from './names.ts';
import type { XmlElement, XmlNode } from './tree.ts';

const MAX_DEPTH = 64;
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME = /[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?/y;
const SPACE = /[ \t\n]*/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** A reference the full path decodes: numeric (in range, not NUL) or one of the five predefined entities. */
const REFERENCE = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;

/** CR, NUL, other C0 controls except tab and LF, or U+FEFF anywhere. */
function hasControl(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if ((c < 0x20 && c !== 0x9 && c !== 0xa) || c === 0xfeff) return true;
  }
  return false;
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

function decode(s: string): string {
  if (!s.includes('&')) return s;
  let out = '';
  let last = 0;
  REFERENCE.lastIndex = 0;
  for (let m = REFERENCE.exec(s); m; m = REFERENCE.exec(s)) {
    if (m.index !== last && s.lastIndexOf('&', m.index - 1) >= last) bail();
    let v: string;
    if (m[3]) v = PREDEFINED[m[3]];
    else {
      const cp = m[1] ? Number.parseInt(m[1], 16) : Number.parseInt(m[2], 10);
      if ((cp < 0x20 && cp !== 0x9 && cp !== 0xa && cp !== 0xd) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        bail();
      v = String.fromCodePoint(cp);
    }
    out += s.slice(last, m.index) + v;
    last = m.index + m[0].length;
  }
  if (s.indexOf('&', last) >= 0) bail();
  return out + s.slice(last);
}

interface Open {
  qname: string;
  scope: Map<string, string>;
  rawAttrs: [string, string][];
  children: XmlNode[];
}

function resolve(qname: string, scope: Map<string, string>, isAttr: boolean): ClarkName {
  const i = qname.indexOf(':');
  if (i < 0) return isAttr ? clark('', qname) : clark(scope.get('') ?? '', qname);
  const prefix = qname.slice(0, i);
  if (prefix === 'xml') return clark(XML_NS, qname.slice(i + 1));
  const ns = scope.get(prefix);
  return ns === undefined ? bail() : clark(ns, qname.slice(i + 1));
}

function finish(o: Open): XmlElement {
  const attrs: Record<string, string> = {};
  for (const [k, v] of o.rawAttrs) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    const name = resolve(k, o.scope, true);
    if (name in attrs) bail();
    attrs[name] = v;
  }
  return { name: resolve(o.qname, o.scope, false), attrs, children: o.children };
}

/** The document's root element, or undefined when the full parser must decide. */
export function parseSimpleXml(s: string): XmlElement | undefined {
  try {
    return parse(s);
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

function parse(s: string): XmlElement | undefined {
  // CR (line-end normalisation), NUL and other controls, and a byte-order mark are left to the full path.
  if (hasControl(s)) return undefined;
  let i = 0;
  if (s.startsWith('<?xml', i)) {
    const end = s.indexOf('?>', i);
    if (
      end < 0 ||
      !/^<\?xml[ \t\n]+version=(["'])1\.[0-9]\1([ \t\n]+encoding=(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\n]+standalone=(["'])(yes|no)\5)?[ \t\n]*$/.test(
        s.slice(i, end),
      )
    )
      return undefined;
    i = end + 2;
  }
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let scope = new Map<string, string>([['xml', XML_NS]]);
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? s.length : lt;
    if (textEnd > i) {
      const text = s.slice(i, textEnd);
      if (stack.length === 0) {
        if (text.trim() !== '') return undefined;
      } else stack[stack.length - 1].children.push(decode(text));
      if (text.includes(']]>')) return undefined;
    }
    if (lt < 0) break;
    i = lt;
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end < 0 || s.slice(i + 4, end).includes('--') || s[end - 1] === '-') return undefined;
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i + 9);
      if (end < 0 || stack.length === 0) return undefined;
      stack[stack.length - 1].children.push(s.slice(i + 9, end));
      i = end + 3;
    } else if (s[i + 1] === '/') {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(s);
      const open = stack.pop();
      if (!m || !open || m[0] !== open.qname) return undefined;
      SPACE.lastIndex = NAME.lastIndex;
      SPACE.exec(s);
      if (s[SPACE.lastIndex] !== '>') return undefined;
      i = SPACE.lastIndex + 1;
      const done = finish(open);
      if (stack.length) stack[stack.length - 1].children.push(done);
      else root = done;
      scope = stack.length ? stack[stack.length - 1].scope : scope;
    } else {
      if (root || stack.length >= MAX_DEPTH) return undefined;
      NAME.lastIndex = i + 1;
      const m = NAME.exec(s);
      if (!m) return undefined;
      const open: Open = { qname: m[0], scope, rawAttrs: [], children: [] };
      let j = NAME.lastIndex;
      for (;;) {
        SPACE.lastIndex = j;
        SPACE.exec(s);
        const spaced = SPACE.lastIndex > j;
        j = SPACE.lastIndex;
        const c = s[j];
        if (c === '>' || (c === '/' && s[j + 1] === '>')) break;
        NAME.lastIndex = j;
        const a = NAME.exec(s);
        if (!spaced || !a) return undefined;
        SPACE.lastIndex = NAME.lastIndex;
        SPACE.exec(s);
        if (s[SPACE.lastIndex] !== '=') return undefined;
        SPACE.lastIndex++;
        SPACE.exec(s);
        const q = s[SPACE.lastIndex];
        if (q !== '"' && q !== "'") return undefined;
        const end = s.indexOf(q, SPACE.lastIndex + 1);
        if (end < 0) return undefined;
        const raw = s.slice(SPACE.lastIndex + 1, end);
        if (/[<\t\n]/.test(raw)) return undefined;
        if (open.rawAttrs.some(([k]) => k === a[0])) return undefined;
        open.rawAttrs.push([a[0], decode(raw)]);
        j = end + 1;
      }
      for (const [k, v] of open.rawAttrs) {
        if (k !== 'xmlns' && !k.startsWith('xmlns:')) continue;
        // Binding a prefix to "" (Namespaces §2.2), or xml/xmlns themselves: the full path decides.
        if ((k !== 'xmlns' && v === '') || k === 'xmlns:xml' || k === 'xmlns:xmlns') return undefined;
        if (open.scope === scope) open.scope = new Map(scope);
        open.scope.set(k === 'xmlns' ? '' : k.slice(6), v);
      }
      if (s[j] === '/') {
        i = j + 2;
        const done = finish(open);
        if (stack.length) stack[stack.length - 1].children.push(done);
        else root = done;
      } else {
        i = j + 1;
        stack.push(open);
        scope = open.scope;
      }
    }
  }
  return stack.length === 0 ? root : undefined;
}
