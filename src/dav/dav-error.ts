// One error type for the whole DAV core: an HTTP status plus an optional precondition element
// (RFC 4918 §16, RFC 4791 §1.3, RFC 6352 §6.3.2.1). Mapped to a response in src/http/errors.ts.
import type { ClarkName } from './xml/names.ts';
import type { XmlNode } from './xml/tree.ts';

export class DavError extends Error {
  readonly status: number;
  /** Precondition/postcondition element placed inside `<D:error>`, e.g. `{urn:ietf:params:xml:ns:caldav}valid-calendar-data`. */
  readonly condition: ClarkName | undefined;
  /** Children of the condition element (e.g. the conflicting `<D:href>` of `no-uid-conflict`). */
  readonly conditionChildren: XmlNode[];
  /** Extra response headers (e.g. Retry-After on 503). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    condition?: ClarkName,
    message?: string,
    opts: { children?: XmlNode[]; headers?: Record<string, string> } = {},
  ) {
    // A client error is an expected answer (a stale If-Match is 412 for most writes under contention), not a
    // fault to trace: no stack is captured for it, which is most of what constructing an Error costs in V8.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    try {
      super(message ?? `HTTP ${status}`);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.status = status;
    this.condition = condition;
    this.conditionChildren = opts.children ?? [];
    this.headers = opts.headers ?? {};
  }
}

/** A backend that could not answer (outage, timeout): 503 with Retry-After unless told otherwise. */
export class BackendUnavailableError extends DavError {
  constructor(message: string, retryAfterSeconds = 5, status: 502 | 503 = 503) {
    super(status, undefined, message, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}
