// RFC 4918 §9.4 GET/HEAD. Objects are served as this client's representation (representation.ts);
// collections get a short plain-text listing so a browser shows something useful.
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { hrefOf } from '../multistatus.ts';
import { representationOf, tagBeforeRepresenting } from '../representation.ts';
import { resolveExisting } from '../resolve.ts';
import type { DavResponse } from '../response.ts';
import { childrenOf } from './propfind.ts';
import type { MethodRequest } from './request.ts';

function notModified(inm: string, etag: string): boolean {
  return inm.trim() === '*' || inm.split(',').some((t) => t.trim() === etag);
}

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
  // The representation this client gets and its tag (representation.ts; quirks Q16/Q19).
  const inm = req.headers.get('if-none-match');
  const early = tagBeforeRepresenting(ctx, res.collection.kind, obj.etag);
  if (inm && early !== undefined && notModified(inm, `"${early}"`))
    return { status: 304, headers: { ETag: `"${early}"` } };
  const shown = await representationOf(ctx, res, obj);
  const etag = shown.etag === undefined ? undefined : `"${shown.etag}"`;
  if (inm && early === undefined && etag && notModified(inm, etag)) return { status: 304, headers: { ETag: etag } };
  const headers: Record<string, string> = {
    'Content-Type': shown.contentType,
    'Last-Modified': obj.lastModified.toUTCString(),
    'Content-Length': String(shown.body.byteLength),
  };
  if (etag) headers.ETag = etag;
  const body = shown.body;
  return { status: 200, headers, body: head ? undefined : body };
}
