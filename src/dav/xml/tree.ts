// The in-memory XML tree used everywhere in the DAV core: namespaces already resolved to Clark names.
import type { ClarkName } from './names.ts';

export interface XmlElement {
  name: ClarkName;
  /** Attributes by Clark name (unprefixed attributes have an empty namespace: `{}local` is written as `local`). */
  attrs: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export function el(name: ClarkName, children: XmlNode[] = [], attrs: Record<string, string> = {}): XmlElement {
  return { name, attrs, children };
}

export function isElement(n: XmlNode | undefined): n is XmlElement {
  return typeof n === 'object' && n !== null;
}

export function elements(e: XmlElement): XmlElement[] {
  return e.children.filter(isElement);
}

export function child(e: XmlElement, name: ClarkName): XmlElement | undefined {
  return elements(e).find((c) => c.name === name);
}

export function childrenNamed(e: XmlElement, name: ClarkName): XmlElement[] {
  return elements(e).filter((c) => c.name === name);
}

/** Concatenated text content of an element and its descendants. */
export function textOf(e: XmlElement): string {
  return e.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
