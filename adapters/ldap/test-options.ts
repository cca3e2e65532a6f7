// Options for the LDAP adapter against the test slapd (test/support/slapd.ts). Not used in production.
import type { LdapDirectoryOptions } from './options.ts';
import { PRESETS } from './options.ts';

export interface TestDirectory {
  url: string;
  serviceDn: string;
  servicePassword: string;
}

export function testLdapOptions(s: TestDirectory, over: Partial<LdapDirectoryOptions> = {}): LdapDirectoryOptions {
  const p = PRESETS.inetOrgPerson;
  return {
    connection: {
      urls: [s.url],
      startTls: false,
      ca: [],
      rejectUnauthorized: true,
      bindDn: s.serviceDn,
      bindPassword: s.servicePassword,
      connectTimeoutMs: 5000,
      timeoutMs: 30_000,
      poolSize: 2,
    },
    id: 'ldap',
    collection: 'directory',
    displayName: 'Company directory',
    baseDn: 'ou=people,dc=example,dc=org',
    scope: 'sub',
    peopleFilter: p.peopleFilter,
    groups: { enabled: true, baseDn: 'ou=groups,dc=example,dc=org', scope: 'sub', filter: p.groupFilter },
    idAttribute: p.idAttribute,
    etagAttributes: p.etagAttributes,
    partition: p.partition,
    changeProbe: 'auto',
    pageSize: 500,
    timeLimitSeconds: 0,
    attributes: p.attributes,
    vcardVersion: '4.0',
    users: { baseDn: 'ou=people,dc=example,dc=org', scope: 'sub', filter: p.userFilter },
    listingMaxAgeSeconds: 300,
    ...over,
  };
}
