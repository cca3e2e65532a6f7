// What method and report handlers return; src/http turns it into a fetch Response.
import type { XmlElement } from './xml/tree.ts';

/**
 * A serialised XML document produced while it is written (multistatus-stream.ts): `head` is its start
 * (the whole document when `rest` is undefined), `rest` yields the remaining chunks on demand. A
 * chunk is UTF-8 bytes (what the multistatus writer produces) or a string to be UTF-8 encoded.
 */
export interface XmlChunks {
  kind: 'xml-chunks';
  head: XmlChunk;
  rest?: AsyncIterator<XmlChunk, undefined>;
}

export type XmlChunk = string | Uint8Array;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A chunk as text (tests, in-process tools). Chunks end on element boundaries, never inside a character. */
export function chunkText(c: XmlChunk): string {
  return typeof c === 'string' ? c : utf8.decode(c);
}

export interface DavResponse {
  status: number;
  headers?: Record<string, string>;
  /** XML body (a tree serialised with writeXml, or already-serialised chunks) or raw bytes/text. */
  body?: XmlElement | XmlChunks | Uint8Array | string;
}

export function isXmlChunks(b: DavResponse['body']): b is XmlChunks {
  return typeof b === 'object' && b !== null && (b as XmlChunks).kind === 'xml-chunks';
}
