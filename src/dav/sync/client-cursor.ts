// The cursor a client's sync-collection token stands for (RFC 6578 §3.2): davgate's own opaque token, or a
// foreign token the collection's backend adopts — a client that synced against the server previously in
// front of the same data (Baïkal's http://sabre.io/ns/sync/<N>) continues from there instead of resyncing.
import type { Backend } from '../../backend/port.ts';
import type { CollectionRef } from '../../backend/types.ts';
import { decodeToken, invalidSyncToken, isOwnToken, type SyncCursor } from './token.ts';

/** The cursor for a non-empty client token; 403 valid-sync-token when neither davgate nor the backend knows it. */
export async function clientCursor(backend: Backend, ref: CollectionRef, token: string): Promise<SyncCursor> {
  if (isOwnToken(token) || !backend.adoptToken || !backend.changesSince) return decodeToken(token);
  const adopted = await backend.adoptToken(ref, token);
  if (adopted === undefined) throw invalidSyncToken('unknown sync token');
  return { b: backend.id, t: adopted };
}
