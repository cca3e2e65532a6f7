// Which database and column mapping a `davgate sql …` command works on: the configuration's storage
// section when it declares `profile: columns` with a `mapping` file, else flags (--mapping with
// --database-url or --file). Everything is validated with zod; a problem is one CliError line.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { type ColumnsMapping, MappingError, parseColumnsMappingFile } from '../../adapters/sql/columns/mapping.ts';
import type { SqlConnectionOptions } from '../../adapters/sql/query/connect.ts';
import { CliError, type CliIo, EXIT_USAGE } from './io.ts';
import { type FlagValues, loadForCommand } from './options.ts';

export interface SqlTarget {
  connection: SqlConnectionOptions;
  mapping: ColumnsMapping[];
  /** Where the two came from, for the command's output. */
  describe: string;
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable');

/** postgres://, postgresql://, mysql:// or mariadb:// URLs; credentials may be in the URL or --password-env. */
const networkUrl = z
  .string()
  .refine((u) => URL.canParse(u) && /^(postgres(ql)?|mysql|mariadb):$/.test(new URL(u).protocol), {
    message: 'expected postgres://user@host:port/db or mysql://user@host:port/db',
  })
  .refine((u) => !URL.canParse(u) || new URL(u).pathname.length > 1, 'the URL names no database');

const flagsSchema = z
  .strictObject({
    mapping: z.string().min(1),
    'database-url': networkUrl.optional(),
    file: z.string().min(1).optional(),
    'password-env': envName.optional(),
  })
  .refine((f) => !!f['database-url'] !== !!f.file, {
    message: 'give exactly one of --database-url (PostgreSQL, MariaDB/MySQL) or --file (SQLite)',
  });

/** A `storage` section of the configuration that serves a column mapping (kinds sqlite, postgres, mysql). */
const storageSchema = z.looseObject({
  kind: z.enum(['sqlite', 'postgres', 'mysql']),
  profile: z.literal('columns'),
  mapping: z.string().min(1),
  dataDir: z.string().optional(),
  file: z.string().optional(),
  url: networkUrl.optional(),
  host: z.string().optional(),
  port: z.number().int().optional(),
  user: z.string().optional(),
  database: z.string().optional(),
  passwordEnv: envName.optional(),
  passwordFile: z.string().optional(),
});

function issues(err: z.ZodError, prefix: string): string {
  return err.issues.map((i) => `${prefix}${i.path.length ? i.path.join('.') : ''}: ${i.message}`).join('; ');
}

function readMapping(file: string): ColumnsMapping[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read mapping ${file}: ${(e as Error).message}`, EXIT_USAGE);
  }
  try {
    return parseColumnsMappingFile(text);
  } catch (e) {
    if (e instanceof MappingError) throw new CliError(`${file}: ${e.message}`, EXIT_USAGE);
    throw e;
  }
}

function password(io: CliIo, name: string | undefined): string | undefined {
  if (!name) return undefined;
  const v = io.env[name];
  if (v === undefined)
    throw new CliError(`environment variable ${name} (the database password) is not set`, EXIT_USAGE);
  return v;
}

function fromUrl(url: string, pw: string | undefined): SqlConnectionOptions {
  const u = new URL(url);
  const dialect = /^postgres/.test(u.protocol) ? 'postgres' : 'mysql';
  return {
    dialect,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : dialect === 'postgres' ? 5432 : 3306,
    user: decodeURIComponent(u.username) || (dialect === 'postgres' ? 'postgres' : 'root'),
    password: pw ?? (u.password ? decodeURIComponent(u.password) : undefined),
    database: decodeURIComponent(u.pathname.slice(1)),
    pool: { max: 1 },
  };
}

function fromFlags(values: FlagValues, io: CliIo): SqlTarget {
  const picked = Object.fromEntries(
    ['mapping', 'database-url', 'file', 'password-env']
      .filter((k) => values[k] !== undefined)
      .map((k) => [k, values[k]]),
  );
  const res = flagsSchema.safeParse(picked);
  if (!res.success) throw new CliError(issues(res.error, '--').replace(/^--: /, ''), EXIT_USAGE);
  const f = res.data;
  const url = f['database-url'];
  const connection: SqlConnectionOptions = url
    ? fromUrl(url, password(io, f['password-env']))
    : { dialect: 'sqlite', file: resolve(f.file ?? '') };
  return { connection, mapping: readMapping(f.mapping), describe: `mapping ${f.mapping}` };
}

async function fromConfig(values: FlagValues, io: CliIo): Promise<SqlTarget> {
  const { config, file } = await loadForCommand(values, io);
  const res = storageSchema.safeParse(config.storage);
  if (!res.success) {
    throw new CliError(
      `the storage section of ${file ?? 'the configuration'} serves no column mapping (${issues(res.error, 'storage.')}); ` +
        'give --mapping FILE with --database-url URL or --file DB',
      EXIT_USAGE,
    );
  }
  const s = res.data;
  const base = file ? dirname(resolve(file)) : process.cwd();
  const mappingFile = resolve(base, s.mapping);
  let connection: SqlConnectionOptions;
  if (s.kind === 'sqlite') {
    connection = { dialect: 'sqlite', file: resolve(s.dataDir ?? '.', s.file ?? 'davgate.sqlite') };
  } else if (s.url) {
    connection = fromUrl(s.url, password(io, s.passwordEnv));
  } else {
    if (!s.host || !s.database) throw new CliError('storage.host and storage.database are required', EXIT_USAGE);
    const pw = s.passwordFile
      ? readFileSync(resolve(base, s.passwordFile), 'utf8').trim()
      : password(io, s.passwordEnv);
    connection = {
      dialect: s.kind,
      host: s.host,
      port: s.port ?? (s.kind === 'postgres' ? 5432 : 3306),
      user: s.user ?? (s.kind === 'postgres' ? 'postgres' : 'root'),
      password: pw,
      database: s.database,
      pool: { max: 1 },
    };
  }
  return {
    connection,
    mapping: readMapping(mappingFile),
    describe: `${file ?? 'configuration'} (mapping ${s.mapping})`,
  };
}

/** Resolves the target: --mapping selects flags; otherwise the configuration (--config or $DAVGATE_CONFIG). */
export function resolveSqlTarget(values: FlagValues, io: CliIo): Promise<SqlTarget> {
  if (values.mapping !== undefined) {
    if (values.config !== undefined) throw new CliError('give either --config or --mapping, not both', EXIT_USAGE);
    return Promise.resolve(fromFlags(values, io));
  }
  if (values['database-url'] !== undefined || values.file !== undefined) {
    throw new CliError('--database-url and --file need --mapping FILE', EXIT_USAGE);
  }
  return fromConfig(values, io);
}
