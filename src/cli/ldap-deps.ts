// Wires the configured LDAP directory (config `ldap`) into the app: the read-only directory address
// book as a mount in every address book home, and — with `auth.backend: ldap` — bind authentication
// and the principal directory. Secrets (the service password) are read here from a file or an
// environment variable and handed to the adapter; they never reach a log line.
import { readFileSync } from 'node:fs';
import { openLdapDirectory } from '../../adapters/ldap/index.ts';
import type { AttributeMap, LdapDirectoryOptions } from '../../adapters/ldap/options.ts';
import { PRESETS } from '../../adapters/ldap/options.ts';
import { LdapUsers } from '../../adapters/ldap/users.ts';
import { ldapAuthenticator } from '../auth/ldap-auth.ts';
import type { Mount } from '../backend/mounts.ts';
import type { Config, LdapConfig } from '../config/schema.ts';
import type { Logger } from '../dav/context.ts';
import { CliError } from './io.ts';
import type { LdapParts, StoreWithLdap } from './ldap-parts.ts';
import { provisionUser } from './provision.ts';
import type { OpenedStore } from './runtime.ts';

export type { LdapParts, StoreWithLdap };

function secret(cfg: LdapConfig, env: NodeJS.ProcessEnv): string | undefined {
  if (cfg.bindPasswordFile) {
    try {
      return readFileSync(cfg.bindPasswordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new CliError(
        `ldap.bindPasswordFile: cannot read ${cfg.bindPasswordFile} (${(e as NodeJS.ErrnoException).code})`,
      );
    }
  }
  if (cfg.bindPasswordEnv) {
    const v = env[cfg.bindPasswordEnv];
    if (v === undefined) throw new CliError(`ldap.bindPasswordEnv: ${cfg.bindPasswordEnv} is not set`);
    return v;
  }
  return undefined;
}

/** The adapter's options from the validated configuration, secrets resolved. */
export function ldapOptions(cfg: LdapConfig, env: NodeJS.ProcessEnv = process.env): LdapDirectoryOptions {
  const preset = PRESETS[cfg.preset];
  let ca: string[] = [];
  if (cfg.caFile) {
    try {
      ca = [readFileSync(cfg.caFile, 'utf8')];
    } catch (e) {
      throw new CliError(`ldap.caFile: cannot read ${cfg.caFile} (${(e as NodeJS.ErrnoException).code})`);
    }
  }
  const attributes: AttributeMap = { ...preset.attributes, ...(cfg.attributes ?? {}) };
  const partitionAttribute = cfg.partitionAttribute ?? preset.partition.attribute;
  return {
    connection: {
      urls: cfg.urls,
      startTls: cfg.startTls,
      ca,
      rejectUnauthorized: cfg.verifyCertificate,
      ...(cfg.bindDn ? { bindDn: cfg.bindDn, bindPassword: secret(cfg, env) ?? '' } : {}),
      connectTimeoutMs: cfg.connectTimeoutMs,
      timeoutMs: cfg.timeoutMs,
      poolSize: cfg.poolSize,
    },
    id: `ldap:${cfg.addressBook.id}`,
    collection: cfg.addressBook.id,
    displayName: cfg.addressBook.displayName,
    ...(cfg.addressBook.description ? { description: cfg.addressBook.description } : {}),
    baseDn: cfg.baseDn,
    scope: cfg.scope,
    peopleFilter: cfg.peopleFilter ?? preset.peopleFilter,
    groups: {
      enabled: cfg.groups.enabled,
      baseDn: cfg.groups.baseDn ?? cfg.baseDn,
      scope: cfg.groups.scope,
      filter: cfg.groups.filter ?? preset.groupFilter,
    },
    idAttribute: cfg.idAttribute ?? preset.idAttribute,
    etagAttributes: cfg.etagAttributes ?? preset.etagAttributes,
    partition: {
      attribute: partitionAttribute,
      kind:
        cfg.partitionKind ??
        (partitionAttribute === preset.partition.attribute ? preset.partition.kind : 'generalizedTime'),
    },
    changeProbe: cfg.changeProbe,
    pageSize: cfg.pageSize,
    timeLimitSeconds: cfg.timeLimitSeconds,
    attributes,
    vcardVersion: cfg.vcardVersion,
    ...(cfg.perUserFilter ? { perUserFilter: cfg.perUserFilter } : {}),
    users: {
      baseDn: cfg.users.baseDn ?? cfg.baseDn,
      scope: cfg.users.scope,
      filter: cfg.users.filter ?? preset.userFilter,
    },
    listingMaxAgeSeconds: cfg.listingMaxAgeSeconds,
    cacheMegabytes: cfg.cacheMegabytes,
    prefetch: cfg.prefetch,
  };
}

/**
 * Opens the directory when configured and attaches it to the store (closing the store closes the
 * LDAP connections too). Nothing is contacted yet: connections open on first use.
 */
export function attachLdap(config: Config, store: OpenedStore, log?: Logger, env = process.env): StoreWithLdap {
  const cfg = config.ldap;
  if (!cfg?.enabled) return store;
  const opts = ldapOptions(cfg, env);
  const dir = openLdapDirectory(opts, log);
  let prefetched = true;
  if (opts.prefetch && !opts.perUserFilter && (opts.cacheMegabytes ?? 0) > 0) {
    // In the background: the process starts at once, /readyz says "not ready" until the cache is warm,
    // and a failed prefetch only costs speed.
    prefetched = false;
    dir.backend
      .prefetch()
      .catch((e) => log?.warn('LDAP prefetch failed', { error: (e as Error).message }))
      .finally(() => {
        prefetched = true;
      });
  }
  const mount: Mount = { id: 'ldap', backend: dir.backend, homes: ['addressbooks'], collections: [opts.collection] };
  const parts: LdapParts = { mount, ready: () => prefetched };
  if (config.auth.backend === 'ldap') {
    const users = new LdapUsers(dir.backend, dir.connections, opts);
    const verify = ldapAuthenticator(users, log ? { log } : {});
    // Directory users get the default calendar and address book on their first successful login.
    const provisioned = new Set<string>();
    parts.authenticator = {
      async verify(user, password) {
        const ok = await verify.verify(user, password);
        if (ok && !provisioned.has(user)) {
          provisioned.add(user);
          await provisionUser(store.backend, user).catch((e) =>
            log?.warn('provisioning a directory user failed', { user, error: (e as Error).message }),
          );
        }
        return ok;
      },
    };
    parts.directory = {
      exists: async (name) => (await users.find(name)) !== undefined,
      displayName: async (name) => (await users.find(name))?.displayName ?? name,
      addresses: async (name) => ((await users.find(name))?.emails ?? []).map((m) => `mailto:${m}`),
    };
  }
  const closeStore = store.close.bind(store);
  return {
    ...store,
    ldap: parts,
    close: async () => {
      await dir.close();
      await closeStore();
    },
  };
}

export { ldapAppDeps } from './ldap-parts.ts';
