// What method and report handlers return; src/http turns it into a fetch Response.
import type { XmlElement } from './xml/tree.ts';

/**
 * A serialised XML document produced while it is written (multistatus-stream.ts): `head` is its start
 * (the whole document when `rest` is undefined), `rest` yields the remaining chunks on demand.
 */
export interface XmlChunks {
  kind: 'xml-chunks';
  head: string;
  rest?: AsyncIterator<string, undefined>;
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
