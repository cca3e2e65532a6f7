// Test helpers for the CalDAV module: a DavContext builder, an in-memory fake Backend and fixture
// loading. Not imported by production code.
import { readFileSync } from 'node:fs';
import { MountRouter } from '../backend/mounts.ts';
import type { Backend } from '../backend/port.ts';
import { BackendError } from '../backend/port.ts';
import type {
  CollectionInfo,
  CollectionRef,
  ObjectRef,
  PutInput,
  PutResult,
  QueryResult,
  StoredObject,
  WritePreconditions,
} from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import { multistatusTree } from '../dav/multistatus-tree.ts';
import { Hrefs } from '../dav/path.ts';
import { PropertyRegistry } from '../dav/props/registry.ts';
import { ReportRegistry } from '../dav/reports/registry.ts';
import type { DavResponse } from '../dav/response.ts';
import { dav } from '../dav/xml/names.ts';
import { child, childrenNamed, elements, textOf, type XmlElement } from '../dav/xml/tree.ts';
import type { StateStore } from '../state/store.ts';

export function fixture(path: string): string {
  return readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
}

export const RFC_FIXTURES = ['abcd1', 'abcd2', 'abcd3', 'abcd4', 'abcd5', 'abcd6', 'abcd7', 'abcd8'];

const noopLog = { debug() {}, info() {}, warn() {}, error() {} };

const nullState: StateStore = {
  epoch: async () => 'test',
  getSnapshot: async () => undefined,
  commitSnapshot: async () => 0,
  changesSince: async () => [],
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  ping: async () => true,
  close: async () => {},
};

/** A DavContext with an empty registry and a fake backend for every home; override what a test needs. */
export function testContext(overrides: Partial<DavContext> & { backend?: Backend } = {}): DavContext {
  const { backend, ...rest } = overrides;
  const b = backend ?? new FakeBackend();
  const ctx: DavContext = {
    hooks: { validators: {}, contentTypes: {} },
    user: 'alice',
    hrefs: new Hrefs('/dav'),
    backends: new MountRouter([{ id: 'test', backend: b }]),
    users: {
      exists: async () => true,
      displayName: async (u) => u,
      addresses: async (u) => [`mailto:${u}@example.org`],
    },
    state: nullState,
    props: new PropertyRegistry(),
    reports: new ReportRegistry(),
    limits: { maxResourceSize: 1_000_000, maxBodySize: 10_000_000, maxMultigetHrefs: 1000 },
    log: noopLog,
    quirks: [],
    quirkOptions: {},
    depth: undefined,
    preferMinimal: false,
    requestHeaders: new Headers(),
    method: 'REPORT',
    ...rest,
  };
  return ctx;
}

export function calendarInfo(id = 'work', extra: Partial<CollectionInfo> = {}): CollectionInfo {
  return { ref: { owner: 'alice', home: 'calendars', id }, kind: 'calendar', deadProps: {}, ...extra };
}

const enc = new TextEncoder();

function refKey(ref: CollectionRef): string {
  return `${ref.owner}/${ref.home}/${ref.id}`;
}

/** Minimal in-memory Backend (the shared MemoryBackend lives in adapters/memory). */
export class FakeBackend implements Backend {
  readonly id = 'fake';
  readonly collections = new Map<string, CollectionInfo>();
  readonly objects = new Map<string, Map<string, StoredObject>>();
  /** Records calls to `query` so tests can check pre-filter use. */
  readonly queries: unknown[] = [];
  query?: Backend['query'];
  private n = 0;

  constructor(opts: { withQuery?: boolean } = {}) {
    if (opts.withQuery) {
      this.query = async (ref, q): Promise<QueryResult> => {
        this.queries.push(q);
        return { items: [...(this.objects.get(refKey(ref))?.values() ?? [])], exact: false };
      };
    }
  }

  addCollection(info: CollectionInfo): this {
    this.collections.set(refKey(info.ref), info);
    this.objects.set(refKey(info.ref), new Map());
    return this;
  }

  addObject(ref: CollectionRef, name: string, text: string): this {
    const etag = `e${++this.n}`;
    this.objects.get(refKey(ref))?.set(name, {
      name,
      etag,
      body: enc.encode(text),
      contentType: 'text/calendar; charset=utf-8',
      lastModified: new Date(0),
      deadProps: {},
    });
    return this;
  }

  async listCollections(owner: string): Promise<CollectionInfo[]> {
    return [...this.collections.values()].filter((c) => c.ref.owner === owner);
  }
  async getCollection(ref: CollectionRef): Promise<CollectionInfo | undefined> {
    return this.collections.get(refKey(ref));
  }
  async *listObjects(ref: CollectionRef): AsyncIterable<ObjectRef> {
    for (const o of this.objects.get(refKey(ref))?.values() ?? []) yield { name: o.name, etag: o.etag };
  }
  async getObjects(ref: CollectionRef, names: string[]): Promise<StoredObject[]> {
    const m = this.objects.get(refKey(ref));
    return names.flatMap((n) => (m?.get(n) ? [m.get(n) as StoredObject] : []));
  }
  async putObject(ref: CollectionRef, name: string, input: PutInput, _pre: WritePreconditions): Promise<PutResult> {
    const m = this.objects.get(refKey(ref));
    if (!m) throw new BackendError('not-found', 'no collection');
    const created = !m.has(name);
    this.addObject(ref, name, new TextDecoder().decode(input.body));
    return { etag: m.get(name)?.etag ?? '', created };
  }
  async deleteObject(ref: CollectionRef, name: string): Promise<void> {
    if (!this.objects.get(refKey(ref))?.delete(name)) throw new BackendError('not-found', 'no object');
  }
}

/** One multistatus response, flattened for assertions. */
export interface ResponseSummary {
  href: string;
  /** Response-level status code, when the response has no propstat. */
  status?: number;
  /** Properties by Clark name with their propstat status. */
  props: Record<string, { status: number; value: XmlElement }>;
}

function statusCode(e: XmlElement | undefined): number | undefined {
  const m = e ? /HTTP\/1\.1 (\d{3})/.exec(textOf(e)) : null;
  return m ? Number(m[1]) : undefined;
}

/** Flattens a 207 multistatus DavResponse for assertions. */
export function summarize(res: DavResponse): ResponseSummary[] {
  if (res.status !== 207) throw new Error(`expected a 207 multistatus, got ${res.status}`);
  const body = multistatusTree(res);
  return childrenNamed(body, dav('response')).map((r) => {
    const props: ResponseSummary['props'] = {};
    for (const ps of childrenNamed(r, dav('propstat'))) {
      const status = statusCode(child(ps, dav('status'))) ?? 0;
      for (const p of elements(child(ps, dav('prop')) ?? ps)) props[p.name] = { status, value: p };
    }
    return { href: textOf(child(r, dav('href')) as XmlElement), status: statusCode(child(r, dav('status'))), props };
  });
}

/** The Europe/Vienna VTIMEZONE as clients send it (content lines, without line ends). */
export const VIENNA_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Vienna',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];
