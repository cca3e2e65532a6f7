// The href list of a multiget REPORT (RFC 4791 §7.9, RFC 6352 §8.7): unique, non-empty, at least one,
// at most limits.maxMultigetHrefs (403 number-of-matches-within-limits beyond).
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { dav } from '../xml/names.ts';
import { childrenNamed, textOf, type XmlElement } from '../xml/tree.ts';

export function parseMultigetHrefs(ctx: DavContext, body: XmlElement, report: string): string[] {
  const hrefs = [...new Set(childrenNamed(body, dav('href')).map((h) => textOf(h).trim()))].filter((h) => h !== '');
  if (hrefs.length === 0) throw new DavError(400, undefined, `${report} needs at least one DAV:href`);
  if (hrefs.length > ctx.limits.maxMultigetHrefs) {
    throw new DavError(
      403,
      dav('number-of-matches-within-limits'),
      `at most ${ctx.limits.maxMultigetHrefs} hrefs per multiget`,
    );
  }
  return hrefs;
}
