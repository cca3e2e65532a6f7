// Starts a real OpenLDAP `slapd` (Debian package "slapd") for the LDAP integration tests and the
// benchmark: a generated slapd.conf in a temp directory, an mdb database seeded offline with slapadd
// (people under ou=people, groups under ou=groups, a read-only service account), loopback ports for
// ldap:// (StartTLS offered) and ldaps://, a throwaway CA, and a server size limit low enough that
// reading the whole directory needs paging. `stop()` kills slapd and removes the directory.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';

const run = promisify(execFile);

export const SLAPD = '/usr/sbin/slapd';
export const SLAPADD = '/usr/sbin/slapadd';
export const BASE_DN = 'dc=example,dc=org';
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
export const GROUPS_DN = `ou=groups,${BASE_DN}`;
export const ROOT_DN = `cn=admin,${BASE_DN}`;
export const SERVICE_DN = `cn=davgate,ou=system,${BASE_DN}`;

export interface SlapdOptions {
  /** People to seed (default 2,000). */
  people?: number;
  /** Groups to seed (default 50). */
  groups?: number;
  /** The server's size limit for the service account (default 500: a full listing needs paging). */
  sizeLimit?: number | 'unlimited';
  /** Also serve ldaps:// and StartTLS with a generated CA (default true). */
  tls?: boolean;
  /** Give every n-th person a small jpegPhoto (default 50; 0 for none). */
  photoEvery?: number;
  /**
   * Whether a paged search may return more than the size limit in total (size.prtotal=unlimited, the
   * usual production setting). false: the limit caps whole paged searches too (OpenLDAP's default),
   * and the adapter has to split its searches.
   */
  pagedBeyondLimit?: boolean;
  /** Load the syncprov overlay, which keeps contextCSN on the suffix up to date (default true). */
  syncprov?: boolean;
}

