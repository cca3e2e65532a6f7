// Opaque sync tokens (RFC 6578 §3.2: a URI, opaque to clients). A token wraps the backend's own
// token (native feed) or a state-store sequence (snapshot feed, bound to the store's epoch), and,
// for a truncated response (§3.6), the continuation: deltas since `f` except names <= `a` that
// have not changed since `t`.
import { DavError } from '../dav-error.ts';
import { dav } from '../xml/names.ts';

const PREFIX = 'http://davgate.invalid/sync/';

export interface SyncCursor {
  /** Backend mount id. */
  b: string;
  /** Backend (or snapshot) token of the state this cursor describes. */
  t: string;
  /** Store epoch, for snapshot-fed collections. */
  e?: string;
  /** Continuation: the token the truncated delta started from ('' = initial sync). */
  f?: string;
  /** Continuation: last name delivered (names sorted by code unit). */
  a?: string;
}

export function encodeToken(c: SyncCursor): string {
  return PREFIX + Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function invalidSyncToken(message = 'invalid sync token'): DavError {
  return new DavError(403, dav('valid-sync-token'), message);
}

/** Whether a client token is one davgate handed out (else it may be a foreign token a backend adopts). */
export const isOwnToken = (token: string): boolean => token.startsWith(PREFIX);

/** Decodes a client token; anything unrecognisable is 403 valid-sync-token. */
export function decodeToken(token: string): SyncCursor {
  if (!token.startsWith(PREFIX)) throw invalidSyncToken();
  try {
    const v = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8')) as SyncCursor;
    if (typeof v.b !== 'string' || typeof v.t !== 'string') throw new Error('shape');
    return v;
  } catch {
    throw invalidSyncToken();
  }
}
