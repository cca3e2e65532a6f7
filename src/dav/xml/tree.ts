// The in-memory XML tree used everywhere in the DAV core: namespaces already resolved to Clark names.
import type { ClarkName } from './names.ts';

export interface XmlElement {
  name: ClarkName;
  /** Attributes by Clark name (unprefixed attributes have an empty namespace: `{}local` is written as `local`). */
  attrs: Record<string, string>;
  children: XmlNode[];
  /**
   * Character data as UTF-8 bytes, for an element with no children: a stored vCard/iCalendar body
   * written into a multistatus without being decoded (write.ts escapes it as it escapes text).
   * Ignored when `children` is not empty (a hook that replaced the children wins).
   */
  bytes?: Uint8Array;
}

export type XmlNode = XmlElement | string;

export function el(name: ClarkName, children: XmlNode[] = [], attrs: Record<string, string> = {}): XmlElement {
  return { name, attrs, children };
}

/** An element whose text is `bytes` (valid UTF-8, the caller checks: nothing repairs it later). */
export function bytesEl(name: ClarkName, bytes: Uint8Array): XmlElement {
  return { name, attrs: {}, children: [], bytes };
}

/** The UTF-8 bytes an element stands for as text, when it carries them (see XmlElement.bytes). */
export function textBytes(e: XmlElement): Uint8Array | undefined {
  return e.children.length === 0 ? e.bytes : undefined;
}

// ignoreBOM: a leading U+FEFF is text like any other (the writer writes it); the default would drop it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

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
  const bytes = textBytes(e);
  if (bytes !== undefined) return utf8.decode(bytes);
  return e.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
