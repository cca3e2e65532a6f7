// What the LDAP directory adds to the opened store and to the app (ldap-deps.ts builds it). Apart from
// ldap-deps.ts so that a server without a directory never loads the LDAP client (start-up memory).
import type { AppDeps } from '../app.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Mount } from '../backend/mounts.ts';
import type { UserDirectory } from '../dav/context.ts';
import type { OpenedStore } from './runtime.ts';

/** What the directory adds to the opened store. */
export interface LdapParts {
  mount: Mount;
  /** False while the start-up prefetch runs (readiness: traffic waits for a warm directory). */
  ready(): boolean;
  authenticator?: Authenticator;
  directory?: UserDirectory;
}

export type StoreWithLdap = OpenedStore & { ldap?: LdapParts };

/** The AppDeps members the directory contributes (none when it is not configured). */
export function ldapAppDeps(store: StoreWithLdap, ready?: () => Promise<boolean>): Partial<AppDeps> {
  const l = store.ldap;
  if (!l) return {};
  return {
    mounts: [l.mount],
    ready: async () => l.ready() && (ready ? await ready() : true),
    ...(l.authenticator ? { authenticator: l.authenticator } : {}),
    ...(l.directory ? { directory: l.directory } : {}),
  };
}
