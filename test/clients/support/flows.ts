// Steps many clients share, parameterised by what each one sends: principal discovery and the
// ctag + etag-listing sync (getctag changed → PROPFIND Depth 1 getetag → fetch what differs).
import assert from 'node:assert/strict';
import { caldav, calserver, carddav, dav } from '../../../src/dav/xml/names.ts';
import { hrefsIn, textOf } from '../../support/xml-assert.ts';
import { found, multistatus, responseFor, type Session } from './session.ts';

/** current-user-principal from `start`, then the home sets from the principal, asserted. */
export async function discoverHomes(
  s: Session,
  start: string,
  headers: Record<string, string>,
  ns: { dav: string; cal: string; card: string } = { dav: 'D', cal: 'C', card: 'CR' },
): Promise<void> {
  const cupBody = `<?xml version="1.0" encoding="utf-8"?><${ns.dav}:propfind xmlns:${ns.dav}="DAV:"><${ns.dav}:prop><${ns.dav}:current-user-principal/></${ns.dav}:prop></${ns.dav}:propfind>`;
  const r = multistatus(await s.send('PROPFIND', start, { body: cupBody, headers: { Depth: '0', ...headers } }), start);
  assert.deepEqual(hrefsIn(found(responseFor(r, start), dav('current-user-principal'))), ['/dav/principals/alice/']);
  const homesBody = `<?xml version="1.0" encoding="utf-8"?><${ns.dav}:propfind xmlns:${ns.dav}="DAV:" xmlns:${ns.cal}="urn:ietf:params:xml:ns:caldav" xmlns:${ns.card}="urn:ietf:params:xml:ns:carddav"><${ns.dav}:prop><${ns.cal}:calendar-home-set/><${ns.card}:addressbook-home-set/><${ns.dav}:displayname/></${ns.dav}:prop></${ns.dav}:propfind>`;
  const p = multistatus(
    await s.send('PROPFIND', '/dav/principals/alice/', { body: homesBody, headers: { Depth: '0', ...headers } }),
  );
  const principal = responseFor(p, '/dav/principals/alice/');
  assert.deepEqual(hrefsIn(found(principal, caldav('calendar-home-set'))), ['/dav/calendars/alice/']);
  assert.deepEqual(hrefsIn(found(principal, carddav('addressbook-home-set'))), ['/dav/addressbooks/alice/']);
}

/** The collection's getctag (Evolution's poll body by default). */
export async function ctagOf(s: Session, collection: string, headers: Record<string, string> = {}): Promise<string> {
  const body = '<propfind xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/"><prop><CS:getctag/></prop></propfind>';
  const r = multistatus(await s.send('PROPFIND', collection, { body, headers: { Depth: '0', ...headers } }));
  return textOf(found(responseFor(r, collection), calserver('getctag')));
}

/** Member href → etag from a Depth 1 PROPFIND (the collection itself left out); every member has a getetag. */
export async function etags(
  s: Session,
  collection: string,
  headers: Record<string, string> = {},
): Promise<Map<string, string>> {
  const body =
    '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:getcontenttype/></D:prop></D:propfind>';
  const r = multistatus(await s.send('PROPFIND', collection, { body, headers: { Depth: '1', ...headers } }));
  const out = new Map<string, string>();
  for (const resp of r.responses) {
    if (resp.href === collection) continue;
    out.set(resp.href, textOf(found(resp, dav('getetag'))));
  }
  return out;
}

/** Hrefs whose etag is new or different in `after`. */
export function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after]
    .filter(([h, e]) => before.get(h) !== e)
    .map(([h]) => h)
    .sort();
}
