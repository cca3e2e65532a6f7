// The one place where errors become HTTP answers (DESIGN.md §Central interfaces 7): DavError → status
// plus `<D:error>` with the precondition element (RFC 4918 §16); anything unexpected → 500, logged.
import { BackendError } from '../backend/port.ts';
import type { Logger } from '../dav/context.ts';
import { BackendUnavailableError, DavError } from '../dav/dav-error.ts';
import { davErrorFromBackend } from '../dav/methods/request.ts';
import { dav } from '../dav/xml/names.ts';
import { el } from '../dav/xml/tree.ts';
import { writeXml } from '../dav/xml/write.ts';
import { StateUnavailableError } from '../state/store.ts';

/** The state store is unreachable: only what needs it (sync-collection, getctag) gets here. Retry later. */
function stateUnavailable(err: StateUnavailableError, log: Logger, requestId: string): DavError {
  // The store logs the outage itself (rate-limited); per request the access log's 503 is enough.
  log.debug('state store unavailable', { requestId, error: err.message });
  return new BackendUnavailableError('sync state temporarily unavailable', err.retryAfterSeconds, 503);
}

export function errorResponse(err: unknown, log: Logger, requestId: string): Response {
  // Adapter errors that escaped a handler (e.g. during path resolution) map like any other.
  const e =
    err instanceof BackendError
      ? davErrorFromBackend(err)
      : err instanceof StateUnavailableError
        ? stateUnavailable(err, log, requestId)
        : err;
  if (e instanceof DavError) {
    const headers = new Headers(e.headers);
    if (e.condition) {
      headers.set('Content-Type', 'application/xml; charset=utf-8');
      const body = writeXml(el(dav('error'), [el(e.condition, e.conditionChildren)]));
      return new Response(body, { status: e.status, headers });
    }
    if (e.status === 304 || e.status === 204) return new Response(null, { status: e.status, headers });
    headers.set('Content-Type', 'text/plain; charset=utf-8');
    return new Response(`${e.message}\n`, { status: e.status, headers });
  }
  log.error('unhandled error', { requestId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  return new Response('internal error\n', { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
