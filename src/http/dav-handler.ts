// Turns a Hono request into a DavContext + MethodRequest, dispatches on the method, and turns the
// DavResponse (or DavError) into a Response.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { type AggregateOptions, aggregatingRouter } from '../backend/aggregate.ts';
import type { BackendRouter, CoreHooks, DavContext, Limits, Logger, UserDirectory } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import { copyMove } from '../dav/methods/copy-move.ts';
import { del } from '../dav/methods/delete.ts';
import { get } from '../dav/methods/get.ts';
import { mkcalendar, mkcol } from '../dav/methods/mkcol.ts';
import { ALLOWED_METHODS, DAV_COMPLIANCE, options } from '../dav/methods/options.ts';
import { propfind } from '../dav/methods/propfind.ts';
import { proppatch } from '../dav/methods/proppatch.ts';
import { put } from '../dav/methods/put.ts';
import { report } from '../dav/methods/report.ts';
import { type MethodRequest, parseDepth } from '../dav/methods/request.ts';
import { type DavPath, type Hrefs, parseDavPath } from '../dav/path.ts';
import type { PropertyRegistry } from '../dav/props/registry.ts';
import type { ReportRegistry } from '../dav/reports/registry.ts';
import { type DavResponse, isXmlChunks, type XmlChunk, type XmlChunks } from '../dav/response.ts';
import { isElement } from '../dav/xml/tree.ts';
import { writeXml } from '../dav/xml/write.ts';
import { mergeOptions } from '../quirks/detect.ts';
import { applyRequestHooks, applyResponseHooks } from '../quirks/middleware.ts';
import type { QuirkOptions, QuirkProfile } from '../quirks/profile.ts';
import { representationKeys } from '../quirks/representation.ts';
import type { StateStore } from '../state/store.ts';
import { readBody } from './body.ts';
import type { AppEnv } from './env.ts';
import { errorResponse } from './errors.ts';

export interface DavServices {
  hrefs: Hrefs;
  backends: BackendRouter;
  users: UserDirectory;
  state: StateStore;
  props: PropertyRegistry;
  reports: ReportRegistry;
  hooks: CoreHooks;
  limits: Limits;
  log: Logger;
  /** The aggregated address book shown to clients whose profile asks for it (quirks Q22). */
  aggregate: AggregateOptions;
}

type Handler = (ctx: DavContext, req: MethodRequest) => Promise<DavResponse>;

const HANDLERS: Record<string, Handler> = {
  OPTIONS: async () => options(),
  PROPFIND: propfind,
  PROPPATCH: proppatch,
  GET: get,
  HEAD: get,
  PUT: put,
  DELETE: del,
  MKCOL: mkcol,
  MKCALENDAR: mkcalendar,
  COPY: copyMove,
  MOVE: copyMove,
  REPORT: report,
};

/**
 * The body stream of a multistatus still being written: one chunk is produced per pull, so the
 * producer (and the backend reads behind it) runs only as fast as the socket drains. An error after
 * the first byte can only abort the body (the status is sent); it is logged.
 */
function chunkStream(body: XmlChunks, rest: AsyncIterator<XmlChunk, undefined>, log?: Logger): ReadableStream {
  let head: XmlChunk | undefined = body.head;
  // The multistatus writer's chunks are bytes already (enqueued as they are); a string is encoded.
  const chunkBytes = (c: XmlChunk): Uint8Array => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (head !== undefined) {
        controller.enqueue(chunkBytes(head));
        head = undefined;
        return;
      }
      try {
        const n = await rest.next();
        if (n.done) controller.close();
        else controller.enqueue(chunkBytes(n.value));
      } catch (e) {
        log?.error('multistatus aborted after its first bytes', { error: e instanceof Error ? e.message : String(e) });
        controller.error(e);
      }
    },
    async cancel() {
      await rest.return?.();
    },
  });
}

/**
 * The Response for a DavResponse plus `extra` headers. Headers stay a plain record: @hono/node-server
 * writes such a record as it is (a Headers object is converted on every response; GET throughput).
 */
export function toResponse(r: DavResponse, extra: Record<string, string> = {}, log?: Logger, http10 = false): Response {
  const headers: Record<string, string> = { ...r.headers, ...extra };
  let body: ConstructorParameters<typeof Response>[0] = null;
  if (r.body !== undefined) {
    if (typeof r.body === 'string') body = r.body;
    else if (r.body instanceof Uint8Array) body = r.body as Uint8Array<ArrayBuffer>;
    else if (isXmlChunks(r.body)) {
      if (r.body.rest) {
        body = chunkStream(r.body, r.body.rest, log);
        // Declared up front: @hono/node-server otherwise waits a timer turn for a second chunk to
        // decide on a Content-Length before writing anything (about 1 ms per streamed answer).
        if (!http10) headers['Transfer-Encoding'] = 'chunked';
      } else body = r.body.head as string | Uint8Array<ArrayBuffer>;
      headers['Content-Type'] = 'application/xml; charset=utf-8';
    } else if (isElement(r.body)) {
      body = writeXml(r.body);
      headers['Content-Type'] = 'application/xml; charset=utf-8';
    }
  }
  // A bodiless answer (201, 207-less errors, HEAD keeps its own length) says so: without a length Node
  // frames it as an empty chunked body.
  if (body === null && r.status !== 204 && r.status !== 304 && !('Content-Length' in headers))
    headers['Content-Length'] = '0';
  return new Response(body, { status: r.status, headers });
}

