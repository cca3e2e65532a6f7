// RFC 4918 §13: multistatus bodies.

import type { Hrefs } from './path.ts';
import type { Resource } from './resource.ts';
import type { DavResponse } from './response.ts';
import { dav } from './xml/names.ts';
import { el, type XmlElement, type XmlNode } from './xml/tree.ts';

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  424: 'Failed Dependency',
  500: 'Internal Server Error',
  507: 'Insufficient Storage',
};

/** Status lines exactly as Thunderbird compares them (quirks Q07: `HTTP/1.1 200 OK`). */
export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${REASONS[code] ?? ''}`.trimEnd();
}

// Element names built once: a multistatus repeats them for every member.
const D_STATUS = dav('status');
const D_HREF = dav('href');
const D_PROPSTAT = dav('propstat');
const D_PROP = dav('prop');
const D_RESPONSE = dav('response');

export function statusEl(code: number): XmlElement {
  return el(D_STATUS, [statusLine(code)]);
}

export function hrefEl(href: string): XmlElement {
  return el(D_HREF, [href]);
}

/** `<D:response>` with propstat groups (empty groups are skipped). */
export function propstatResponse(href: string, groups: { status: number; props: XmlElement[] }[]): XmlElement {
  const children: XmlNode[] = [hrefEl(href)];
  for (const g of groups) {
    if (g.props.length === 0) continue;
    children.push(el(D_PROPSTAT, [el(D_PROP, g.props), statusEl(g.status)]));
  }
  return el(D_RESPONSE, children);
}

/** `<D:response>` with a single status (e.g. 404 for a deleted member in sync-collection). */
export function statusResponse(href: string, status: number, extra: XmlNode[] = []): XmlElement {
  return el(D_RESPONSE, [hrefEl(href), statusEl(status), ...extra]);
}

export function multistatus(responses: XmlElement[], extra: XmlNode[] = []): DavResponse {
  return { status: 207, body: el(dav('multistatus'), [...responses, ...extra]) };
}

/** The href of a resource under the public prefix. */
export function hrefOf(hrefs: Hrefs, res: Resource): string {
  switch (res.type) {
    case 'root':
      return hrefs.root();
    case 'principals':
      return hrefs.principals();
    case 'principal':
      return hrefs.principal(res.user);
    case 'schedule-box':
      return hrefs.scheduleBox(res.user, res.box);
    case 'home-root':
      return `${hrefs.prefix}/${res.home}/`;
    case 'home':
      return hrefs.home(res.home, res.user);
    case 'collection':
      return hrefs.collection(res.info.ref);
    case 'object':
      return hrefs.object(res.collection.ref, res.ref.name);
  }
}
