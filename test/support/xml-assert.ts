// Reading multistatus answers in tests: element by element, by href and property.

import { dav } from '../../src/dav/xml/names.ts';
import { parseXml } from '../../src/dav/xml/parse.ts';
import { child, childrenNamed, elements, textOf, type XmlElement } from '../../src/dav/xml/tree.ts';

export interface ParsedResponse {
  href: string;
  status?: number;
  /** Property element by Clark name, with the status of its propstat. */
  props: Map<string, { status: number; el: XmlElement }>;
  el: XmlElement;
}

function statusCode(e: XmlElement | undefined): number | undefined {
  if (!e) return undefined;
  const m = /HTTP\/1\.1 (\d{3})/.exec(textOf(e));
  return m ? Number(m[1]) : undefined;
}

export function parseMultistatus(body: string): {
  root: XmlElement;
  responses: ParsedResponse[];
  byHref: Map<string, ParsedResponse>;
} {
  const root = parseXml(body);
  if (root.name !== dav('multistatus')) throw new Error(`expected multistatus, got ${root.name}`);
  const responses = childrenNamed(root, dav('response')).map((r) => {
    const props = new Map<string, { status: number; el: XmlElement }>();
    for (const ps of childrenNamed(r, dav('propstat'))) {
      const status = statusCode(child(ps, dav('status'))) ?? 0;
      for (const p of elements(child(ps, dav('prop')) ?? ps)) props.set(p.name, { status, el: p });
    }
    return {
      href: textOf(child(r, dav('href')) ?? r).trim(),
      status: statusCode(child(r, dav('status'))),
      props,
      el: r,
    };
  });
  return { root, responses, byHref: new Map(responses.map((r) => [r.href, r])) };
}

/** Hrefs inside a property value (e.g. current-user-principal). */
export function hrefsIn(e: XmlElement): string[] {
  return childrenNamed(e, dav('href')).map((h) => textOf(h).trim());
}

export { child, elements, textOf };
