// How particular clients read answers, reduced to the checks their code makes (quirks.md Q07, Q09).
// Sessions use these instead of a lenient XML reader where the client itself is strict.
import assert from 'node:assert/strict';
import { dav } from '../../../src/dav/xml/names.ts';
import { parseXml } from '../../../src/dav/xml/parse.ts';
import { child, childrenNamed, elements, textOf, type XmlElement } from '../../../src/dav/xml/tree.ts';

/**
 * The serialiser rules every strict client relies on (Q07): status lines exactly `HTTP/1.1 200 OK` /
 * `HTTP/1.1 404 Not Found`, the 200 propstat first, one response per href, path-absolute
 * percent-encoded hrefs, collections and principals with a trailing slash.
 */
export function assertStrictMultistatus(text: string, prefix = '/dav/'): XmlElement {
  const root = parseXml(text);
  assert.equal(root.name, dav('multistatus'));
  const hrefs = new Set<string>();
  for (const resp of childrenNamed(root, dav('response'))) {
    const href = textOf(child(resp, dav('href')) ?? resp).trim();
    assert.ok(!hrefs.has(href), `duplicate response for ${href}`);
    hrefs.add(href);
    assert.ok(href.startsWith(prefix), `href ${href} is not under ${prefix}`);
    assert.doesNotMatch(href, /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/, `href ${href} is not percent-encoded`);
    for (const s of elements(resp).filter((e) => e.name === dav('status'))) {
      assert.match(textOf(s), /^HTTP\/1\.1 (200 OK|404 Not Found|403 Forbidden|507 Insufficient Storage)$/);
    }
    const stats = childrenNamed(resp, dav('propstat')).map((ps) => textOf(child(ps, dav('status')) ?? ps));
    for (const s of stats) assert.match(s, /^HTTP\/1\.1 \d{3} [A-Za-z ]+$/, `status line "${s}"`);
    if (stats.length > 1) assert.equal(stats[0], 'HTTP/1.1 200 OK', `${href}: the 200 propstat must come first`);
  }
  return root;
}

/**
 * Thunderbird's CardDAV discovery (CardDAVUtils.sys.mjs): per response, the *first* `<status>`
 * element in document order must read exactly "HTTP/1.1 200 OK", else the book is skipped.
 */
export function thunderbirdFirstStatus(resp: XmlElement): string | undefined {
  for (const c of elements(resp)) {
    if (c.name === dav('status')) return textOf(c);
    const nested = thunderbirdFirstStatus(c);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/** Thunderbird's DAV header reading (CalDavRequest.sys.mjs): split on commas, drop the first token (the version). */
export function thunderbirdDavFeatures(header: string | null): Set<string> {
  return new Set((header ?? '').split(/,\s*/).slice(1));
}

/** DAVx5's service check (DavResourceFinder providesService): the DAV header lists the service. */
export function davx5ProvidesService(header: string | null, service: 'calendar-access' | 'addressbook'): boolean {
  return (header ?? '').split(',').some((t) => t.trim() === service);
}

/** Privilege names inside current-user-privilege-set. */
export function privileges(cups: XmlElement): string[] {
  return childrenNamed(cups, dav('privilege'))
    .flatMap((p) => elements(p))
    .map((e) => e.name.replace('{DAV:}', ''));
}

/** Thunderbird's read-only test (CalDavProvider handleCalendar): writable iff one of these is present. */
export function thunderbirdWritable(cups: XmlElement): boolean {
  return privileges(cups).some((p) => ['write', 'write-content', 'write-properties', 'all'].includes(p));
}

/** Local names of a resourcetype's children, sorted. */
export function resourceTypes(rt: XmlElement): string[] {
  return elements(rt)
    .map((e) => e.name)
    .sort();
}

/** The report names of a supported-report-set. */
export function supportedReports(srs: XmlElement): string[] {
  return childrenNamed(srs, dav('supported-report')).flatMap((s) =>
    elements(child(s, dav('report')) ?? s).map((r) => r.name),
  );
}
