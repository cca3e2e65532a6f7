// The configuration schema (DESIGN.md §Layout, src/config): every key, its type and its default.
// An empty document is a complete configuration: the embedded default (SQLite under ./data, in-memory
// state, loopback, prefix /dav). docs/configuration.md lists every key; a test keeps the two in step.
import { z } from 'zod';
import { isKnownZone } from '../lib/zone-clock.ts';
import { byteSize } from './byte-size.ts';
import { quirksSchema } from './quirks-schema.ts';

const MiB = 1024 * 1024;

const server = z.strictObject({
  /** Address to bind. Loopback by default: exposing the gateway is a deliberate choice. */
  host: z.string().min(1).default('127.0.0.1'),
  /** TCP port; 0 picks a free one (tests). */
  port: z.number().int().min(0).max(65535).default(8008),
  /** Path under which DAV is served and from which every href is generated. */
  publicPrefix: z
    .string()
    .regex(
      /^\/(?:[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*)?$/,
      'expected a path like "/dav" (leading slash, no trailing slash)',
    )
    .default('/dav'),
  /** Honour X-Forwarded-Proto/-Host from a reverse proxy when building absolute URLs. */
  trustProxy: z.boolean().default(false),
});

const envName0 = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable');

/** Which schema the SQL database holds (docs/configuration.md §storage). */
const sqlProfile = {
  /**
   * `native`: davgate's own tables (created and migrated on start); `sabredav`: an existing SabreDAV/Baïkal
   * database, served as is; `columns`: a legacy table-per-entity schema through a declarative mapping.
   */
  profile: z.enum(['native', 'sabredav', 'columns']).default('native'),
  /** The column mapping file (YAML) for `profile: columns`, relative to the configuration file's directory. */
  mapping: z.string().min(1).optional(),
  /**
   * Where the gateway's users live with profile sabredav or columns: `davgate`, dataDir/davgate-users.sqlite;
   * `sabredav` (profile sabredav only), SabreDAV's own `users` table, read-only — Baïkal's logins.
   */
  users: z.enum(['davgate', 'sabredav']).default('davgate'),
  /** Realm the `users.digesta1` hashes were made with (Baïkal: BaikalDAV; plain SabreDAV: SabreDAV). */
  digestRealm: z.string().min(1).default('BaikalDAV'),
  /**
   * Profile sabredav: the zone SabreDAV's PHP runs in (Baïkal's configured time zone, PHP date.timezone), for
   * the firstoccurence/lastoccurence of floating and all-day events the gateway writes. An IANA name.
   */
  timezone: z.string().refine(isKnownZone, 'expected an IANA time zone name, e.g. Europe/Vienna').default('UTC'),
};

const mappingNeeded = (s: { profile: string; mapping?: string; users: string }, ctx: z.RefinementCtx) => {
  if (s.profile === 'columns' && !s.mapping)
    ctx.addIssue({ code: 'custom', path: ['mapping'], message: 'profile columns needs a mapping file' });
  if (s.users === 'sabredav' && s.profile !== 'sabredav')
    ctx.addIssue({ code: 'custom', path: ['users'], message: 'users: sabredav needs profile: sabredav' });
};

/** Connection pool of a network database: bounded, so an outage fails fast (503) instead of piling up. */
const sqlPool = z.strictObject({
  /** Most connections open at once. */
  max: z.number().int().positive().default(10),
  /** How long to wait for a connection before answering 503. */
  connectTimeoutMs: z.number().int().positive().default(5000),
  /** Longest a single statement may run before the server cancels it. */
  statementTimeoutMs: z.number().int().positive().default(15000),
  /** Idle connections are closed after this long. */
  idleTimeoutMs: z.number().int().positive().default(30000),
});

const sqliteStorage = z
  .strictObject({
    kind: z.literal('sqlite'),
    /** Directory holding the database (created if missing). Relative to the working directory. */
    dataDir: z.string().min(1).default('./data'),
    /** Database file name, relative to dataDir unless absolute. */
    file: z.string().min(1).default('davgate.sqlite'),
    /**
     * Where sync-collection and getctag get changes: `native`, the database's own change log; `snapshot`,
     * the gateway's snapshot feed in the state store (for a database that other programs write to directly).
     */
    changeFeed: z.enum(['native', 'snapshot']).default('native'),
    ...sqlProfile,
  })
  .superRefine(mappingNeeded);

/** PostgreSQL or MySQL/MariaDB. The password comes from a file or an environment variable, never the YAML. */
const networkStorage = <K extends 'postgres' | 'mysql'>(kind: K) =>
  z
    .strictObject({
      kind: z.literal(kind),
      /** Directory of the gateway's own users with profile sabredav or columns (davgate-users.sqlite; flag --data-dir). */
      dataDir: z.string().min(1).default('./data'),
      host: z.string().min(1),
      /** Default 5432 (postgres) or 3306 (mysql). */
      port: z.number().int().min(1).max(65535).optional(),
      user: z.string().min(1),
      /** File holding the password (first line), e.g. a mounted secret. */
      passwordFile: z.string().min(1).optional(),
      /** Environment variable holding the password. */
      passwordEnv: envName0.optional(),
      database: z.string().min(1),
      pool: sqlPool.prefault({}),
      changeFeed: z.enum(['native', 'snapshot']).default('native'),
      ...sqlProfile,
    })
    .superRefine((s, ctx) => {
      if (s.passwordFile && s.passwordEnv)
        ctx.addIssue({ code: 'custom', path: ['passwordEnv'], message: 'set passwordFile or passwordEnv, not both' });
      mappingNeeded(s, ctx);
    });

/** Where calendars, contacts and users live. */
const storage = z.discriminatedUnion('kind', [sqliteStorage, networkStorage('postgres'), networkStorage('mysql')]);

/** Change-log retention, the same for every state kind: older sync tokens become invalid (clients resync). */
const retention = {
  /** Change-log entries kept per collection. */
  logMaxEntries: z.number().int().positive().default(10_000),
  /** Change-log entries older than this many seconds are dropped (default 30 days). */
  logMaxAgeSeconds: z
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
};

const memoryState = z.strictObject({ kind: z.literal('memory'), ...retention });

const hostPort = z
  .string()
  .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}$/, 'expected "host:port" (IPv6 in brackets)');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable');

