// RFC 4918 §9.3 MKCOL, extended by RFC 5689 (a body setting resourcetype and properties), and
// RFC 4791 §5.3.1 MKCALENDAR (same machinery, calendar kind, parsed by the CalDAV module).
import type { CollectionKind, CollectionPatch, HomeKind } from '../../backend/types.ts';
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { isParentMissing, resolvePath } from '../resolve.ts';
import type { MissingTarget } from '../resource.ts';
import type { DavResponse } from '../response.ts';
import { caldav, carddav, dav } from '../xml/names.ts';
import { child, el, elements, type XmlElement } from '../xml/tree.ts';
import { planPatch } from './proppatch.ts';
import { bodyText, type MethodRequest, mapBackendError, xmlBody } from './request.ts';

async function missingTarget(ctx: DavContext, req: MethodRequest): Promise<MissingTarget> {
  try {
    const r = await resolvePath(ctx, req.path);
    if (r.type !== 'missing') throw new DavError(405, undefined, 'resource already exists');
    if (!r.parent) throw new DavError(409, undefined, 'no parent');
    return r;
  } catch (e) {
    if (isParentMissing(e)) throw new DavError(409, undefined, 'parent collection does not exist');
    throw e;
  }
}

function kindFromResourcetype(rt: XmlElement | undefined): CollectionKind {
  if (!rt) return 'plain';
  const names = elements(rt).map((e) => e.name);
  if (names.includes(caldav('calendar'))) return 'calendar';
  if (names.includes(carddav('addressbook'))) return 'addressbook';
  if (names.every((n) => n === dav('collection'))) return 'plain';
  throw new DavError(403, dav('valid-resourcetype'), 'unsupported resourcetype');
}

function checkLocation(kind: CollectionKind, home: HomeKind, target: MissingTarget): void {
  if (target.parent?.type === 'collection' && target.parent.info.kind !== 'plain') {
    throw new DavError(
      403,
      kind === 'calendar' ? caldav('calendar-collection-location-ok') : dav('valid-resourcetype'),
      'collections cannot be nested in calendar or address book collections',
    );
  }
  if (kind === 'calendar' && home !== 'calendars')
    throw new DavError(403, caldav('calendar-collection-location-ok'), 'calendars live in the calendar home');
  if (kind === 'addressbook' && home !== 'addressbooks')
    throw new DavError(
      403,
      carddav('addressbook-collection-location-ok'),
      'address books live in the address book home',
    );
}

async function create(
  ctx: DavContext,
  target: MissingTarget,
  kind: CollectionKind,
  patch: CollectionPatch,
): Promise<DavResponse> {
  const backend = ctx.backends.forCollection(target.owner, target.home, target.id);
  if (!backend.admin || backend.readonly)
    throw new DavError(403, dav('need-privileges'), 'collections cannot be created here');
  if (kind === 'calendar' && !patch.components) patch.components = ['VEVENT', 'VTODO'];
  try {
    await backend.admin.createCollection({ owner: target.owner, home: target.home, id: target.id }, kind, patch);
  } catch (e) {
    mapBackendError(e);
  }
  return { status: 201, headers: { 'Cache-Control': 'no-cache' } };
}

/** Applies the property part of an extended MKCOL/MKCALENDAR; failures become a 403 with per-prop statuses (RFC 5689 §3). */
function propsFromSet(
  ctx: DavContext,
  target: MissingTarget,
  kind: CollectionKind,
  set: XmlElement[],
  responseRoot: XmlElement['name'],
): { patch: CollectionPatch } | { response: DavResponse } {
  const fake = {
    type: 'collection',
    info: { ref: { owner: target.owner, home: target.home, id: target.id }, kind, deadProps: {} },
    backend: ctx.backends.forCollection(target.owner, target.home, target.id),
  } as const;
  const props = set.filter((p) => p.name !== dav('resourcetype'));
  const { patch, failures } = planPatch(
    ctx,
    fake,
    props.map((prop) => ({ prop, remove: false })),
  );
  if (failures.size === 0) return { patch };
  const statusOf = (p: XmlElement): number => failures.get(p)?.status ?? 424;
  const groups = new Map<number, XmlElement[]>();
  for (const p of props) groups.set(statusOf(p), [...(groups.get(statusOf(p)) ?? []), el(p.name)]);
  const propstats = [...groups].map(([status, ps]) =>
    el(dav('propstat'), [el(dav('prop'), ps), el(dav('status'), [`HTTP/1.1 ${status}`])]),
  );
  return { response: { status: 403, body: el(responseRoot, propstats) } };
}

export async function mkcol(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  const text = bodyText(req);
  const type = req.headers.get('content-type') ?? '';
  if (text.length > 0 && !/xml/i.test(type)) throw new DavError(415, undefined, 'MKCOL body must be XML');
  const target = await missingTarget(ctx, req);
  const root = xmlBody(req);
  let kind: CollectionKind = 'plain';
  let patch: CollectionPatch = {};
  if (root) {
    if (root.name !== dav('mkcol')) throw new DavError(415, undefined, 'expected DAV:mkcol');
    const set = elements(root)
      .filter((e) => e.name === dav('set'))
      .flatMap((s) =>
        elements(s)
          .filter((p) => p.name === dav('prop'))
          .flatMap(elements),
      );
    kind = kindFromResourcetype(set.find((p) => p.name === dav('resourcetype')));
    checkLocation(kind, target.home, target);
    const r = propsFromSet(ctx, target, kind, set, dav('mkcol-response'));
    if ('response' in r) return r.response;
    patch = r.patch;
  } else checkLocation(kind, target.home, target);
  return create(ctx, target, kind, patch);
}

export async function mkcalendar(ctx: DavContext, req: MethodRequest): Promise<DavResponse> {
  const target = await missingTarget(ctx, req);
  checkLocation('calendar', target.home, target);
  const root = xmlBody(req);
  if (root && root.name !== caldav('mkcalendar')) throw new DavError(400, undefined, 'expected CALDAV:mkcalendar');
  let patch: CollectionPatch;
  if (ctx.hooks.parseMkcalendar) patch = ctx.hooks.parseMkcalendar(ctx, root);
  else {
    const set = root
      ? elements(root)
          .filter((e) => e.name === dav('set'))
          .flatMap((s) => elements(child(s, dav('prop')) ?? s))
      : [];
    const r = propsFromSet(ctx, target, 'calendar', set, caldav('mkcalendar-response'));
    if ('response' in r) return r.response;
    patch = r.patch;
  }
  return create(ctx, target, 'calendar', patch);
}
