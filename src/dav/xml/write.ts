// Serialises XmlElement trees. Well-known namespaces get fixed prefixes declared on the root;
// others are declared where first used. `FragmentWriter` writes elements one at a time under a root
// whose declarations are already written (the streamed multistatus, multistatus-stream.ts).
import type { Buffer } from 'node:buffer';
import { joinParts, type Part } from './byte-text.ts';
import { escapeAttr, escapeMarkup, escapeText } from './escape.ts';
import { PREFERRED_PREFIXES, splitClark } from './names.ts';
import { textOf, type XmlElement, type XmlNode } from './tree.ts';

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

/** The serialised tags of an attribute-less element whose namespace is declared on the root. */
interface Tags {
  open: string;
  close: string;
  empty: string;
}

interface Ctx {
  /** Declarations in scope. */
  prefixes: Map<string, string>;
  /** The root's declarations: a prefix found here is the same in every scope (never redeclared). */
  root: Map<string, string>;
  counter: { n: number };
  tags: Map<string, Tags>;
  /** Text escaper: escapeText, or escapeMarkup when CRs are escaped per chunk (FragmentWriter.join). */
  text: (s: string) => string;
  /** Byte text (XmlElement.bytes): kept as a part for FragmentWriter.join, or decoded and escaped. */
  bytes: (e: XmlElement, out: Part[]) => void;
}

function collectNamespaces(e: XmlNode, into: Set<string>): void {
  if (typeof e === 'string') return;
  into.add(split(e.name).ns);
  for (const c of e.children) collectNamespaces(c, into);
}

function hasAttrs(attrs: Record<string, string>): boolean {
  for (const _ in attrs) return true;
  return false;
}

function writeChildren(e: XmlElement, ctx: Ctx, out: Part[]): void {
  for (const c of e.children) {
    if (typeof c === 'string') out.push(ctx.text(c));
    else writeElement(c, ctx, out);
  }
}

function writeElement(e: XmlElement, ctx: Ctx, out: Part[]): void {
  // Fast path: a root-declared namespace and no attributes (nearly every element of a multistatus).
  let tags = ctx.tags.get(e.name);
  if (tags === undefined) {
    const { ns, local } = split(e.name);
    const p = ctx.root.get(ns);
    if (p !== undefined) {
      const q = p ? `${p}:${local}` : local;
      tags = { open: `<${q}>`, close: `</${q}>`, empty: `<${q}/>` };
      ctx.tags.set(e.name, tags);
    }
  }
  if (tags !== undefined && !hasAttrs(e.attrs)) {
    if (e.children.length === 0) {
      if (e.bytes === undefined) out.push(tags.empty);
      else {
        out.push(tags.open);
        ctx.bytes(e, out);
        out.push(tags.close);
      }
    } else {
      out.push(tags.open);
      writeChildren(e, ctx, out);
      out.push(tags.close);
    }
    return;
  }
  writeGeneral(e, ctx, out);
}

function writeGeneral(e: XmlElement, ctx: Ctx, out: Part[]): void {
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
  if (e.children.length === 0 && e.bytes === undefined) {
    out.push(`<${qname}${decls}${attrs}/>`);
    return;
  }
  out.push(`<${qname}${decls}${attrs}>`);
  if (e.children.length === 0) ctx.bytes(e, out);
  else writeChildren(e, prefixes === ctx.prefixes ? ctx : { ...ctx, prefixes }, out);
  out.push(`</${qname}>`);
}

/** FragmentWriter: byte text stays bytes until join escapes it (no decode, no re-encode). */
function keepBytes(e: XmlElement, out: Part[]): void {
  if (e.bytes !== undefined) out.push(e.bytes);
}

/** writeXml: a whole document is one string, byte text is decoded (rare: trees of small answers). */
function decodeBytes(e: XmlElement, out: Part[]): void {
  out.push(escapeText(textOf(e)));
}

/** Tag caches per constant root declaration map (a streamed multistatus uses one for the process). */
const tagCaches = new WeakMap<Map<string, string>, Map<string, Tags>>();

/**
 * Writes elements one after another inside a root element whose namespace declarations (`root`:
 * namespace → prefix) the caller has written. Generated prefixes are numbered across the document.
 */
export class FragmentWriter {
  private readonly ctx: Ctx;

  constructor(root: Map<string, string>) {
    let tags = tagCaches.get(root);
    if (!tags) {
      tags = new Map();
      tagCaches.set(root, tags);
    }
    this.ctx = { prefixes: root, root, counter: { n: 0 }, tags, text: escapeMarkup, bytes: keepBytes };
  }

  /**
   * Appends the serialised element to `out`. CRs in text are left for `join` to escape: one pass
   * over a chunk costs a fraction of one per calendar body (most bodies have CRs and no markup).
   */
  write(e: XmlElement, out: Part[]): void {
    writeElement(e, this.ctx, out);
  }

  /**
   * The written parts as UTF-8, CRs escaped as `&#13;` and byte text escaped (byte-text.ts). Only
   * text can hold a raw CR here: names cannot, and attribute values were escaped whole.
   */
  join(parts: Part[]): Buffer {
    return joinParts(parts);
  }
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
  const body: Part[] = [];
  // The root is written in full (never from the tag cache) so its declarations can be injected.
  writeGeneral(
    root,
    { prefixes, root: prefixes, counter: { n: 0 }, tags: new Map(), text: escapeText, bytes: decodeBytes },
    body,
  );
  const first = body[0] as string;
  const cut = first.search(/[\s/>]/);
  body[0] = first.slice(0, cut) + decls + first.slice(cut);
  // Not out.push(...body): a multistatus of 20,000 members has more strings than a call has arguments.
  return `<?xml version="1.0" encoding="utf-8"?>\n${body.join('')}`;
}
