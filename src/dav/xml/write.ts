// Serialises XmlElement trees. Well-known namespaces get fixed prefixes declared on the root;
// others are declared where first used.
import { PREFERRED_PREFIXES, splitClark } from './names.ts';
import type { XmlElement, XmlNode } from './tree.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;', '"': '&quot;' };
const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIALS = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>\r"]/;
const ATTR_SPECIALS = /[&<>\r"]/g;
const escapeChar = (c: string): string => ESCAPES[c];

/** Escapes character data; CR is written as a reference so CRLF line ends of iCalendar/vCard survive parsing. */
export function escapeText(s: string): string {
  return TEXT_SPECIAL.test(s) ? s.replace(TEXT_SPECIALS, escapeChar) : s;
}

function escapeAttr(s: string): string {
  return ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIALS, escapeChar) : s;
}

/** Clark names repeat endlessly in a multistatus: split each once. */
const splitCache = new Map<string, { ns: string; local: string }>();
function split(name: string): { ns: string; local: string } {
  let r = splitCache.get(name);
  if (!r) {
    r = splitClark(name as never);
    if (splitCache.size > 10_000) splitCache.clear();
    splitCache.set(name, r);
  }
  return r;
}

interface Ctx {
  prefixes: Map<string, string>;
  counter: { n: number };
}

function collectNamespaces(e: XmlNode, into: Set<string>): void {
  if (typeof e === 'string') return;
  into.add(split(e.name).ns);
  for (const c of e.children) collectNamespaces(c, into);
}

function writeElement(e: XmlElement, ctx: Ctx, out: string[]): void {
  const { ns, local } = split(e.name);
  let decls = '';
  let prefixes = ctx.prefixes;
  let prefix = prefixes.get(ns);
  if (prefix === undefined) {
    prefix = ns === '' ? '' : `x${ctx.counter.n++}`;
    prefixes = new Map(prefixes);
    prefixes.set(ns, prefix);
    decls = ns === '' ? ' xmlns=""' : ` xmlns:${prefix}="${escapeAttr(ns)}"`;
  }
  const qname = prefix ? `${prefix}:${local}` : local;
  let attrs = '';
  for (const k in e.attrs) {
    const v = e.attrs[k];
    const a = split(k);
    if (a.ns === '') attrs += ` ${a.local}="${escapeAttr(v)}"`;
    else if (a.ns === 'http://www.w3.org/XML/1998/namespace') attrs += ` xml:${a.local}="${escapeAttr(v)}"`;
    else {
      let ap = prefixes.get(a.ns);
      if (!ap) {
        ap = `x${ctx.counter.n++}`;
        if (prefixes === ctx.prefixes) prefixes = new Map(prefixes);
        prefixes.set(a.ns, ap);
        decls += ` xmlns:${ap}="${escapeAttr(a.ns)}"`;
      }
      attrs += ` ${ap}:${a.local}="${escapeAttr(v)}"`;
    }
  }
  if (e.children.length === 0) {
    out.push(`<${qname}${decls}${attrs}/>`);
    return;
  }
  out.push(`<${qname}${decls}${attrs}>`);
  const inner: Ctx = { prefixes, counter: ctx.counter };
  for (const c of e.children) {
    if (typeof c === 'string') out.push(escapeText(c));
    else writeElement(c, inner, out);
  }
  out.push(`</${qname}>`);
}

/** Serialises a document with an XML declaration. */
export function writeXml(root: XmlElement): string {
  const used = new Set<string>();
  collectNamespaces(root, used);
  const prefixes = new Map<string, string>();
  let decls = '';
  for (const ns of used) {
    const p = PREFERRED_PREFIXES[ns];
    if (p) {
      prefixes.set(ns, p);
      decls += ` xmlns:${p}="${ns}"`;
    }
  }
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  const body: string[] = [];
  writeElement(root, { prefixes, counter: { n: 0 } }, body);
  // Inject root namespace declarations after the root element's name.
  const first = body[0];
  const cut = first.search(/[\s/>]/);
  body[0] = first.slice(0, cut) + decls + first.slice(cut);
  // Not out.push(...body): a multistatus of 20,000 members has more strings than a call has arguments.
  return out.join('') + body.join('');
}
