// Loads the configuration: defaults ← one YAML file ← DAVGATE_* variables ← command-line flags, then
// validates the merged document once with zod. No file is needed: the defaults are the embedded default.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { CONFIG_FILE_ENV, readEnvOverrides } from './env.ts';
import { ConfigError, issueLines } from './errors.ts';
import { type Config, configSchema } from './schema.ts';

/** One value set on the command line, e.g. `--port 9000` → { path: ['server','port'], value: 9000, source: '--port' }. */
export interface ConfigOverride {
  path: string[];
  value: unknown;
  source: string;
}

export interface LoadOptions {
  /** YAML file; when absent, $DAVGATE_CONFIG; when that is absent too, no file. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: ConfigOverride[];
}

export interface LoadedConfig {
  config: Config;
  /** The file that was read, if any. */
  file: string | undefined;
  /** Things worth telling the operator that do not stop start-up (unknown DAVGATE_* variables). */
  warnings: string[];
}

type Doc = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merges `over` into `base`: objects recursively, everything else replaced. */
export function deepMerge(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key] as Doc, value) : value;
  }
  return out;
}

/** Reads and parses the YAML file; an empty file is an empty document. */
export async function readConfigFile(file: string): Promise<Doc> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError([`config error: cannot read ${file}: ${reason}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => `config error: ${file}: ${e.message.split('\n')[0]}`));
  }
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value))
    throw new ConfigError([`config error: ${file}: expected a mapping of keys at the top level`]);
  return value;
}

/** Validates a merged document. `sources` maps dotted key paths to where they were set. */
export function validateConfig(doc: Doc, sources: Map<string, string>, fileLabel?: string): Config {
  // A storage or state section without `kind` means the default kind.
  const withKinds = deepMerge({ storage: { kind: 'sqlite' }, state: { kind: 'memory' } }, doc);
  const result = configSchema.safeParse(withKinds);
  if (result.success) return result.data;
  const sourceOf = (key: string) => {
    for (let k = key; k; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : '') {
      const s = sources.get(k);
      if (s) return `from ${s}`;
    }
    return fileLabel ? `in ${fileLabel}` : undefined;
  };
  throw new ConfigError(issueLines(result.error.issues, sourceOf));
}

export async function loadConfig(options: LoadOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const file = options.file ?? (env[CONFIG_FILE_ENV] || undefined);
  const fromFile = file ? await readConfigFile(file) : {};
  const fromEnv = readEnvOverrides(env);
  const sources = new Map(fromEnv.sources);
  let doc = deepMerge(fromFile, fromEnv.values);
  for (const o of options.overrides ?? []) {
    const patch = o.path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), o.value) as Doc;
    doc = deepMerge(doc, patch);
    sources.set(o.path.join('.'), o.source);
  }
  const config = besideTheFile(validateConfig(doc, sources, file), file, sources);
  const warnings = fromEnv.unknown.map((name) => `ignoring unknown environment variable ${name}`);
  return { config, file, warnings };
}

/** Storage keys naming files that usually sit beside the configuration file. */
const FILE_KEYS = ['mapping', 'passwordFile'] as const;

/**
 * Relative file names the configuration file sets (storage.mapping, storage.passwordFile) resolve
 * against its directory, as `davgate sql` resolves them; from the environment or a flag, against the
 * working directory (docs/configuration.md).
 */
function besideTheFile(config: Config, file: string | undefined, sources: Map<string, string>): Config {
  if (!file) return config;
  const storage: Record<string, unknown> = { ...config.storage };
  let changed = false;
  for (const key of FILE_KEYS) {
    const value = storage[key];
    if (typeof value !== 'string' || isAbsolute(value) || sources.has(`storage.${key}`)) continue;
    storage[key] = resolve(dirname(file), value);
    changed = true;
  }
  return changed ? { ...config, storage: storage as Config['storage'] } : config;
}
