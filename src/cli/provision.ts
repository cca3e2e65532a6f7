// What a new user gets (issue: "a new user gets a default calendar (VEVENT+VTODO) and a default address
// book"). Idempotent: a user who already has a calendar or an address book gets no second one.
import type { Backend } from '../backend/port.ts';
import { BackendError } from '../backend/port.ts';
import type { CollectionKind, CollectionPatch, CollectionRef, HomeKind } from '../backend/types.ts';

interface DefaultCollection {
  home: HomeKind;
  id: string;
  kind: CollectionKind;
  patch: CollectionPatch;
}

export const DEFAULT_COLLECTIONS: readonly DefaultCollection[] = [
  {
    home: 'calendars',
    id: 'calendar',
    kind: 'calendar',
    patch: { displayName: 'Calendar', components: ['VEVENT', 'VTODO'] },
  },
  { home: 'addressbooks', id: 'contacts', kind: 'addressbook', patch: { displayName: 'Contacts' } },
];

/**
 * Creates the default calendar and address book of `name` where the home has none of that kind.
 * Returns the refs created (empty when the backend cannot create collections or nothing was missing).
 */
export async function provisionUser(backend: Backend, name: string): Promise<CollectionRef[]> {
  const admin = backend.admin;
  if (!admin || backend.readonly) return [];
  const created: CollectionRef[] = [];
  for (const d of DEFAULT_COLLECTIONS) {
    const existing = await backend.listCollections(name, d.home);
    if (existing.some((c) => c.kind === d.kind)) continue;
    const ref: CollectionRef = { owner: name, home: d.home, id: d.id };
    try {
      await admin.createCollection(ref, d.kind, d.patch);
      created.push(ref);
    } catch (err) {
      // A plain collection already holding the id, or a concurrent provisioning: leave it be.
      if (!(err instanceof BackendError && err.code === 'exists')) throw err;
    }
  }
  return created;
}
