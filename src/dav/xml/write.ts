// Serialises XmlElement trees. Well-known namespaces get fixed prefixes declared on the root;
// others are declared where first used.
import { PREFERRED_PREFIXES, splitClark } from './names.ts';
import type { XmlElement, XmlNode } from './tree.ts';

export function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')).replace(/\r/g, '&#13;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

interface Ctx {
  prefixes: Map<string, string>;
  counter: { n: number };
}

function collectNamespaces(e: XmlNode, into: Set<string>): void {
  if (typeof e === 'string') return;
  into.add(splitClark(e.name).ns);
  for (const c of e.children) collectNamespaces(c, into);
}

function writeElement(e: XmlElement, ctx: Ctx, out: string[]): void {
  const { ns, local } = splitClark(e.name);
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
  for (const [k, v] of Object.entries(e.attrs)) {
    const a = splitClark(k as never);
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