/** A redis:// or rediss:// URL without credentials (those come from username / passwordFile / passwordEnv). */
const redisUrl = z
  .string()
  .refine((u) => /^rediss?:\/\/[^/]/.test(u) && URL.canParse(u), 'expected redis://host:port/db or rediss://…')
  .refine((u) => {
    if (!URL.canParse(u)) return true;
    const p = new URL(u);
    return p.username === '' && p.password === '';
  }, 'no credentials in the URL: set state.username and state.passwordFile or state.passwordEnv');

const redisTls = z.strictObject({
  /** Connect with TLS (also implied by a rediss:// URL). */
  enabled: z.boolean().default(false),
  /** PEM file of the CA(s) to trust instead of the system store. */
  caFile: z.string().min(1).optional(),
  /** PEM client certificate and key, for servers that require one. */
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  /** Name to verify in the server certificate (default: the host connected to). */
  serverName: z.string().min(1).optional(),
  /** Verify the server certificate. Turn off only for tests. */
  verify: z.boolean().default(true),
});

const redisState = z
  .strictObject({
    kind: z.literal('redis'),
    /** standalone: one server at `url`; sentinel: `nodes` are Sentinels; cluster: `nodes` are seed nodes. */
    mode: z.enum(['standalone', 'sentinel', 'cluster']).default('standalone'),
    url: redisUrl.default('redis://127.0.0.1:6379/0'),
    nodes: z.array(hostPort).default([]),
    /** The Sentinel master group name. */
    sentinelName: z.string().min(1).default('mymaster'),
    /** ACL user (Redis 6+); the password comes from a file or an environment variable, never the config. */
    username: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    passwordEnv: envName.optional(),
    sentinelUsername: z.string().min(1).optional(),
    sentinelPasswordFile: z.string().min(1).optional(),
    sentinelPasswordEnv: envName.optional(),
    tls: redisTls.prefault({}),
    /** A command without a reply within this time fails (sync then answers 503). */
    commandTimeoutMs: z.number().int().positive().default(2000),
    connectTimeoutMs: z.number().int().positive().default(5000),
    /** Retry-After of the 503 answered while the store is unreachable. */
    retryAfterSeconds: z.number().int().min(1).max(3600).default(5),
    ...retention,
  })
  .superRefine((s, ctx) => {
    if (s.mode !== 'standalone' && s.nodes.length === 0)
      ctx.addIssue({ code: 'custom', path: ['nodes'], message: `mode ${s.mode} needs at least one "host:port"` });
    if (s.passwordFile && s.passwordEnv)
      ctx.addIssue({ code: 'custom', path: ['passwordEnv'], message: 'set passwordFile or passwordEnv, not both' });
    if (s.sentinelPasswordFile && s.sentinelPasswordEnv)
      ctx.addIssue({
        code: 'custom',
        path: ['sentinelPasswordEnv'],
        message: 'set sentinelPasswordFile or sentinelPasswordEnv, not both',
      });
    if (Boolean(s.tls.certFile) !== Boolean(s.tls.keyFile))
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'certFile and keyFile go together' });
  });

