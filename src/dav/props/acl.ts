// RFC 5397 current-user-principal; RFC 3744 §4-5 principal and ACL properties clients read;
// RFC 3253 §3.1.5 supported-report-set.
import type { DavContext } from '../context.ts';
import type { Resource } from '../resource.ts';
import { dav } from '../xml/names.ts';
import { el, type XmlNode } from '../xml/tree.ts';
import type { PropertyDef } from './registry.ts';

const any = (): boolean => true;
const href = (h: string): XmlNode => el(dav('href'), [h]);

function ownerOf(res: Resource): string | undefined {
  switch (res.type) {
    case 'principal':
    case 'schedule-box':
    case 'home':
      return res.user;
    case 'collection':
      return res.info.ref.owner;
    case 'object':
      return res.collection.ref.owner;
    default:
      return undefined;
  }
}

function readonly(res: Resource): boolean {
  if (res.type === 'collection') return res.info.readonly === true || res.backend.readonly === true;
  if (res.type === 'object') return res.collection.readonly === true || res.backend.readonly === true;
  return res.type !== 'home';
}

function privileges(res: Resource): string[] {
  const read = ['read', 'read-current-user-privilege-set'];
  if (readonly(res)) return read;
  return [...read, 'write', 'write-properties', 'write-content', 'bind', 'unbind'];
}

export const aclProperties: PropertyDef[] = [
  {
    name: dav('current-user-principal'),
    protected: true,
    allprop: false,
    appliesTo: any,
    get: (ctx) => [href(ctx.hrefs.principal(ctx.user))],
  },
  {
    name: dav('principal-URL'),
    protected: true,
    allprop: false,
    appliesTo: (r) => r.type === 'principal',
    get: (ctx, res) => (res.type === 'principal' ? [href(ctx.hrefs.principal(res.user))] : undefined),
  },
  {
    name: dav('principal-collection-set'),
    protected: true,
    allprop: false,
    appliesTo: any,
    get: (ctx) => [href(ctx.hrefs.principals())],
  },
  {
    name: dav('owner'),
    protected: true,
    allprop: false,
    appliesTo: (r) => ownerOf(r) !== undefined,
    get: (ctx, res) => {
      const o = ownerOf(res);
      return o === undefined ? undefined : [href(ctx.hrefs.principal(o))];
    },
  },
  {
    name: dav('current-user-privilege-set'),
    protected: true,
    allprop: false,
    appliesTo: any,
    get: (_ctx, res) => privileges(res).map((p) => el(dav('privilege'), [el(dav(p))])),
  },
  {
    name: dav('supported-report-set'),
    protected: true,
    allprop: false,
    appliesTo: any,
    get: (ctx: DavContext, res) =>
      ctx.reports.supportedOn(res).map((n) => el(dav('supported-report'), [el(dav('report'), [el(n)])])),
  },
];
