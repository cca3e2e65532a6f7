// RFC 4918 §9.6 DELETE of objects and collections (collections with everything in them).
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { clientEtag } from '../representation.ts';
import { resolveExisting } from '../resolve.ts';
import type { DavResponse } from '../response.ts';
import { dav } from '../xml/names.ts';
import { assertWritable, type MethodRequest, mapBackendError, writePreconditions } from './request.ts';

export async function del(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  if (req.url.hash || req.url.href.includes('#')) throw new DavError(400, undefined, 'fragment in Request-URI');
  const res = await resolveExisting(ctx, req.path);
  assertWritable(res);
  try {
    if (res.type === 'object') {
      const pre = writePreconditions(req.headers, res.ref.etag, clientEtag(ctx, res.collection.kind, res.ref.etag));
      await res.backend.deleteObject(res.collection.ref, res.ref.name, pre);
    } else if (res.type === 'collection') {
      if (!res.backend.admin) throw new DavError(403, dav('need-privileges'), 'collections cannot be deleted here');
      await res.backend.admin.deleteCollection(res.info.ref);
    } else {
      throw new DavError(403, dav('need-privileges'), 'this resource cannot be deleted');
    }
  } catch (e) {
    mapBackendError(e);
  }
  return { status: 204 };
}
