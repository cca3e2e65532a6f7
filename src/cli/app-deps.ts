// Maps the validated configuration onto buildApp's dependencies (src/app.ts).
import type { AppDeps } from '../app.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../dav/context.ts';
import type { StateStore } from '../state/store.ts';
import { ldapAppDeps } from './ldap-deps.ts';
import type { OpenedStore } from './runtime.ts';
import { appPrefix } from './urls.ts';

export function appDepsFrom(config: Config, store: OpenedStore, state: StateStore, log: Logger): AppDeps {
  return {
    prefix: appPrefix(config),
    backend: store.backend,
    users: store.users,
    state,
    log,
    limits: config.limits,
    auth: config.auth,
    ...ldapAppDeps(store),
  };
}
