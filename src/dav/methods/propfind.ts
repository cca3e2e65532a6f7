// RFC 4918 §9.1 PROPFIND. Depth infinity is refused with propfind-finite-depth (§9.1, §16);
// a missing Depth header is treated as 1 (lenient, as most DAV servers do; documented in compliance.md).
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { streamMultistatus } from '../multistatus-stream.ts';
import { type PropRequest, renderEach } from '../props/render.ts';
import { directChildren, resolveExisting } from '../resolve.ts';
import type { Resource } from '../resource.ts';
import type { DavResponse } from '../response.ts';
import { dav } from '../xml/names.ts';
import { child, el, elements, type XmlElement } from '../xml/tree.ts';
import { type MethodRequest, mapBackendError, xmlBody } from './request.ts';

export function parsePropRequest(root: XmlElement | undefined): PropRequest {
  if (!root) return { kind: 'allprop', include: [] };
  if (root.name !== dav('propfind')) throw new DavError(400, undefined, 'expected DAV:propfind');
  const prop = child(root, dav('prop'));
  if (prop) return { kind: 'prop', props: elements(prop) };
  if (child(root, dav('propname'))) return { kind: 'propname' };
  if (child(root, dav('allprop'))) {
    const include = child(root, dav('include'));
    return { kind: 'allprop', include: include ? elements(include) : [] };
  }
  throw new DavError(400, undefined, 'propfind needs prop, allprop or propname');
}

/** Members of a collection-like resource, for Depth 1. */
export async function childrenOf(ctx: DavContext, res: Resource): Promise<Resource[]> {
  switch (res.type) {
    case 'root':
      return [
        { type: 'principals' },
        { type: 'home', home: 'calendars', user: ctx.user },
        { type: 'home', home: 'addressbooks', user: ctx.user },
      ];
    case 'principals':
      return [{ type: 'principal', user: ctx.user }];
    case 'home-root':
      return [{ type: 'home', home: res.home, user: ctx.user }];
    case 'principal':
      return [
        { type: 'schedule-box', box: 'inbox', user: res.user },
        { type: 'schedule-box', box: 'outbox', user: res.user },
      ];
    case 'schedule-box':
    case 'object':
      return [];
    case 'home': {
      const all = await ctx.backends.listCollections(res.user, res.home).catch(mapBackendError);
      const top = new Set(
        directChildren(
          all.map((a) => a.info),
          undefined,
        ),
      );
      return all.filter((a) => top.has(a.info)).map(({ info, backend }) => ({ type: 'collection', info, backend }));
    }
    case 'collection': {
      const out: Resource[] = [];
      try {
        for await (const ref of res.backend.listObjects(res.info.ref)) {
          out.push({ type: 'object', collection: res.info, backend: res.backend, ref });
        }
        if (res.info.kind === 'plain') {
          const all = await res.backend.listCollections(res.info.ref.owner, res.info.ref.home);
          for (const info of directChildren(all, res.info.ref.id))
            out.push({ type: 'collection', info, backend: res.backend });
        }
      } catch (e) {
        mapBackendError(e);
      }
      return out;
    }
  }
}

/** The responses with the first one's href replaced (PROPFIND on `/` and `/.well-known/*`). */
async function* withFirstHref(responses: AsyncIterable<XmlElement>, href: string): AsyncGenerator<XmlElement> {
  let first = true;
  for await (const r of responses) {
    if (first && r.children[0] && typeof r.children[0] !== 'string') r.children[0] = el(dav('href'), [href]);
    first = false;
    yield r;
  }
}

export async function propfind(ctx: DavContext, req: MethodRequest, hrefOverride?: string): Promise<DavResponse> {
  if (ctx.depth === 'infinity')
    throw new DavError(403, dav('propfind-finite-depth'), 'Depth: infinity is not supported');
  const request = parsePropRequest(xmlBody(req));
  const target = await resolveExisting(ctx, req.path);
  const resources: Resource[] = [target];
  if ((ctx.depth ?? '1') === '1') resources.push(...(await childrenOf(ctx, target)));
  const responses = renderEach(ctx, resources, request);
  return streamMultistatus(hrefOverride ? withFirstHref(responses, hrefOverride) : responses).catch(mapBackendError);
}