export interface RunningSlapd {
  /** ldap://127.0.0.1:<port> */
  url: string;
  /** ldaps://localhost:<port> when tls is on. */
  ldapsUrl?: string;
  /** PEM file of the CA that signed the server certificate. */
  caFile?: string;
  dir: string;
  rootDn: string;
  rootPassword: string;
  serviceDn: string;
  servicePassword: string;
  people: number;
  groups: number;
  /** A client bound as the root DN (not subject to limits), for changing the directory in tests. */
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

/** Whether the Debian slapd and slapadd binaries are present (tests skip otherwise). */
export async function hasSlapd(): Promise<boolean> {
  try {
    await access(SLAPD, constants.X_OK);
    await access(SLAPADD, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

const FIRST = ['Anna', 'Bernd', 'Chloé', 'Dmitri', 'Eva', 'François', 'Gita', 'Hans', 'Ines', 'Jürgen', 'Kai', 'Lena'];
const LAST = ['Müller', 'Schmidt', 'Nguyen', "O'Brien", 'García', 'Kowalski', 'Rossi', 'Smith', 'Dubois', 'Åström'];
const TITLES = ['Engineer', 'Manager', 'Accountant', 'Designer', 'Sales Lead', 'Support (2nd level)'];
const COMPANIES = ['Acme', 'Globex'];

/** The seeded person number `i` (1-based): what tests can rely on. */
export function person(i: number) {
  const uid = `user${String(i).padStart(5, '0')}`;
  const givenName = FIRST[i % FIRST.length];
  const sn = `${LAST[(i * 7) % LAST.length]}${i}`;
  return {
    uid,
    dn: `uid=${uid},${PEOPLE_DN}`,
    givenName,
    sn,
    cn: `${givenName} ${sn}`,
    mail: `${uid}@example.org`,
    /** Every third person has a second address. */
    mail2: i % 3 === 0 ? `${givenName.toLowerCase()}.${i}@mail.example.net` : undefined,
    telephoneNumber: `+49 30 ${String(1000000 + i)}`,
    title: TITLES[i % TITLES.length],
    o: COMPANIES[i % COMPANIES.length],
    password: `pw-${uid}`,
  };
}

export function groupDn(g: number): string {
  return `cn=group${String(g).padStart(2, '0')},${GROUPS_DN}`;
}

/** Members of seeded group `g`: people g, g+50, g+100, … (at most 40). */
export function groupMembers(g: number, people: number): number[] {
  const out: number[] = [];
  for (let i = g; i <= people && out.length < 40; i += 50) out.push(i);
  return out;
}

// A 1×1 JPEG (valid JFIF), enough for PHOTO round trips.
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

function b64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/** An LDIF attribute line, base64 when the value is not a SAFE-STRING (RFC 2849: printable ASCII, no leading space, colon or "<"). */
function line(attr: string, value: string): string {
  const safe = /^[!-9;=?-~][ -~]*$/.test(value) && !value.endsWith(' ');
  return safe ? `${attr}: ${value}` : `${attr}:: ${b64(value)}`;
}

export function seedLdif(people: number, groups: number, photoEvery: number, servicePassword: string): string {
  const out: string[] = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups\n`,
    `dn: ou=system,${BASE_DN}\nobjectClass: organizationalUnit\nou: system\n`,
    `dn: ${SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: davgate\nuserPassword: ${servicePassword}\n`,
  ];
  for (let i = 1; i <= people; i++) {
    const p = person(i);
    const lines = [
      `dn: ${p.dn}`,
      'objectClass: inetOrgPerson',
      line('uid', p.uid),
      line('cn', p.cn),
      line('sn', p.sn),
      line('givenName', p.givenName),
      line('displayName', p.cn),
      line('mail', p.mail),
      ...(p.mail2 ? [line('mail', p.mail2)] : []),
      line('telephoneNumber', p.telephoneNumber),
      ...(i % 4 === 0 ? [line('mobile', `+49 170 ${1000000 + i}`)] : []),
      line('title', p.title),
      line('o', p.o),
      line('ou', i % 2 ? 'Research' : 'Operations'),
      line('street', `${i} Main Street`),
      line('l', 'Berlin'),
      line('postalCode', String(10000 + (i % 90000))),
      ...(i % 10 === 0 ? [line('labeledURI', `https://example.org/~${p.uid} Home page`)] : []),
      ...(i % 5 === 0 ? [line('description', `Person number ${i}, notes; with "quotes", commas`)] : []),
      ...(i > 1 && i % 20 === 0 ? [line('manager', person(1).dn)] : []),
      ...(photoEvery > 0 && i % photoEvery === 0 ? [`jpegPhoto:: ${JPEG.toString('base64')}`] : []),
      line('userPassword', p.password),
    ];
    out.push(`${lines.join('\n')}\n`);
  }
  for (let g = 1; g <= groups; g++) {
    const members = groupMembers(g, people);
    const unique = g % 10 === 0; // every tenth group is a groupOfUniqueNames
    const attr = unique ? 'uniqueMember' : 'member';
    const lines = [
      `dn: ${groupDn(g)}`,
      `objectClass: ${unique ? 'groupOfUniqueNames' : 'groupOfNames'}`,
      `cn: group${String(g).padStart(2, '0')}`,
      `description: Team ${g}`,
      ...(members.length ? members.map((i) => `${attr}: ${person(i).dn}`) : [`${attr}: ${SERVICE_DN}`]),
    ];
    out.push(`${lines.join('\n')}\n`);
  }
  return out.join('\n');
}

async function makeTls(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const ca = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const cert = join(dir, 'server.crt');
  const ext = join(dir, 'server.ext');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    ca,
    '-days',
    '2',
    '-subj',
    '/CN=davgate test CA',
  ]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=localhost']);
  await writeFile(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '2',
    '-extfile',
    ext,
  ]);
  return { ca, cert, key };
}

export async function startSlapd(opts: SlapdOptions = {}): Promise<RunningSlapd> {
  const people = opts.people ?? 2000;
  const groups = opts.groups ?? 50;
  const sizeLimit = opts.sizeLimit ?? 500;
  const useTls = opts.tls ?? true;
  const syncprov = opts.syncprov ?? true;
  const dir = await mkdtemp(join(tmpdir(), 'davgate-slapd-'));
  const rootPassword = 'root-secret';
  const servicePassword = 'service-secret';
  let child: ChildProcess | undefined;
  let stderr = '';
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const done = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      const force = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(force);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(join(dir, 'db'));
    const tls = useTls ? await makeTls(dir) : undefined;
    const conf = [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'include /etc/ldap/schema/nis.schema',
      `pidfile ${join(dir, 'slapd.pid')}`,
      `argsfile ${join(dir, 'slapd.args')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      ...(syncprov ? ['moduleload syncprov'] : []),
      `sizelimit ${sizeLimit}${(opts.pagedBeyondLimit ?? true) ? ' size.prtotal=unlimited' : ''}`,
      ...(tls
        ? [`TLSCACertificateFile ${tls.ca}`, `TLSCertificateFile ${tls.cert}`, `TLSCertificateKeyFile ${tls.key}`]
        : []),
      'database mdb',
      `suffix "${BASE_DN}"`,
      `rootdn "${ROOT_DN}"`,
      `rootpw ${rootPassword}`,
      `directory ${join(dir, 'db')}`,
      'maxsize 4294967296',
      'index objectClass eq',
      'index entryUUID eq',
      'index uid,mail,cn,sn,givenName,displayName eq,sub',
      'index member,uniqueMember eq',
      'access to attrs=userPassword by self write by anonymous auth by * none',
      `access to * by dn.exact="${SERVICE_DN}" read by users read by * none`,
      ...(syncprov ? ['overlay syncprov'] : []),
    ].join('\n');
    const confFile = join(dir, 'slapd.conf');
    await writeFile(confFile, `${conf}\n`);
    const ldif = join(dir, 'seed.ldif');
    await writeFile(ldif, seedLdif(people, groups, opts.photoEvery ?? 50, servicePassword));
    await run(SLAPADD, ['-q', ...(syncprov ? ['-w'] : []), '-f', confFile, '-l', ldif], {
      maxBuffer: 16 * 1024 * 1024,
    });

    const port = await freePort();
    const tlsPort = tls ? await freePort() : undefined;
    const urls = [`ldap://127.0.0.1:${port}/`, ...(tlsPort ? [`ldaps://127.0.0.1:${tlsPort}/`] : [])];
    // -d keeps slapd in the foreground (it is our child and dies with stop()).
    const proc = spawn(SLAPD, ['-f', confFile, '-h', urls.join(' '), '-d', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    proc.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-8000);
    });
    const deadline = Date.now() + 20_000;
    while (!(await canConnect(port))) {
      if (proc.exitCode !== null) throw new Error(`slapd exited with ${proc.exitCode}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`slapd did not listen within 20 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = `ldap://127.0.0.1:${port}`;
    return {
      url,
      ...(tls && tlsPort ? { ldapsUrl: `ldaps://localhost:${tlsPort}`, caFile: tls.ca } : {}),
      dir,
      rootDn: ROOT_DN,
      rootPassword,
      serviceDn: SERVICE_DN,
      servicePassword,
      people,
      groups,
      admin: async () => {
        const c = new Client({ url });
        await c.bind(ROOT_DN, rootPassword);
        return c;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
