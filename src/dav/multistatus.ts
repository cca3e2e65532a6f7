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

export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${REASONS[code] ?? ''}`.trimEnd();
}

export function statusEl(code: number): XmlElement {
  return el(dav('status'), [statusLine(code)]);
}

export function hrefEl(href: string): XmlElement {
  return el(dav('href'), [href]);
}

/** `<D:response>` with propstat groups (empty groups are skipped). */
export function propstatResponse(href: string, groups: { status: number; props: XmlElement[] }[]): XmlElement {
  const children: XmlNode[] = [hrefEl(href)];
  for (const g of groups) {
    if (g.props.length === 0) continue;
    children.push(el(dav('propstat'), [el(dav('prop'), g.props), statusEl(g.status)]));
  }
  return el(dav('response'), children);
}

/** `<D:response>` with a single status (e.g. 404 for a deleted member in sync-collection). */
export function statusResponse(href: string, status: number, extra: XmlNode[] = []): XmlElement {
  return el(dav('response'), [hrefEl(href), statusEl(status), ...extra]);
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
