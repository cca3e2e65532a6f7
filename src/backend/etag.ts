// Content-derived entity tags (RFC 9110 §8.8.3, DESIGN.md §Sync and ETags): for backends that have no
// native version marker, the ETag is a hash of the stored bytes, so it is stable for unchanged content
// and valid on every replica without shared state.
import { hash } from 'node:crypto';

/** Length of the tag: 27 base64url characters = 162 bits of SHA-256, ample against collisions. */
const ETAG_LENGTH = 27;

/**
 * Strong entity tag for a body: base64url(SHA-256(bytes)) truncated to 27 characters. Unquoted; the HTTP
 * layer adds the quotes. Identical bytes always give the same tag; any change of a byte changes it.
 */
export function contentEtag(bytes: Uint8Array): string {
  // One-shot hash: no Hash object per call (every PUT and content-hashed listing computes it).
  return hash('sha256', bytes, 'base64url').slice(0, ETAG_LENGTH);
}