function preferMinimal(h: Headers): boolean {
  const prefer = h.get('prefer');
  const brief = h.get('brief');
  if (prefer === null && brief === null) return false;
  return (
    /return\s*=\s*minimal/i.test(prefer ?? '') ||
    /return-minimal/i.test(prefer ?? '') ||
    (brief ?? '').trim().toLowerCase() === 't'
  );
}

/** Request paths that WHATWG URL parsing leaves unchanged: no dot segments, nothing it would escape. */
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * The pathname of an absolute request URL without parsing it, when parsing would not change it;
 * undefined otherwise (the caller parses). Same answer as `new URL(href).pathname` (dav-handler.test.ts).
 */
export function plainPathname(href: string): string | undefined {
  const start = href.indexOf('/', href.indexOf('//') + 2);
  if (start < 0) return undefined;
  const q = href.indexOf('?', start);
  const path = q < 0 ? href.slice(start) : href.slice(start, q);
  return PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path) ? path : undefined;
}

/** Whether the request came over HTTP/1.0 (no chunked bodies; node server only, tests have no env). */
/** Node's request under @hono/node-server (`davgate serve`); undefined for app.request and other runtimes. */
function incomingOf(c: Context<AppEnv>): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

function isHttp10(c: Context<AppEnv>): boolean {
  return incomingOf(c)?.httpVersion === '1.0';
}

/** Merged quirk options per active-profile list (the quirks middleware reuses one list per User-Agent). */
const optionsCache = new WeakMap<QuirkProfile[], QuirkOptions>();
function quirkOptionsOf(quirks: QuirkProfile[]): QuirkOptions {
  let o = optionsCache.get(quirks);
  if (!o) {
    o = mergeOptions(quirks);
    optionsCache.set(quirks, o);
  }
  return o;
}

/**
 * Handles one DAV request. `pathOverride` serves PROPFIND on `/` and `/.well-known/*` as the root
 * (Apple clients ask there and do not always follow redirects).
 */
export async function handleDav(c: Context<AppEnv>, svc: DavServices, pathOverride?: DavPath): Promise<Response> {
  const method = c.req.method.toUpperCase();
  const requestId = c.get('requestId');
  c.set('davHandled', true);
  const quirks: QuirkProfile[] = c.get('quirks') ?? [];
  const href = c.req.url;
  let url: URL | undefined;
  let pathname = plainPathname(href);
  if (pathname === undefined) {
    url = new URL(href);
    pathname = url.pathname;
  }
  const hookRequest = { method, path: pathname, headers: c.req.raw.headers };
  try {
    const path = pathOverride ?? parseDavPath(pathname, svc.hrefs.prefix);
    if (!path) throw new DavError(404, undefined, 'not found');
    const handler = HANDLERS[method];
    if (!handler) {
      return new Response('method not allowed\n', { status: 405, headers: { Allow: ALLOWED_METHODS } });
    }
    // Copy the headers only when a profile will rewrite them.
    const headers = quirks.some((q) => q.request)
      ? applyRequestHooks(quirks, method, pathname, new Headers(c.req.raw.headers))
      : c.req.raw.headers;
    const body =
      method === 'GET' || method === 'HEAD' || method === 'OPTIONS'
        ? new Uint8Array(0)
        : await readBody(c.req.raw, svc.limits.maxBodySize, incomingOf(c));
    const user = c.get('user');
    const quirkOptions = quirkOptionsOf(quirks);
    const ctx: DavContext = {
      ...svc,
      // The profile decides how the address-book home looks (quirks Q22); the core just resolves.
      backends: quirkOptions.aggregatedAddressBook
        ? aggregatingRouter(svc.backends, user, svc.aggregate)
        : svc.backends,
      user,
      quirks,
      quirkOptions,
      representationKeys: representationKeys(quirks, quirkOptions),
      depth: parseDepth(headers.get('depth')),
      preferMinimal: preferMinimal(headers),
      requestHeaders: headers,
      method,
    };
    // The parsed URL only for the methods that read it (Destination, fragments): parsing costs a GET.
    const req: MethodRequest = {
      method,
      get url() {
        url ??= new URL(href);
        return url;
      },
      path,
      headers,
      body,
    };
    const result = method === 'PROPFIND' && pathOverride ? await propfind(ctx, req, pathname) : await handler(ctx, req);
    // Headers go on the Response we build (never via c.header after the handler): touching a
    // finished response makes @hono/node-server copy its body through a stream (GET throughput).
    const extra: Record<string, string> = { 'X-Request-Id': requestId };
    if (method === 'PROPFIND' || method === 'REPORT') {
      // RFC 7240 §3 / quirks Q11: the answer depends on Brief and Prefer; Apple (and sabre's iCal
      // support) also read the DAV: compliance classes on PROPFIND answers (Q09).
      extra.Vary = 'Brief, Prefer';
      if (result.status === 207) extra.DAV = DAV_COMPLIANCE;
      if (ctx.preferMinimal && result.status === 207) extra['Preference-Applied'] = 'return=minimal';
    }
    const res = toResponse(result, extra, svc.log, isHttp10(c));
    return quirks.length ? applyResponseHooks(quirks, res, hookRequest) : res;
  } catch (e) {
    const res = errorResponse(e, svc.log, requestId);
    res.headers.set('X-Request-Id', requestId);
    return applyResponseHooks(quirks, res, hookRequest);
  }
}
