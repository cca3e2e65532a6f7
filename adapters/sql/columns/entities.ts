// Several mapped entities (e.g. an appointments table and a tasks table) served as one backend: each
// entity owns its own calendar collections, and every call is routed to the entity whose collection the
// ref names. The change feed is offered only when every entity has one (else the core's snapshot sync
// serves them all, which is exact for each).
import { type Backend, BackendError } from '../../../src/backend/port.ts';
import type { CollectionRef } from '../../../src/backend/types.ts';

export function combineEntityBackends(parts: Backend[], id: string): Backend {
  async function route(ref: CollectionRef): Promise<Backend> {
    for (const b of parts) if (await b.getCollection(ref)) return b;
    throw new BackendError('not-found', 'no such collection');
  }
  const combined: Backend = {
    id,
    async listCollections(owner, home) {
      return (await Promise.all(parts.map((b) => b.listCollections(owner, home)))).flat();
    },
    async getCollection(ref) {
      for (const b of parts) {
        const c = await b.getCollection(ref);
        if (c) return c;
      }
      return undefined;
    },
    async *listObjects(ref) {
      yield* (await route(ref)).listObjects(ref);
    },
    getObjects: async (ref, names) => (await route(ref)).getObjects(ref, names),
    putObject: async (ref, name, input, pre) => (await route(ref)).putObject(ref, name, input, pre),
    deleteObject: async (ref, name, pre) => (await route(ref)).deleteObject(ref, name, pre),
    findByUid: async (ref, uid) => (await route(ref)).findByUid?.(ref, uid),
  };
  if (parts.every((b) => b.changesSince && b.currentToken)) {
    combined.changesSince = async (ref, since) => {
      const b = await route(ref);
      return b.changesSince ? b.changesSince(ref, since) : 'invalid-token';
    };
    combined.currentToken = async (ref) => (await route(ref)).currentToken?.(ref) ?? '';
  }
  return combined;
}
