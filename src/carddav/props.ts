// RFC 6352 CardDAV properties: §6.2.1 addressbook-description, §6.2.2 supported-address-data,
// §6.2.3 max-resource-size, §8.3.1 supported-collation-set (address books); §10.4 address-data
// (address objects, REPORT/PROPFIND only); §7.1.1 addressbook-home-set (principals).
import type { DavContext } from '../dav/context.ts';
import type { PropertyDef } from '../dav/props/registry.ts';
import type { Resource } from '../dav/resource.ts';
import { asStoredText } from '../dav/xml/byte-text.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { el, textOf, type XmlNode } from '../dav/xml/tree.ts';
import {
  parseAddressDataRequest,
  type SelectedProperty,
  SUPPORTED_ADDRESS_DATA,
  selectProperties,
} from './address-data.ts';
import { COLLATIONS } from './collation.ts';
import { representationFor, representObject } from './representation.ts';
import { isAddressbook, isAddressObject } from './resource-kind.ts';

const isPrincipal = (r: Resource): boolean => r.type === 'principal';

const utf8 = new TextDecoder('utf-8');

/**
 * The address object as the client gets it (§10.4): in the version and group flavour the request or
 * the client profile asks for (representation.ts; the stored form otherwise), quirk payloadOut hooks
 * applied (as GET does), then the §10.4.2 property selection. Synchronous when nothing is converted
 * (the common case: no promise per object of a multiget).
 */
function addressData(
  ctx: DavContext,
  res: Resource,
  requested: Parameters<PropertyDef['get']>[2],
): XmlNode[] | undefined | Promise<XmlNode[] | undefined> {
  if (res.type !== 'object' || !res.object) return undefined;
  const req = parseAddressDataRequest(requested);
  const want = representationFor(ctx, req);
  // Nothing to convert: every card, groups and lists included, is served as stored (convert.ts represent).
  if (want.version === undefined && want.flavour === undefined)
    return finish(ctx, req.props, res.object.contentType, utf8.decode(res.object.body));
  return representObject(res, res.object, want).then((shown) => finish(ctx, req.props, shown.contentType, shown.text));
}

/**
 * addressData's common case as bytes: the card served as stored, whole, with no payloadOut quirk,
 * so the stored bytes are the value (no decode here, no re-encode when the multistatus is written).
 */
function addressDataBytes(
  ctx: DavContext,
  res: Resource,
  requested: Parameters<PropertyDef['get']>[2],
): Uint8Array | undefined {
  if (res.type !== 'object' || !res.object) return undefined;
  for (const q of ctx.quirks) if (q.payloadOut) return undefined;
  const req = parseAddressDataRequest(requested);
  if (req.props) return undefined;
  const want = representationFor(ctx, req);
  if (want.version !== undefined || want.flavour !== undefined) return undefined;
  return asStoredText(res.object.body);
}

function finish(
  ctx: DavContext,
  props: SelectedProperty[] | undefined,
  contentType: string,
  stored: string,
): XmlNode[] {
  let text = stored;
  for (const q of ctx.quirks) if (q.payloadOut) text = q.payloadOut(contentType, text);
  if (props) text = selectProperties(text, props);
  return [text];
}

export const carddavProperties: PropertyDef[] = [
  {
    name: carddav('addressbook-description'),
    protected: false,
    // §6.2.1 says nothing about allprop, so it behaves like the dead property it replaces.
    allprop: true,
    appliesTo: isAddressbook,
    get: (_ctx, res) =>
      res.type === 'collection' && res.info.description !== undefined ? [res.info.description] : undefined,
    toPatch: (_ctx, _res, value) => ({ description: value ? textOf(value) : null }),
  },
  {
    name: carddav('supported-address-data'),
    protected: true,
    allprop: false,
    appliesTo: isAddressbook,
    // DAVx5 asks for vCard 4 only when 4.0 is listed here (quirks Q23).
    get: () =>
      SUPPORTED_ADDRESS_DATA.map((t) =>
        el(carddav('address-data-type'), [], { '{}content-type': t.contentType, '{}version': t.version }),
      ),
  },
  {
    name: carddav('max-resource-size'),
    protected: true,
    allprop: false,
    appliesTo: isAddressbook,
    get: (ctx) => [String(ctx.limits.maxResourceSize)],
  },
  {
    name: carddav('supported-collation-set'),
    protected: true,
    allprop: false,
    appliesTo: isAddressbook,
    get: () => COLLATIONS.map((c) => el(carddav('supported-collation'), [c])),
  },
  {
    name: carddav('address-data'),
    protected: true,
    // §10.4: not a property that allprop returns; it is asked for by name in REPORTs.
    allprop: false,
    needsBody: true,
    appliesTo: isAddressObject,
    get: addressData,
    getBytes: addressDataBytes,
  },
  {
    name: carddav('addressbook-home-set'),
    protected: true,
    allprop: false,
    appliesTo: isPrincipal,
    get: (ctx, res) =>
      res.type === 'principal' ? [el(dav('href'), [ctx.hrefs.home('addressbooks', res.user)])] : undefined,
  },
];