/** Where sync snapshots, change logs and cursors live: in the process, or in Redis shared by replicas. */
const state = z.discriminatedUnion('kind', [memoryState, redisState]);

/** Fields of the LDAP attribute → vCard mapping (adapters/ldap/options.ts AttributeMap). */
export const LDAP_MAPPING_FIELDS = [
  'fn',
  'familyName',
  'givenName',
  'nickname',
  'email',
  'workPhone',
  'mobile',
  'fax',
  'homePhone',
  'pager',
  'street',
  'poBox',
  'locality',
  'region',
  'postalCode',
  'country',
  'organization',
  'department',
  'title',
  'url',
  'photo',
  'note',
  'manager',
  'groupName',
  'groupMembers',
  'groupEmail',
  'groupNote',
] as const;

const ldapUrl = z
  .string()
  .regex(/^ldaps?:\/\/[^/\s]+\/?$/i, 'expected ldap://host[:port] or ldaps://host[:port] (no DN, no credentials)')
  .refine(
    (u) => !/@/.test(u),
    'no credentials in the URL: set ldap.bindDn and ldap.bindPasswordFile or bindPasswordEnv',
  );
const ldapScope = z.enum(['one', 'sub']);
const collectionSlug = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a path segment like "directory"');

/** The LDAP directory as a read-only address book in every home, and optionally as the password check. */
const ldap = z
  .strictObject({
    /** The section's presence turns the directory on; false keeps the settings but switches it off. */
    enabled: z.boolean().default(true),
    /** Servers tried in order (failover). */
    urls: z.array(ldapUrl).default([]),
    /** Upgrade ldap:// connections with StartTLS. */
    startTls: z.boolean().default(false),
    /** PEM file of the CA(s) that signed the server certificate (LDAPS and StartTLS). */
    caFile: z.string().min(1).optional(),
    /** Verify the server certificate. Turn off only for tests. */
    verifyCertificate: z.boolean().default(true),
    /** Service account for searches; the password comes from a file or an environment variable, never the config. */
    bindDn: z.string().min(1).optional(),
    bindPasswordFile: z.string().min(1).optional(),
    bindPasswordEnv: envName.optional(),
    /** Defaults for filters, ids, etags and the attribute mapping. */
    preset: z.enum(['inetOrgPerson', 'activeDirectory']).default('inetOrgPerson'),
    baseDn: z.string().default(''),
    scope: ldapScope.default('sub'),
    peopleFilter: z.string().min(1).optional(),
    groups: z
      .strictObject({
        enabled: z.boolean().default(true),
        baseDn: z.string().min(1).optional(),
        scope: ldapScope.default('sub'),
        filter: z.string().min(1).optional(),
      })
      .prefault({}),
    idAttribute: z.string().min(1).optional(),
    etagAttributes: z.array(z.string().min(1)).optional(),
    partitionAttribute: z.string().min(1).optional(),
    partitionKind: z.enum(['csn', 'integer', 'generalizedTime']).optional(),
    changeProbe: z.enum(['auto', 'contextCSN', 'highestCommittedUSN', 'none']).default('auto'),
    pageSize: z.number().int().min(1).max(10_000).default(500),
    timeLimitSeconds: z.number().int().min(0).default(0),
    connectTimeoutMs: z.number().int().positive().default(5000),
    timeoutMs: z.number().int().positive().default(30_000),
    poolSize: z.number().int().min(1).max(64).default(4),
    /** Overrides of the preset's attribute mapping: vCard field → LDAP attributes. */
    attributes: z.partialRecord(z.enum(LDAP_MAPPING_FIELDS), z.array(z.string().min(1))).optional(),
    vcardVersion: z.enum(['3.0', '4.0']).default('4.0'),
    addressBook: z
      .strictObject({
        id: collectionSlug.default('directory'),
        displayName: z.string().min(1).default('Directory'),
        description: z.string().optional(),
      })
      .prefault({}),
    /** Extra filter per user: {user} and {attr:NAME} (from the user's own entry) are substituted, escaped. */
    perUserFilter: z.string().min(1).optional(),
    users: z
      .strictObject({
        baseDn: z.string().min(1).optional(),
        scope: ldapScope.default('sub'),
        filter: z.string().min(1).optional(),
      })
      .prefault({}),
    listingMaxAgeSeconds: z.number().int().min(0).default(300),
    /** Memory for generated cards, shared by all users (0 disables the cache). */
    cacheMegabytes: z.number().int().min(0).default(256),
    /** Read the directory into the cache at start-up (skipped with a per-user filter). */
    prefetch: z.boolean().default(true),
  })
  .superRefine((l, ctx) => {
    if (!l.enabled) return;
    if (l.urls.length === 0)
      ctx.addIssue({ code: 'custom', path: ['urls'], message: 'at least one ldap:// or ldaps:// URL' });
    if (l.baseDn.trim() === '')
      ctx.addIssue({ code: 'custom', path: ['baseDn'], message: 'the base DN of the people' });
    if (l.bindPasswordFile && l.bindPasswordEnv)
      ctx.addIssue({
        code: 'custom',
        path: ['bindPasswordEnv'],
        message: 'set bindPasswordFile or bindPasswordEnv, not both',
      });
    if (l.bindDn && !l.bindPasswordFile && !l.bindPasswordEnv)
      ctx.addIssue({
        code: 'custom',
        path: ['bindDn'],
        message: 'a bind DN needs bindPasswordFile or bindPasswordEnv',
      });
    if (l.startTls && l.urls.some((u) => /^ldaps:/i.test(u)))
      ctx.addIssue({
        code: 'custom',
        path: ['startTls'],
        message: 'StartTLS applies to ldap:// URLs; ldaps:// is TLS already',
      });
  });

