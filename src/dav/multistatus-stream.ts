// RFC 4918 §13 multistatus written while its responses are produced: each <D:response> is serialised
// as it comes and handed on in chunks, so neither the tree nor the whole document is ever held (an
// initial sync of thousands of members). The first chunk is produced before the handler returns:
// an error until then (a backend failure, a bad token) still becomes a proper status; later ones
// can only abort the body.
import { chunkText, type DavResponse, type XmlChunk, type XmlChunks } from './response.ts';
import type { Part } from './xml/byte-text.ts';
import { PREFERRED_PREFIXES } from './xml/names.ts';
import type { XmlElement } from './xml/tree.ts';
import { FragmentWriter } from './xml/write.ts';

/** Characters (of markup) and bytes (of byte text, XmlElement.bytes) per chunk: large enough that the socket sees few writes, small enough to stay cheap. */
const CHUNK = 64 * 1024;

/** Every well-known namespace is declared on the root once (the tree writer declares only the used ones). */
const ROOT_PREFIXES = new Map(Object.entries(PREFERRED_PREFIXES));
const HEAD =
  '<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus' +
  [...ROOT_PREFIXES].map(([ns, p]) => ` xmlns:${p}="${ns}"`).join('') +
  '>';
const TAIL = '</d:multistatus>';

/** Responses one by one, or in batches (renderBatches). */
export type Responses = AsyncIterable<XmlElement | XmlElement[]> | Iterable<XmlElement>;

async function* chunks(
  responses: Responses,
  trailer: XmlElement[],
  state: { finished: boolean },
): AsyncGenerator<XmlChunk, undefined> {
  const writer = new FragmentWriter(ROOT_PREFIXES);
  let parts: Part[] = [HEAD];
  let size = HEAD.length;
  for await (const r of responses) {
    const from = parts.length;
    if (Array.isArray(r)) for (const e of r) writer.write(e, parts);
    else writer.write(r, parts);
    for (let i = from; i < parts.length; i++) size += parts[i].length;
    if (size >= CHUNK) {
      yield writer.join(parts);
      parts = [];
      size = 0;
    }
  }
  for (const t of trailer) writer.write(t, parts);
  parts.push(TAIL);
  state.finished = true;
  yield writer.join(parts);
  return undefined;
}

/**
 * A 207 multistatus of `responses` (in order) followed by `trailer` (e.g. DAV:sync-token). Resolves
 * once the first chunk is written; a short document is then complete and sent as one chunk.
 */
export async function streamMultistatus(responses: Responses, trailer: XmlElement[] = []): Promise<DavResponse> {
  const state = { finished: false };
  const gen = chunks(responses, trailer, state);
  const first = await gen.next();
  const body: XmlChunks = { kind: 'xml-chunks', head: first.value ?? '' };
  if (!state.finished) body.rest = gen;
  return { status: 207, body };
}

/** The whole document of an XmlChunks body (tests, in-process benchmarks). */
export async function collectXml(body: XmlChunks): Promise<string> {
  if (!body.rest) return chunkText(body.head);
  const parts = [chunkText(body.head)];
  for (let n = await body.rest.next(); !n.done; n = await body.rest.next()) parts.push(chunkText(n.value));
  return parts.join('');
}
