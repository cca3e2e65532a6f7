// Builds the LDAP directory adapter from resolved options (src/main.ts wires it as a mount).
import { LdapConnections, type LdapLogger } from './connection.ts';
import { LdapBackend } from './ldap-backend.ts';
import type { LdapDirectoryOptions } from './options.ts';

export { LdapBackend } from './ldap-backend.ts';
export { type LdapDirectoryOptions, type MappingPreset, PRESETS } from './options.ts';

export interface LdapDirectory {
  backend: LdapBackend;
  connections: LdapConnections;
  close(): Promise<void>;
}

export function openLdapDirectory(opts: LdapDirectoryOptions, log?: LdapLogger): LdapDirectory {
  const connections = new LdapConnections(opts.connection, log);
  const backend = new LdapBackend(connections, opts, log);
  return { backend, connections, close: () => connections.close() };
}
