// Maps the validated configuration onto buildApp's dependencies (src/app.ts).
import type { AppDeps } from '../app.ts';
import type { Backend } from '../backend/port.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../dav/context.ts';
import { quirkDepsFrom } from '../quirks/config.ts';
import type { StateStore } from '../state/store.ts';
import { ldapAppDeps } from './ldap-parts.ts';
import type { OpenedStore } from './runtime.ts';
import { appPrefix } from './urls.ts';

export function appDepsFrom(config: Config, store: OpenedStore, state: StateStore, log: Logger): AppDeps {
  const backend = config.storage.changeFeed === 'snapshot' ? withoutNativeFeed(store.backend) : store.backend;
  return {
    prefix: appPrefix(config),
    backend,
    users: store.users,
    state,
    log,
    limits: config.limits,
    auth: config.auth,
    ...quirkDepsFrom(config.quirks),
    ready: () => backendReady(backend),
    // The LDAP directory (when configured): its mount, authentication, and readiness after its prefetch.
    ...ldapAppDeps(store, () => backendReady(backend)),
  };
}

/**
 * The backend seen without its native change feed (storage.changeFeed: snapshot): sync-collection and
 * getctag then use the snapshot feed over the state store (src/backend/snapshot-sync.ts).
 */
export function withoutNativeFeed(backend: Backend): Backend {
  return new Proxy(backend, {
    get(target, prop) {
      if (prop === 'changesSince' || prop === 'currentToken') return undefined;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
    has: (target, prop) => prop !== 'changesSince' && prop !== 'currentToken' && Reflect.has(target, prop),
  });
}

const READY_TIMEOUT_MS = 2000;

/** /readyz: the backend answers a cheap listing (an owner that has no collections) within 2 s. */
export async function backendReady(backend: Backend): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    });
    const probe = backend.listCollections('davgate-readiness-probe', 'calendars').then(() => true);
    return await Promise.race([probe, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
