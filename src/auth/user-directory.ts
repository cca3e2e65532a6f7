// Adapts the UserStore to the core's UserDirectory (principal names, display names, addresses).
import type { UserDirectory } from '../dav/context.ts';
import type { UserStore } from './user-store.ts';

export function userDirectory(users: UserStore): UserDirectory {
  return {
    exists: async (name) => (await users.get(name)) !== undefined,
    displayName: async (name) => (await users.get(name))?.displayName || name,
    addresses: async (name) => {
      const u = await users.get(name);
      return u?.email ? [`mailto:${u.email}`] : [];
    },
  };
}
