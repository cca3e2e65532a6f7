// RFC 4918 §15: the live WebDAV properties.
import type { DavContext } from '../context.ts';
import { clientEtag } from '../representation.ts';
import type { Resource } from '../resource.ts';
import { caldav, carddav, dav } from '../xml/names.ts';
import { el, type XmlNode } from '../xml/tree.ts';
import type { PropertyDef } from './registry.ts';

const any = (): boolean => true;
const isObject = (r: Resource): boolean => r.type === 'object';

function resourcetype(_ctx: DavContext, res: Resource): XmlNode[] {
  if (res.type === 'object') return [];
  const out: XmlNode[] = [el(dav('collection'))];
  if (res.type === 'principal') out.push(el(dav('principal')));
  if (res.type === 'schedule-box') out.push(el(caldav(res.box === 'inbox' ? 'schedule-inbox' : 'schedule-outbox')));
  if (res.type === 'collection') {
    if (res.info.kind === 'calendar') out.push(el(caldav('calendar')));
    if (res.info.kind === 'addressbook') out.push(el(carddav('addressbook')));
  }
  return out;
}

async function displayname(ctx: DavContext, res: Resource): Promise<XmlNode[] | undefined> {
  switch (res.type) {
    case 'principal':
      return [await ctx.users.displayName(res.user)];
    case 'collection':
      return res.info.displayName !== undefined ? [res.info.displayName] : undefined;
    default:
      return undefined;
  }
}

export const webdavProperties: PropertyDef[] = [
  { name: dav('resourcetype'), protected: true, allprop: true, appliesTo: any, get: resourcetype },
  {
    name: dav('displayname'),
    protected: false,
    allprop: true,
    appliesTo: (r) => r.type === 'principal' || r.type === 'collection',
    get: displayname,
    toPatch: (_ctx, _res, value) => ({
      displayName: value ? value.children.filter((c) => typeof c === 'string').join('') : null,
    }),
  },
  {
    name: dav('getetag'),
    protected: true,
    allprop: true,
    appliesTo: isObject,
    // The tag of the representation this client gets (quirks Q16: header and getetag agree).
    get: (ctx, res) =>
      res.type === 'object' ? [`"${clientEtag(ctx, res.collection.kind, res.ref.etag)}"`] : undefined,
  },
  {
    name: dav('getcontenttype'),
    protected: true,
    allprop: true,
    // Calendar and address objects always have their kind's type: no need to load bodies for it.
    needsBody: (res) => res.type === 'object' && res.collection.kind === 'plain',
    appliesTo: isObject,
    get: (ctx, res) => {
      if (res.type !== 'object') return undefined;
      const type = res.object?.contentType ?? ctx.hooks.contentTypes[res.collection.kind];
      return type ? [type] : undefined;
    },
  },
  {
    name: dav('getcontentlength'),
    protected: true,
    allprop: true,
    needsBody: true,
    appliesTo: isObject,
    get: (_ctx, res) => (res.type === 'object' && res.object ? [String(res.object.body.byteLength)] : undefined),
  },
  {
    name: dav('getlastmodified'),
    protected: true,
    allprop: true,
    needsBody: true,
    appliesTo: isObject,
    get: (_ctx, res) => (res.type === 'object' && res.object ? [res.object.lastModified.toUTCString()] : undefined),
  },
];
