// PostgreSQL statements straight on pg's pool, without Kysely's executor in between: the native profile's
// statements are fixed texts (statements.ts), so a query is one config object handed to a pooled client,
// and the often-used ones run as named prepared statements (parsed and planned once per connection).
// Semantics as through Kysely's PostgresDialect: a statement outside a transaction takes any pooled
// connection and gives it back at once; a transaction holds one; affected rows count for INSERT, UPDATE,
// DELETE and MERGE only.
import type pg from 'pg';
import { mapDriverError } from './errors.ts';
import type { Q, Row } from './exec.ts';
import { type Params, pgStatementName, translated, values } from './statements.ts';
import { inTransaction } from './transaction.ts';

const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

export class PgRunner implements Q {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool | undefined;
  readonly #client: pg.PoolClient | undefined;

  /** On the pool (a connection per statement), or on one held client (a transaction). */
  constructor(on: { pool: pg.Pool } | { client: pg.PoolClient }) {
    this.#pool = 'pool' in on ? on.pool : undefined;
    this.#client = 'client' in on ? on.client : undefined;
  }

  async #query(text: string, params: Params | undefined): Promise<pg.QueryResult> {
    const t = translated('postgres', text);
    const config: pg.QueryConfig = { text: t.sql, values: values('postgres', t, params), name: pgStatementName(t) };
    try {
      if (this.#client) return await this.#client.query(config);
      const client = await (this.#pool as pg.Pool).connect();
      try {
        return await client.query(config);
      } finally {
        // A client whose connection broke is not queryable any more; the pool drops it on release.
        client.release();
      }
    } catch (err) {
      mapDriverError(err, 'postgres');
    }
  }

  async all(text: string, params?: Params): Promise<Row[]> {
    return (await this.#query(text, params)).rows ?? [];
  }

  async get(text: string, params?: Params): Promise<Row | undefined> {
    return (await this.all(text, params))[0];
  }

  async run(text: string, params?: Params): Promise<number> {
    const r = await this.#query(text, params);
    return COUNTED.has(r.command) ? (r.rowCount ?? 0) : 0;
  }
}

/** `fn`'s statements in one transaction on one pooled connection, opened with `begin`. */
export async function pgTransaction<T>(pool: pg.Pool, begin: string, fn: (q: Q) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    mapDriverError(err, 'postgres');
  }
  let broken = false;
  try {
    return await inTransaction(new PgRunner({ client }), begin, fn, () => {
      broken = true;
    });
  } finally {
    // One that could not even roll back is not given to the next request.
    client.release(broken);
  }
}
