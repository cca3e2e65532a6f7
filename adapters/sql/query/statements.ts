// The native profile's statements, translated per dialect once: SQLite spelling (`?` or `:name`
// parameters, "double-quoted" identifiers) in, the dialect's placeholders and quotes out, cached by text.
// On PostgreSQL a statement used often gets a name, so each pooled connection parses and plans it once
// (the extended protocol's named prepared statement) and later runs send only Bind/Execute — PostgreSQL
// skips parse, analysis and (with a cached generic plan) planning, its largest share of a short request.
import { type CompiledQuery, RawNode } from 'kysely';
import type { SqlDialectName } from './connect.ts';

export type Params = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface Translated {
  sql: string;
  /** Parameter names in placeholder order when the text used `:name`; undefined for positional `?`. */
  names: string[] | undefined;
  node: RawNode;
  /** Runs so far (PostgreSQL), until the statement is named or can never be. */
  uses: number;
  /** PostgreSQL prepared-statement name, once the statement earned one. */
  pgName: string | undefined;
}

/** Rewrites placeholders and identifier quotes for `dialect`, leaving string literals alone. */
export function translate(text: string, dialect: SqlDialectName): Translated {
  let out = '';
  let n = 0;
  let names: string[] | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end < 0 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (ch === '"' && dialect === 'mysql') {
      out += '`';
    } else if (ch === '?') {
      out += dialect === 'postgres' ? `$${++n}` : '?';
    } else if (ch === ':' && text[i + 1] === ':') {
      out += '::';
      i++;
    } else if (ch === ':' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
      const name = m?.[0] ?? '';
      names ??= [];
      names.push(name);
      out += dialect === 'postgres' ? `$${++n}` : '?';
      i += name.length;
    } else {
      out += ch;
    }
  }
  return { sql: out, names, node: RawNode.createWithSql(out), uses: 0, pgName: undefined };
}

/** Network drivers want Buffers for binary parameters (pg: bytea, mysql2: an escaped blob). */
function param(v: unknown): unknown {
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

/** Statement text → its translation, one cache per dialect (statements are a fixed, small set). */
const caches: Record<SqlDialectName, Map<string, Translated>> = {
  sqlite: new Map(),
  postgres: new Map(),
  mysql: new Map(),
};

export function translated(dialect: SqlDialectName, text: string): Translated {
  const cache = caches[dialect];
  let t = cache.get(text);
  if (!t) {
    t = translate(text, dialect);
    cache.set(text, t);
  }
  return t;
}

/** The statement's parameters in placeholder order, as the drivers take them. */
export function values(dialect: SqlDialectName, t: Translated, params: Params | undefined): unknown[] {
  let out: unknown[];
  if (t.names) {
    const byName = (params ?? {}) as Record<string, unknown>;
    out = t.names.map((k) => byName[k]);
  } else {
    out = (params ?? []) as unknown[];
  }
  return dialect === 'sqlite' ? out : out.map(param);
}

let queryCounter = 0;

export function compile(dialect: SqlDialectName, text: string, params: Params | undefined): CompiledQuery {
  const t = translated(dialect, text);
  // The shape CompiledQuery.raw builds, without re-parsing the SQL into a new node each call.
  return {
    sql: t.sql,
    query: t.node,
    parameters: values(dialect, t, params),
    queryId: { queryId: `q${++queryCounter}` },
  } as CompiledQuery;
}

/**
 * Named after this many runs: the fixed statements of the hot paths get there at once, texts built per
 * call (an `IN (?, ?, …)` list of some length) mostly do not.
 */
const NAME_AFTER = 3;
/** At most this many named statements, each prepared on every pooled connection that runs it. */
const MAX_NAMED = 128;
/** Only data statements: a name on DDL or on a transaction-control statement buys nothing. */
const PREPARABLE = /^\s*(?:SELECT|WITH|INSERT|UPDATE|DELETE)\b/i;
let named = 0;

/** The PostgreSQL statement name for `t` once it is used often enough, else undefined (unnamed, planned per run). */
export function pgStatementName(t: Translated): string | undefined {
  if (t.pgName !== undefined || t.uses < 0) return t.pgName;
  if (++t.uses < NAME_AFTER) return undefined;
  if (named >= MAX_NAMED || !PREPARABLE.test(t.sql)) {
    t.uses = -1; // never
    return undefined;
  }
  t.pgName = `davgate_${++named}`;
  return t.pgName;
}
