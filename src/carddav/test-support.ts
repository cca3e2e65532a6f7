// Test helpers for src/carddav: a DavContext with the CardDAV properties and reports registered,
// and backend wrappers. Not imported by production code.
import type { Backend } from '../backend/port.ts';
import type { DavContext, Logger } from '../dav/context.ts';
import { multistatusTree } from '../dav/multistatus-tree.ts';
import { Hrefs } from '../dav/path.ts';
import { PropertyRegistry } from '../dav/props/registry.ts';
import { ReportRegistry } from '../dav/reports/registry.ts';
import type { DavResponse } from '../dav/response.ts';
import { dav } from '../dav/xml/names.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { child, childrenNamed, elements, textOf, type XmlElement } from '../dav/xml/tree.ts';
import type { StateStore } from '../state/store.ts';
import { carddavProperties } from './props.ts';
import { carddavReports } from './reports.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const noState = new Proxy({} as StateStore, {
  get: (_t, p) => () => Promise.reject(new Error(`state store not available in this test (${String(p)})`)),
});

/** DAV:getetag, so report tests can ask for it without the WebDAV core's registry. */
const getetag = {
  name: dav('getetag'),
  protected: true,
  allprop: true,
  appliesTo: (r: { type: string }) => r.type === 'object',
  get: (_ctx: DavContext, r: { type: string; ref?: { etag: string } }) =>
    r.type === 'object' && r.ref ? [`"${r.ref.etag}"`] : undefined,
};

/** A DavContext for user `alice` under the prefix `/dav`, serving every home from `backend`. */
export function testContext(backend?: Backend, overrides: Partial<DavContext> = {}): DavContext {
  return {
    hooks: { validators: {}, contentTypes: {} },
    user: 'alice',
    hrefs: new Hrefs('/dav'),
    backends: {
      forCollection: () => {
        if (!backend) throw new Error('no backend in this test');
        return backend;
      },
      listCollections: async (owner, home) => {
        if (!backend) throw new Error('no backend in this test');
        return (await backend.listCollections(owner, home)).map((info) => ({ info, backend }));
      },
    },
    users: { exists: async () => true, displayName: async (u) => u, addresses: async () => [] },
    state: noState,
    props: new PropertyRegistry().register(getetag as never, ...carddavProperties),
    reports: new ReportRegistry().register(...carddavReports),
    limits: { maxResourceSize: 100_000, maxBodySize: 1_000_000, maxMultigetHrefs: 50 },
    log: silent,
    quirks: [],
    quirkOptions: {},
    depth: '1',
    preferMinimal: false,
    requestHeaders: new Headers(),
    method: 'REPORT',
    ...overrides,
  };
}

/** The same backend without the optional `query` capability (the core must list + get). */
export function withoutQuery(backend: Backend): Backend {
  return new Proxy(backend, {
    get: (t, p) => (p === 'query' ? undefined : Reflect.get(t, p, t)),
    has: (t, p) => p !== 'query' && Reflect.has(t, p),
  });
}

/** Parses a REPORT body given as XML text. */
export const xml = (text: string): XmlElement => parseXml(text);

/** One `<D:response>` of a multistatus, flattened for assertions. */
export interface FlatResponse {
  href: string;
  /** Response-level status line, if any. */
  status?: string;
  /** Property Clark name → text value, per propstat status code. */
  props: Record<number, Record<string, string>>;
  /** Names of the condition elements in a response-level DAV:error. */
  errors: string[];
}

export function flatten(res: DavResponse): FlatResponse[] {
  const body = multistatusTree(res);
  if (res.status !== 207 || body.name !== dav('multistatus')) throw new Error(`not a multistatus: ${res.status}`);
  return childrenNamed(body, dav('response')).map((r) => {
    const props: FlatResponse['props'] = {};
    for (const ps of childrenNamed(r, dav('propstat'))) {
      const code = Number(textOf(child(ps, dav('status')) as XmlElement).split(' ')[1]);
      props[code] = Object.fromEntries(elements(child(ps, dav('prop')) as XmlElement).map((p) => [p.name, textOf(p)]));
    }
    const status = child(r, dav('status'));
    const error = child(r, dav('error'));
    return {
      href: textOf(child(r, dav('href')) as XmlElement),
      ...(status ? { status: textOf(status) } : {}),
      props,
      errors: error ? elements(error).map((e) => e.name) : [],
    };
  });
}
