// The client token → cursor step of sync-collection: davgate's own tokens decode as before; a foreign token
// goes to the backend's adoptToken (only with a native feed); anything not adopted is 403 valid-sync-token.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Backend } from '../../backend/port.ts';
import type { CollectionRef } from '../../backend/types.ts';
import { DavError } from '../dav-error.ts';
import { dav } from '../xml/names.ts';
import { clientCursor } from './client-cursor.ts';
import { encodeToken } from './token.ts';

const REF: CollectionRef = { owner: 'alice', home: 'calendars', id: 'default' };
const FOREIGN = 'http://sabre.io/ns/sync/4';

/** A backend whose only behaviour here is its feed and adoptToken (the rest is never called). */
function backend(opts: { feed?: boolean; adopt?: boolean }, asked: string[] = []): Backend {
  const b = { id: 'sabredav' } as Record<string, unknown>;
  if (opts.feed) b.changesSince = async () => 'invalid-token';
  if (opts.adopt)
    b.adoptToken = async (ref: CollectionRef, token: string) => {
      asked.push(`${ref.id} ${token}`);
      return token === FOREIGN ? '7:4' : undefined;
    };
  return b as unknown as Backend;
}

const isInvalidToken = (e: unknown) =>
  e instanceof DavError && e.status === 403 && e.condition === dav('valid-sync-token');

describe('sync-collection client cursor', () => {
  test('a davgate token decodes without asking the backend', async () => {
    const asked: string[] = [];
    const own = encodeToken({ b: 'sabredav', t: '7:5:abc' });
    assert.deepEqual(await clientCursor(backend({ feed: true, adopt: true }, asked), REF, own), {
      b: 'sabredav',
      t: '7:5:abc',
    });
    assert.deepEqual(asked, []);
  });

  test('a foreign token the backend adopts continues as its backend token', async () => {
    const asked: string[] = [];
    assert.deepEqual(await clientCursor(backend({ feed: true, adopt: true }, asked), REF, FOREIGN), {
      b: 'sabredav',
      t: '7:4',
    });
    assert.deepEqual(asked, [`default ${FOREIGN}`]);
  });

  test('RFC 6578 §3.2: a foreign token not adopted, or a backend without adoptToken or feed → 403 valid-sync-token', async () => {
    await assert.rejects(
      clientCursor(backend({ feed: true, adopt: true }), REF, 'http://example.com/sync/4'),
      isInvalidToken,
    );
    await assert.rejects(clientCursor(backend({ feed: true }), REF, FOREIGN), isInvalidToken);
    await assert.rejects(clientCursor(backend({ adopt: true }), REF, FOREIGN), isInvalidToken);
  });
});
