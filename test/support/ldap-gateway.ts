// The real gateway wired to a test slapd: a YAML config with the `ldap` section (a dead URL first, so
// failover is exercised on every start), the service password in a file, and optionally LDAP bind
// authentication. Shared by the LDAP integration tests, the vdirsyncer read-only test and the bench.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from './server.ts';
import { GROUPS_DN, PEOPLE_DN, type RunningSlapd } from './slapd.ts';

export interface LdapGatewayOptions {
  /** Authenticate DAV users by binding to the directory (default true). */
  ldapAuth?: boolean;
  perUserFilter?: string;
  /** Extra YAML lines appended under `ldap:` (two-space indented). */
  extraLdap?: string[];
  env?: Record<string, string>;
}

export async function startLdapGateway(
  slapd: RunningSlapd,
  opts: LdapGatewayOptions = {},
): Promise<RunningServer & { configDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'davgate-ldap-cfg-'));
  const passwordFile = join(dir, 'ldap-password');
  await writeFile(passwordFile, `${slapd.servicePassword}\n`, { mode: 0o600 });
  const yaml = [
    'ldap:',
    `  urls: ["ldap://127.0.0.1:1", "${slapd.url}"]`,
    `  baseDn: "${PEOPLE_DN}"`,
    `  bindDn: "${slapd.serviceDn}"`,
    `  bindPasswordFile: "${passwordFile}"`,
    '  groups:',
    `    baseDn: "${GROUPS_DN}"`,
    '  addressBook:',
    '    id: directory',
    '    displayName: Company directory',
    ...(opts.perUserFilter ? [`  perUserFilter: "${opts.perUserFilter}"`] : []),
    ...(opts.extraLdap ?? []),
    ...(opts.ldapAuth === false ? [] : ['auth:', '  backend: ldap', '  cacheSeconds: 2']),
    // vdirsyncer fetches every new card in one multiget (no chunking): allow the whole directory.
    'limits:',
    '  maxMultigetHrefs: 50000',
    'logging:',
    '  level: warn',
  ].join('\n');
  const config = join(dir, 'davgate.yaml');
  await writeFile(config, `${yaml}\n`);
  try {
    const server = await startServer({
      config,
      users: opts.ldapAuth === false ? ['alice'] : [],
      env: { USER: 'localadmin', ...opts.env },
    });
    const stop = server.stop;
    return {
      ...server,
      configDir: dir,
      stop: async () => {
        await stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** `Authorization: Basic …` for a name and password. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
