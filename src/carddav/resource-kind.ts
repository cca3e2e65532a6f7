// Which resources are CardDAV's (RFC 6352 §5.2 address book collections, §5.1 address objects), and
// the extended MKCOL resourcetype check (RFC 5689 §3 with RFC 6352 §6.3.1).
import type { Resource } from '../dav/resource.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { elements, type XmlElement } from '../dav/xml/tree.ts';

export function isAddressbook(res: Resource): boolean {
  return res.type === 'collection' && res.info.kind === 'addressbook';
}

export function isAddressObject(res: Resource): boolean {
  return res.type === 'object' && res.collection.kind === 'addressbook';
}

/**
 * True when a `DAV:resourcetype` element (e.g. from an extended MKCOL body) asks for an address
 * book: it lists both DAV:collection and CARDDAV:addressbook.
 */
export function isAddressbookResourceType(resourcetype: XmlElement): boolean {
  const names = new Set(elements(resourcetype).map((e) => e.name));
  return names.has(dav('collection')) && names.has(carddav('addressbook'));
}
