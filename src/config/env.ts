// Environment overrides: every scalar key of the schema has a variable named after its path,
// DAVGATE_ + the path in SCREAMING_SNAKE_CASE (server.publicPrefix → DAVGATE_SERVER_PUBLIC_PREFIX).
// The names are derived from the schema, so a new key gets its variable without a table to update.
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema } from './schema.ts';

export const ENV_PREFIX = 'DAVGATE_';
/** Names the configuration file when --config is not given. */
export const CONFIG_FILE_ENV = 'DAVGATE_CONFIG';

/** How a variable's text becomes a value before validation. */
export type EnvValueKind = 'number' | 'boolean' | 'string' | 'yaml';

export interface EnvKey {
  path: string[];
  name: string;
  kind: EnvValueKind;
}

// biome-ignore lint/suspicious/noExplicitAny: walks zod's internal definition objects
type Def = any;
const defOf = (schema: z.ZodType): Def => (schema as Def)._zod.def;

/** server.publicPrefix → DAVGATE_SERVER_PUBLIC_PREFIX */
export function envName(path: string[]): string {
  return ENV_PREFIX + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

function unwrap(schema: z.ZodType): Def {
  let def = defOf(schema);
  while (['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type)) def = defOf(def.innerType);
  return def;
}

function valueKind(def: Def): EnvValueKind {
  switch (def.type) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
    case 'enum':
    case 'literal':
      return 'string';
    case 'pipe':
      return valueKind(unwrap(def.in));
    case 'union': {
      const kinds = new Set(def.options.map((o: z.ZodType) => valueKind(unwrap(o))));
      // Byte sizes (number | "5 MiB") parse their own text.
      return kinds.has('string') && [...kinds].every((k) => k === 'string' || k === 'number') ? 'string' : 'yaml';
    }
    default:
      return 'yaml';
  }
}

/** Every settable leaf of the schema with its variable name, in schema order. */
export function envKeys(schema: z.ZodType = configSchema): EnvKey[] {
  const out = new Map<string, EnvKey>();
  const walk = (s: z.ZodType, path: string[]) => {
    const def = unwrap(s);
    if (def.type === 'object') {
      for (const [key, child] of Object.entries(def.shape)) walk(child as z.ZodType, [...path, key]);
    } else if (def.type === 'union' && def.options.every((o: z.ZodType) => unwrap(o).type === 'object')) {
      // A discriminated union (storage, state): the keys of every kind.
      for (const option of def.options) walk(option, path);
    } else {
      const name = envName(path);
      if (!out.has(name)) out.set(name, { path, name, kind: valueKind(def) });
    }
  };
  walk(schema, []);
  return [...out.values()];
}

function coerce(text: string, kind: EnvValueKind): unknown {
  switch (kind) {
    case 'number':
      return /^\s*-?\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) : text;
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(t)) return true;
      if (['false', '0', 'no', 'off'].includes(t)) return false;
      return text;
    }
    case 'string':
      return text;
    case 'yaml':
      return parseYaml(text);
  }
}

export interface EnvOverrides {
  /** A partial configuration document built from the variables. */
  values: Record<string, unknown>;
  /** Dotted key path → variable that set it (for error messages). */
  sources: Map<string, string>;
  /** DAVGATE_* variables that name no setting (reported as warnings: likely typos). */
  unknown: string[];
}

export function readEnvOverrides(env: NodeJS.ProcessEnv, schema: z.ZodType = configSchema): EnvOverrides {
  const keys = new Map(envKeys(schema).map((k) => [k.name, k]));
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const unknown: string[] = [];
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || text === undefined || name === CONFIG_FILE_ENV) continue;
    const key = keys.get(name);
    if (!key) {
      unknown.push(name);
      continue;
    }
    setPath(values, key.path, coerce(text, key.kind));
    sources.set(key.path.join('.'), name);
  }
  return { values, sources, unknown: unknown.sort() };
}

export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}
