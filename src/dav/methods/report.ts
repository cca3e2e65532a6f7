// RFC 3253 §3.6 REPORT: dispatch on the body's root element; unknown or inapplicable reports are
// 403 DAV:supported-report.
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { resolveExisting } from '../resolve.ts';
import type { DavResponse } from '../response.ts';
import { dav } from '../xml/names.ts';
import { type MethodRequest, mapBackendError, xmlBody } from './request.ts';

export async function report(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  let body = xmlBody(req);
  if (!body) throw new DavError(400, undefined, 'REPORT needs a body');
  for (const q of ctx.quirks) if (q.query) body = q.query(body);
  const target = await resolveExisting(ctx, req.path);
  const handler = ctx.reports.get(body.name);
  if (!handler?.appliesTo(target))
    throw new DavError(403, dav('supported-report'), `report ${body.name} is not supported here`);
  const query = handler.parse(ctx, body);
  return handler.run(ctx, target, query).catch(mapBackendError);
}