const limits = z
  .strictObject({
    /** Largest calendar object or vCard accepted; advertised as max-resource-size. */
    maxResourceSize: byteSize.default(5 * MiB),
    /** Largest request body of any kind (413 beyond). */
    maxBodySize: byteSize.default(16 * MiB),
    /** Most hrefs accepted in one calendar-multiget / addressbook-multiget. */
    maxMultigetHrefs: z.number().int().positive().default(50_000),
  })
  .refine((l) => l.maxBodySize >= l.maxResourceSize, {
    message: 'maxBodySize must be at least maxResourceSize',
    path: ['maxBodySize'],
  });

const auth = z.strictObject({
  /** Realm sent in WWW-Authenticate. */
  realm: z.string().min(1).default('davgate'),
  /** How long a successful password check is remembered (scrypt is slow; clients authenticate every request). 0 disables. */
  cacheSeconds: z.number().int().min(0).max(86_400).default(300),
  /** Who checks passwords: the local user store, or the LDAP directory (bind as the user). */
  backend: z.enum(['local', 'ldap']).default('local'),
});

const logging = z.strictObject({
  /** Least severe level written (JSON lines on standard error); `silent` writes none. */
  level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export const configSchema = z
  .strictObject({
    server: server.prefault({}),
    storage: storage.prefault({ kind: 'sqlite' }),
    state: state.prefault({ kind: 'memory' }),
    limits: limits.prefault({}),
    auth: auth.prefault({}),
    logging: logging.prefault({}),
    ldap: ldap.optional(),
    quirks: quirksSchema.prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.auth.backend === 'ldap' && !c.ldap?.enabled)
      ctx.addIssue({ code: 'custom', path: ['auth', 'backend'], message: 'ldap authentication needs ldap.enabled' });
  });

/** The validated configuration with every default filled in. */
export type Config = z.output<typeof configSchema>;
/** What a YAML file or overrides may contain (everything optional). */
export type ConfigInput = z.input<typeof configSchema>;
export type LogLevel = Config['logging']['level'];
export type LdapConfig = NonNullable<Config['ldap']>;
export type RedisStateConfig = Extract<Config['state'], { kind: 'redis' }>;
