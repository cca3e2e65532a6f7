// Safe XML parsing for request bodies: no DTDs, no entity expansion beyond the five predefined
// entities and character references, bounded depth. Namespaces are resolved to Clark names.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DavError } from '../dav-error.ts';
import { parseSimpleXml } from './fast-parse.ts';
import { type ClarkName, clark } from './names.ts';
import type { XmlElement, XmlNode } from './tree.ts';

const MAX_DEPTH = 64;
const CDATA = '__cdata';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA,
});

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    const v = PREDEFINED[ref];
    if (v === undefined) throw new DavError(400, undefined, `undefined XML entity ${m}`);
    return v;
  });
}

type RawNode = Record<string, unknown>;

function resolveName(qname: string, scope: Map<string, string>, isAttr: boolean): ClarkName {
  const i = qname.indexOf(':');
  const prefix = i >= 0 ? qname.slice(0, i) : '';
  const local = i >= 0 ? qname.slice(i + 1) : qname;
  if (isAttr && !prefix) return clark('', local);
  if (prefix === 'xml') return clark('http://www.w3.org/XML/1998/namespace', local);
  const ns = scope.get(prefix);
  if (ns === undefined) {
    if (!prefix) return clark('', local);
    throw new DavError(400, undefined, `undeclared XML namespace prefix "${prefix}"`);
  }
  return clark(ns, local);
}

function convert(raw: RawNode, parentScope: Map<string, string>, depth: number): XmlElement {
  if (depth > MAX_DEPTH) throw new DavError(400, undefined, 'XML nesting too deep');
  const tag = Object.keys(raw).find((k) => k !== ':@');
  if (!tag) throw new DavError(400, undefined, 'malformed XML');
  const rawAttrs = (raw[':@'] ?? {}) as Record<string, string>;
  let scope = parentScope;
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      // Namespaces in XML 1.0 §2.2: a prefix may not be bound to the empty namespace name.
      if (k !== 'xmlns' && v === '')
        throw new DavError(400, undefined, `prefix ${k.slice(6)} bound to an empty namespace`);
      if (scope === parentScope) scope = new Map(parentScope);
      scope.set(k === 'xmlns' ? '' : k.slice(6), decodeEntities(v));
    }
  }
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    attrs[resolveName(k, scope, true)] = decodeEntities(v);
  }
  const children: XmlNode[] = [];
  for (const c of (raw[tag] as RawNode[]) ?? []) {
    if ('#text' in c) children.push(decodeEntities(String(c['#text'])));
    else if (CDATA in c) children.push(((c[CDATA] as RawNode[]) ?? []).map((t) => String(t['#text'] ?? '')).join(''));
    else children.push(convert(c, scope, depth + 1));
  }
  return { name: resolveName(tag, scope, false), attrs, children };
}

/** Parses an XML request body. Throws DavError(400) for anything malformed or unsafe. */
export function parseXml(body: string): XmlElement {
  if (/<!DOCTYPE/i.test(body)) throw new DavError(400, undefined, 'DTDs are not accepted');
  // Plain bodies (nearly all) take the single pass; it hands everything it is unsure of to the full path.
  return parseSimpleXml(body) ?? parseXmlFully(body);
}

/** The full path: fast-xml-parser's validator and parser (what parseXml does for any unusual body). */
export function parseXmlFully(body: string): XmlElement {
  if (/<!DOCTYPE/i.test(body)) throw new DavError(400, undefined, 'DTDs are not accepted');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new DavError(400, undefined, `malformed XML: ${valid.err.msg}`);
  let raw: RawNode[];
  try {
    raw = parser.parse(body) as RawNode[];
  } catch (e) {
    throw new DavError(400, undefined, `malformed XML: ${(e as Error).message}`);
  }
  const roots = raw.filter((n) => !('#text' in n));
  if (roots.length !== 1) throw new DavError(400, undefined, 'XML body must have exactly one root element');
  return convert(roots[0], new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), 0);
}
