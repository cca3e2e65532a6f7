// Computes propstat responses for a list of resources (PROPFIND and the object reports share it).
// RFC 4918 §9.1: found properties 200, unknown ones 404; allprop adds `include`d properties.
import type { DavContext } from '../context.ts';
import { hrefOf, propstatResponse } from '../multistatus.ts';
import type { ObjectResource, Resource } from '../resource.ts';
import { bytesEl, el, type XmlElement } from '../xml/tree.ts';

export type PropRequest =
  | { kind: 'prop'; props: XmlElement[] }
  | { kind: 'allprop'; include: XmlElement[] }
  | { kind: 'propname' };

/** Loads object bodies in batches per collection for the object resources that lack them. */
export async function loadBodies(resources: Resource[]): Promise<void> {
  const byCollection = new Map<string, ObjectResource[]>();
  for (const r of resources) {
    if (r.type !== 'object' || r.object) continue;
    const k = `${r.collection.ref.owner}\0${r.collection.ref.home}\0${r.collection.ref.id}`;
    const list = byCollection.get(k) ?? [];
    list.push(r);
    byCollection.set(k, list);
  }
  for (const list of byCollection.values()) {
    const first = list[0];
    const objects = await first.backend.getObjects(
      first.collection.ref,
      list.map((r) => r.ref.name),
    );
    const byName = new Map(objects.map((o) => [o.name, o]));
    for (const r of list) {
      const o = byName.get(r.ref.name);
      if (o) {
        r.object = o;
        r.ref = { name: o.name, etag: o.etag };
      }
    }
  }
}

function deadPropsOf(res: Resource): Record<string, XmlElement> {
  if (res.type === 'collection') return res.info.deadProps;
  if (res.type === 'object') return res.object?.deadProps ?? {};
  return {};
}

/** Whether any requested property needs the body of any of these resources. */
export function needsBody(ctx: DavContext, req: PropRequest, resources: Resource[]): boolean {
  if (req.kind !== 'prop') return resources.some((r) => r.type === 'object');
  return req.props.some((p) => {
    const nb = ctx.props.get(p.name)?.needsBody;
    if (typeof nb === 'function') return resources.some((r) => r.type === 'object' && nb(r));
    return nb === true && resources.some((r) => r.type === 'object');
  });
}

/** One `<D:response>` per resource. */
export async function renderResponses(ctx: DavContext, resources: Resource[], req: PropRequest): Promise<XmlElement[]> {
  if (needsBody(ctx, req, resources)) await loadBodies(resources);
  const out: XmlElement[] = [];
  for (const res of resources) out.push(await renderOne(ctx, res, req));
  return out;
}

/** Resources per batch of renderEach: one getObjects call, and the most bodies held at once. */
export const RENDER_BATCH = 250;

export interface RenderEachOptions {
  /** Called instead of rendering an object whose body was needed but is gone (sync-collection: 404). */
  onVanished?: (r: ObjectResource) => void;
}

/**
 * renderResponses one response at a time for a streamed multistatus: bodies are loaded per batch
 * and dropped again once the batch is rendered, so a large report never holds them all.
 */
export async function* renderEach(
  ctx: DavContext,
  resources: Resource[],
  req: PropRequest,
  opts: RenderEachOptions = {},
): AsyncGenerator<XmlElement> {
  for (let i = 0; i < resources.length; i += RENDER_BATCH) {
    const batch = resources.slice(i, i + RENDER_BATCH);
    const load = needsBody(ctx, req, batch);
    const loaded = load ? batch.filter((r): r is ObjectResource => r.type === 'object' && !r.object) : [];
    if (loaded.length) await loadBodies(loaded);
    for (const res of batch) {
      if (load && opts.onVanished && res.type === 'object' && !res.object) opts.onVanished(res);
      else yield await renderOne(ctx, res, req);
    }
    for (const r of loaded) r.object = undefined;
  }
}

/**
 * renderEach a batch at a time: the responses of each RENDER_BATCH resources as one array, so a
 * streamed report crosses one generator step per batch instead of one per response.
 */
export async function* renderBatches(
  ctx: DavContext,
  resources: Resource[],
  req: PropRequest,
): AsyncGenerator<XmlElement[]> {
  for (let i = 0; i < resources.length; i += RENDER_BATCH) {
    const batch = resources.slice(i, i + RENDER_BATCH);
    const loaded = needsBody(ctx, req, batch)
      ? batch.filter((r): r is ObjectResource => r.type === 'object' && !r.object)
      : [];
    if (loaded.length) await loadBodies(loaded);
    const out: XmlElement[] = [];
    for (const res of batch) out.push(await renderOne(ctx, res, req));
    for (const r of loaded) r.object = undefined;
    yield out;
  }
}

/** The `<D:response>` of one resource (its body loaded already when a property needs it). */
export async function renderOne(ctx: DavContext, res: Resource, req: PropRequest): Promise<XmlElement> {
  const href = hrefOf(ctx.hrefs, res);
  const dead = deadPropsOf(res);
  if (req.kind === 'propname') {
    const names = [...ctx.props.applicable(res).map((d) => d.name), ...Object.keys(dead)];
    return propstatResponse(href, [{ status: 200, props: names.map((n) => el(n as never)) }]);
  }
  const found: XmlElement[] = [];
  const missing: XmlElement[] = [];
  const wanted: XmlElement[] =
    req.kind === 'prop'
      ? req.props
      : [
          ...ctx.props
            .applicable(res)
            .filter((d) => d.allprop)
            .map((d) => el(d.name)),
          ...req.include.filter((i) => !ctx.props.get(i.name)?.allprop),
        ];
  const included = req.kind === 'allprop' ? new Set(req.include.map((i) => i.name)) : undefined;
  for (const w of wanted) {
    const def = ctx.props.get(w.name);
    if (def?.appliesTo(res)) {
      const bytes = def.getBytes?.(ctx, res, w);
      // Most values are computed synchronously: no microtask turn for them (thousands per report).
      const got = bytes === undefined ? def.get(ctx, res, w) : undefined;
      const value = got instanceof Promise ? await got : got;
      // allprop lists the properties that exist (RFC 4918 §9.1); only asked-for ones are 404.
      if (value === undefined && bytes === undefined) {
        if (req.kind === 'prop' || included?.has(w.name)) missing.push(el(w.name));
      } else {
        let prop = bytes === undefined ? el(w.name, value) : bytesEl(w.name, bytes);
        for (const q of ctx.quirks) if (q.property) prop = q.property(w.name, prop);
        found.push(prop);
      }
    } else if (dead[w.name]) found.push(dead[w.name]);
    else missing.push(el(w.name));
  }
  if (req.kind === 'allprop') {
    for (const d of Object.values(dead)) if (!found.some((f) => f.name === d.name)) found.push(d);
  }
  // RFC 7240 Prefer: return=minimal omits the 404 propstat, but a response keeps at least one
  // propstat (RFC 4918 §14.24; CalendarServer does the same for Apple's Brief: t, quirks Q11).
  const groups = [{ status: 200, props: found }];
  if (!ctx.preferMinimal || req.kind !== 'prop' || found.length === 0) groups.push({ status: 404, props: missing });
  return propstatResponse(href, groups);
}
