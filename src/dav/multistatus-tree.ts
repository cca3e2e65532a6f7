// The multistatus of a DavResponse as a tree, for unit tests and in-process tools that call report
// handlers directly: a streamed body (multistatus-stream.ts) is parsed back.
import type { DavResponse } from './response.ts';
import { chunkText, isXmlChunks } from './response.ts';
import { parseXml } from './xml/parse.ts';
import type { XmlElement } from './xml/tree.ts';

/** The body tree; a streamed body must be complete in its first chunk (tests use small answers). */
export function multistatusTree(res: DavResponse): XmlElement {
  const body = res.body;
  if (isXmlChunks(body)) {
    if (body.rest) throw new Error('multistatus is longer than one chunk: use collectXml');
    return parseXml(chunkText(body.head)) as XmlElement;
  }
  if (!body || typeof body === 'string' || body instanceof Uint8Array) throw new Error('not an XML body');
  return body;
}
