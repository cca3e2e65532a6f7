// The configuration schema (DESIGN.md §Layout, src/config): every key, its type and its default.
// An empty document is a complete configuration: the embedded default (SQLite under ./data, in-memory
// state, loopback, prefix /dav). docs/configuration.md lists every key; a test keeps the two in step.
import { z } from 'zod';
import { byteSize } from './byte-size.ts';

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

const sqliteStorage = z.strictObject({
  kind: z.literal('sqlite'),
  /** Directory holding the database (created if missing). Relative to the working directory. */
  dataDir: z.string().min(1).default('./data'),
  /** Database file name, relative to dataDir unless absolute. */
  file: z.string().min(1).default('davgate.sqlite'),
});

/** Where calendars, contacts and users live. A union so other kinds (postgres, google, …) can join. */
const storage = z.discriminatedUnion('kind', [sqliteStorage]);

const memoryState = z.strictObject({ kind: z.literal('memory') });

/** Where sync snapshots, change logs and cursors live. A union: Redis joins in its own issue. */
const state = z.discriminatedUnion('kind', [memoryState]);

const limits = z
  .strictObject({
    /** Largest calendar object or vCard accepted; advertised as max-resource-size. */
    maxResourceSize: byteSize.default(5 * MiB),
    /** Largest request body of any kind (413 beyond). */
    maxBodySize: byteSize.default(16 * MiB),
    /** Most hrefs accepted in one calendar-multiget / addressbook-multiget. */
    maxMultigetHrefs: z.number().int().positive().default(1000),
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
});

const logging = z.strictObject({
  /** Least severe level written (JSON lines on standard error); `silent` writes none. */
  level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export const configSchema = z.strictObject({
  server: server.prefault({}),
  storage: storage.prefault({ kind: 'sqlite' }),
  state: state.prefault({ kind: 'memory' }),
  limits: limits.prefault({}),
  auth: auth.prefault({}),
  logging: logging.prefault({}),
});

/** The validated configuration with every default filled in. */
export type Config = z.output<typeof configSchema>;
/** What a YAML file or overrides may contain (everything optional). */
export type ConfigInput = z.input<typeof configSchema>;
export type LogLevel = Config['logging']['level'];
