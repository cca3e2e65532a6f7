// What method and report handlers return; src/http turns it into a fetch Response.
import type { XmlElement } from './xml/tree.ts';

export interface DavResponse {
  status: number;
  headers?: Record<string, string>;
  /** XML body (serialised with writeXml) or raw bytes/text. */
  body?: XmlElement | Uint8Array | string;
}
