// The property part of the CardDAV REPORT bodies (RFC 6352 §8.6, §8.7):
// `(DAV:allprop | DAV:propname | DAV:prop)?` — absent means allprop, as for an empty PROPFIND.
// Every requested CARDDAV:address-data must name a supported type (precondition supported-address-data).
import type { PropRequest } from '../dav/props/render.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { child, elements, type XmlElement } from '../dav/xml/tree.ts';
import { assertSupportedAddressData, parseAddressDataRequest } from './address-data.ts';

export function reportPropRequest(body: XmlElement): PropRequest {
  const prop = child(body, dav('prop'));
  if (prop) {
    const props = elements(prop);
    for (const p of props)
      if (p.name === carddav('address-data')) assertSupportedAddressData(parseAddressDataRequest(p));
    return { kind: 'prop', props };
  }
  if (child(body, dav('propname'))) return { kind: 'propname' };
  const include = child(body, dav('include'));
  return { kind: 'allprop', include: include ? elements(include) : [] };
}
