// RFC 4918 §9.2 PROPPATCH: instructions applied in order, all or nothing. A failing property gets its
// own status (403 protected, 409 invalid value); every other one gets 424 Failed Dependency.
import type { CollectionPatch } from '../../backend/types.ts';
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { hrefOf, propstatResponse } from '../multistatus.ts';
import { resolveExisting } from '../resolve.ts';
import type { Resource } from '../resource.ts';
import type { DavResponse } from '../response.ts';
import { dav } from '../xml/names.ts';
import { el, elements, type XmlElement } from '../xml/tree.ts';
import { assertWritable, type MethodRequest, mapBackendError, xmlBody } from './request.ts';

interface Instruction {
  prop: XmlElement;
  remove: boolean;
}

export function parsePropertyUpdate(root: XmlElement | undefined, rootName = dav('propertyupdate')): Instruction[] {
  if (!root || root.name !== rootName) throw new DavError(400, undefined, `expected ${rootName}`);
  const out: Instruction[] = [];
  for (const op of elements(root)) {
    const remove = op.name === dav('remove');
    if (!remove && op.name !== dav('set')) continue;
    for (const p of elements(op)) {
      if (p.name !== dav('prop')) continue;
      for (const prop of elements(p)) out.push({ prop, remove });
    }
  }
  return out;
}

function mergePatch(into: CollectionPatch, p: CollectionPatch): void {
  const { deadProps, ...rest } = p;
  Object.assign(into, rest);
  if (deadProps) into.deadProps = { ...(into.deadProps ?? {}), ...deadProps };
}

/**
 * Turns instructions into one patch, or the per-property failure statuses. Shared by PROPPATCH,
 * extended MKCOL and MKCALENDAR.
 */
export function planPatch(
  ctx: DavContext,
  res: Resource,
  instructions: Instruction[],
): { patch: CollectionPatch; failures: Map<XmlElement, { status: number; error?: DavError }> } {
  const patch: CollectionPatch = {};
  const failures = new Map<XmlElement, { status: number; error?: DavError }>();
  for (const { prop, remove } of instructions) {
    const def = ctx.props.get(prop.name);
    if (def?.appliesTo(res) || (def && res.type === 'collection')) {
      if (def.protected || !def.toPatch || res.type === 'object') {
        failures.set(prop, { status: 403, error: new DavError(403, dav('cannot-modify-protected-property')) });
        continue;
      }
      try {
        mergePatch(patch, def.toPatch(ctx, res, remove ? null : prop));
      } catch (e) {
        if (e instanceof DavError) failures.set(prop, { status: e.status, error: e });
        else throw e;
      }
      continue;
    }
    if (res.type !== 'collection' && res.type !== 'object') {
      failures.set(prop, { status: 403 });
      continue;
    }
    mergePatch(patch, { deadProps: { [prop.name]: remove ? null : prop } });
  }
  return { patch, failures };
}

export async function applyPatch(res: Resource, patch: CollectionPatch): Promise<void> {
  try {
    if (res.type === 'collection') {
      if (!res.backend.admin) throw new DavError(403, dav('need-privileges'), 'collection properties are read-only');
      await res.backend.admin.updateCollection(res.info.ref, patch);
    } else if (res.type === 'object') {
      const live = Object.keys(patch).filter((k) => k !== 'deadProps');
      if (live.length) throw new DavError(403, dav('cannot-modify-protected-property'));
      if (!res.backend.patchObjectProps) throw new DavError(403, dav('need-privileges'), 'no dead properties here');
      await res.backend.patchObjectProps(res.collection.ref, res.ref.name, patch.deadProps ?? {});
    }
  } catch (e) {
    mapBackendError(e);
  }
}

export async function proppatch(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  const instructions = parsePropertyUpdate(xmlBody(req));
  const res = await resolveExisting(ctx, req.path);
  assertWritable(res);
  const { patch, failures } = planPatch(ctx, res, instructions);
  const href = hrefOf(ctx.hrefs, res);
  const names = (i: Instruction): XmlElement => el(i.prop.name);
  if (failures.size > 0) {
    const groups = new Map<number, XmlElement[]>();
    for (const i of instructions) {
      const status = failures.get(i.prop)?.status ?? 424;
      groups.set(status, [...(groups.get(status) ?? []), names(i)]);
    }
    const response = propstatResponse(
      href,
      [...groups].map(([status, props]) => ({ status, props })),
    );
    return { status: 207, body: el(dav('multistatus'), [response]) };
  }
  if (instructions.length > 0) await applyPatch(res, patch);
  const response = propstatResponse(href, [{ status: 200, props: instructions.map(names) }]);
  return { status: 207, body: el(dav('multistatus'), [response]) };
}
