// RFC 4918 §9.4 GET/HEAD. Objects are served as stored (after the client's payload-out quirks);
// collections get a short plain-text listing so a browser shows something useful.
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { hrefOf } from '../multistatus.ts';
import { resolveExisting } from '../resolve.ts';
import type { DavResponse } from '../response.ts';
import { childrenOf } from './propfind.ts';
import type { MethodRequest } from './request.ts';

const TEXTUAL = /^(text\/calendar|text\/vcard|text\/x-vcard|text\/x-vlist)/i;

export async function get(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  const res = await resolveExisting(ctx, req.path);
  const head = req.method === 'HEAD';
  if (res.type !== 'object') {
    const members = await childrenOf(ctx, res);
    const text = `${hrefOf(ctx.hrefs, res)}\n${members.map((m) => `  ${hrefOf(ctx.hrefs, m)}`).join('\n')}\n`;
    return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: head ? undefined : text };
  }
  const obj = res.object;
  if (!obj) throw new DavError(404);
  let body: Uint8Array = obj.body;
  const etag = `"${obj.etag}"`;
  const inm = req.headers.get('if-none-match');
  if (inm && (inm.trim() === '*' || inm.split(',').some((t) => t.trim() === etag))) {
    return { status: 304, headers: { ETag: etag } };
  }
  // A negotiated representation (CoreHooks.represent) keeps the stored ETag: it is a function of the
  // stored bytes and the request, and getetag in PROPFIND/REPORT must match what GET says.
  let contentType = obj.contentType;
  const shown = await ctx.hooks.represent?.[res.collection.kind]?.(ctx, res, obj);
  if (shown) {
    body = new TextEncoder().encode(shown.body);
    contentType = shown.contentType;
  }
  const payloadOut = ctx.quirks.filter((q) => q.payloadOut);
  let sameBytes = true;
  if (payloadOut.length && TEXTUAL.test(contentType)) {
    let text = new TextDecoder().decode(body);
    const before = text;
    for (const q of payloadOut) text = q.payloadOut?.(contentType, text) ?? text;
    if (text !== before) {
      body = new TextEncoder().encode(text);
      sameBytes = false;
    }
  }
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'Last-Modified': obj.lastModified.toUTCString(),
    'Content-Length': String(body.byteLength),
  };
  // A rewritten body is a different representation; its strong etag would lie (RFC 7232 §2.3).
  if (sameBytes) headers.ETag = etag;
  return { status: 200, headers, body: head ? undefined : body };
}
