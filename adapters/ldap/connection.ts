// LDAP connections for the directory adapter and bind authentication, over ldapts: several server
// URLs tried in order (failover, the last good one first), StartTLS or LDAPS with a CA, a service bind,
// a small pool of bound connections, paged searches (RFC 2696), and searches that survive the
// server's size and time limits by splitting themselves into smaller ranges (see searchAll).
// Credentials never appear in errors or logs.
import {
  AdminLimitExceededError,
  Client,
  InvalidCredentialsError,
  SizeLimitExceededError,
  TimeLimitExceededError,
} from 'ldapts';
import { BackendError } from '../../src/backend/port.ts';
import { and, normalizeFilter } from './filter.ts';

export interface LdapConnectionOptions {
  /** ldap:// or ldaps:// URLs, tried in order. */
  urls: string[];
  /** Upgrade ldap:// connections with StartTLS (RFC 4513 §3). */
  startTls: boolean;
  /** PEM CA certificates to trust (from the configured CA file); empty = the system store. */
  ca: string[];
  /** Verify the server certificate (default true; false only for tests against throwaway certs). */
  rejectUnauthorized: boolean;
  /** Service account; absent = anonymous. */
  bindDn?: string;
  bindPassword?: string;
  connectTimeoutMs: number;
  /** Per-operation timeout. */
  timeoutMs: number;
  /** Connections kept for searches. */
  poolSize: number;
}

export interface LdapLogger {
  warn(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

export type LdapEntry = Record<string, string | string[] | Buffer | Buffer[]> & { dn: string };

export interface SearchSpec {
  base: string;
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: string[];
  /** Attributes returned as Buffers (binary: jpegPhoto, objectGUID). */
  binary?: string[];
}

/**
 * How to split a search that hits a size or time limit: ranges of an attribute with an ordering rule
 * whose values are (nearly) unique per entry — OpenLDAP entryCSN, AD uSNChanged — or, coarser,
 * modifyTimestamp/createTimestamp (one-second steps).
 */
export interface PartitionSpec {
  attribute: string;
  kind: 'csn' | 'integer' | 'generalizedTime';
}

export interface SearchLimits {
  pageSize: number;
  /** Seconds the server may spend per search request (0 = server default). */
  timeLimit: number;
  partition?: PartitionSpec;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

function isConnectionFailure(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as NodeJS.ErrnoException).code;
  if (code && NETWORK_CODES.has(code)) return true;
  return (
    /connection|socket|timeout|timed out|closed|TLS|certificate/i.test(e.message) &&
    !('code' in e && typeof e.code === 'number')
  );
}

/** A message that names the server but carries nothing secret. */
function describe(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`.slice(0, 300);
  return String(e).slice(0, 300);
}

/** One bound connection. */
class Conn {
  readonly client: Client;
  readonly url: string;
  broken = false;
  constructor(client: Client, url: string) {
    this.client = client;
    this.url = url;
  }
}

export class LdapConnections {
  readonly #opts: LdapConnectionOptions;
  readonly #log: LdapLogger | undefined;
  #preferred = 0;
  readonly #pool: (Promise<Conn> | undefined)[];
  #next = 0;
  #closed = false;

  constructor(opts: LdapConnectionOptions, log?: LdapLogger) {
    if (opts.urls.length === 0) throw new Error('LDAP: at least one server URL is required');
    for (const u of opts.urls) {
      if (!/^ldaps?:\/\/[^/]+\/?$/i.test(u))
        throw new Error(`LDAP: expected ldap://host[:port] or ldaps://…, got ${u}`);
    }
    this.#opts = opts;
    this.#log = log;
    this.#pool = new Array(Math.max(1, opts.poolSize)).fill(undefined);
  }

  get urls(): string[] {
    return this.#opts.urls;
  }

  /**
   * Opens a connection to the first reachable URL (starting with the last good one), with TLS set up,
   * and runs `init` on it (a bind). Connection failures move on to the next URL; any other error
   * (wrong credentials, say) is thrown at once.
   */
  async open(init: (client: Client) => Promise<void>): Promise<{ client: Client; url: string }> {
    const { urls } = this.#opts;
    let last: unknown;
    for (let i = 0; i < urls.length; i++) {
      const idx = (this.#preferred + i) % urls.length;
      const url = urls[idx].replace(/\/+$/, '');
      const tlsOptions = {
        ...(this.#opts.ca.length ? { ca: this.#opts.ca } : {}),
        rejectUnauthorized: this.#opts.rejectUnauthorized,
      };
      const ldaps = url.toLowerCase().startsWith('ldaps://');
      // ldapts treats any tlsOptions as "connect with TLS": pass them only for ldaps://.
      const client = new Client({
        url,
        connectTimeout: this.#opts.connectTimeoutMs,
        timeout: this.#opts.timeoutMs,
        ...(ldaps ? { tlsOptions } : {}),
        strictDN: false,
      });
      try {
        if (this.#opts.startTls && !ldaps) await client.startTLS(tlsOptions);
        await init(client);
        if (idx !== this.#preferred) {
          this.#log?.warn('LDAP failover', { from: urls[this.#preferred], to: urls[idx] });
          this.#preferred = idx;
        }
        return { client, url };
      } catch (e) {
        await client.unbind().catch(() => undefined);
        if (!isConnectionFailure(e)) throw e;
        last = e;
        this.#log?.warn('LDAP server unreachable', { url, error: describe(e) });
      }
    }
    throw new BackendError('unavailable', `no LDAP server reachable (${describe(last)})`);
  }

  /** Binds a fresh connection as `dn` and closes it: true when the server accepts the password. */
  async verifyBind(dn: string, password: string): Promise<boolean> {
    // An empty password would be an unauthenticated bind (RFC 4513 §5.1.2), which servers accept.
    if (password === '') return false;
    try {
      const { client } = await this.open((c) => c.bind(dn, password));
      await client.unbind().catch(() => undefined);
      return true;
    } catch (e) {
      if (e instanceof InvalidCredentialsError) return false;
      throw mapError(e);
    }
  }

  async #connect(): Promise<Conn> {
    const { bindDn, bindPassword } = this.#opts;
    try {
      const { client, url } = await this.open(async (c) => {
        if (bindDn) await c.bind(bindDn, bindPassword ?? '');
        // Anonymous: read the RootDSE so an unreachable server fails over here.
        else await c.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
      });
      return new Conn(client, url);
    } catch (e) {
      if (e instanceof InvalidCredentialsError) {
        throw new BackendError('unavailable', `LDAP service bind as ${bindDn} was refused (check the password)`);
      }
      throw mapError(e);
    }
  }

  async #acquire(): Promise<{ conn: Conn; slot: number }> {
    if (this.#closed) throw new BackendError('unavailable', 'LDAP connections are closed');
    const slot = this.#next;
    this.#next = (this.#next + 1) % this.#pool.length;
    let p = this.#pool[slot];
    if (p) {
      const conn = await p.catch(() => undefined);
      if (conn && !conn.broken && conn.client.isConnected) return { conn, slot };
      this.#pool[slot] = undefined;
      p = undefined;
    }
    p = this.#connect();
    this.#pool[slot] = p;
    p.catch(() => {
      if (this.#pool[slot] === p) this.#pool[slot] = undefined;
    });
    return { conn: await p, slot };
  }

  /**
   * Runs an operation on a pooled, bound connection. A connection failure marks the connection
   * broken and retries once on a fresh one (which may fail over to the next URL).
   */
  async use<T>(op: (client: Client) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const { conn, slot } = await this.#acquire();
      try {
        return await op(conn.client);
      } catch (e) {
        if (!isConnectionFailure(e) || attempt >= 2) throw e;
        conn.broken = true;
        this.#pool[slot] = undefined;
        conn.client.unbind().catch(() => undefined);
        this.#log?.warn('LDAP connection lost, retrying', { url: conn.url, error: describe(e) });
      }
    }
  }

  /**
   * Every entry matching `spec`, however many: paged (RFC 2696) with `limits.pageSize`; when the
   * server still stops the search (size limit on the whole paged search, time limit, admin limit),
   * the search is split into ranges of the partition attribute and each range is searched alone,
   * recursively, so no entry is lost. Without a partition attribute the limit error is reported.
   */
  async searchAll(spec: SearchSpec, limits: SearchLimits): Promise<LdapEntry[]> {
    try {
      return await this.#paged(spec, limits);
    } catch (e) {
      if (!isLimitError(e)) throw mapError(e);
      if (!limits.partition) {
        throw new BackendError(
          'unavailable',
          `LDAP search stopped by a server limit (${describe(e)}); configure a partition attribute`,
        );
      }
      this.#log?.debug('LDAP search hit a server limit; splitting it', { filter: spec.filter, error: describe(e) });
      return this.#partitioned(spec, limits, limits.partition);
    }
  }

  /** Paged searches run one at a time: OpenLDAP keeps one paged-results cookie per connection and
   * answers "paged results cookie is invalid" when a second paged search interleaves with the first. */
  #pagedQueue: Promise<unknown> = Promise.resolve();

  async #paged(spec: SearchSpec, limits: SearchLimits): Promise<LdapEntry[]> {
    const run = this.#pagedQueue.then(() => this.#pagedNow(spec, limits));
    this.#pagedQueue = run.catch(() => undefined);
    return run;
  }

  async #pagedNow(spec: SearchSpec, limits: SearchLimits): Promise<LdapEntry[]> {
    return this.use(async (client) => {
      const out: LdapEntry[] = [];
      const pages = client.searchPaginated(spec.base, {
        scope: spec.scope,
        filter: spec.filter,
        attributes: spec.attributes,
        explicitBufferAttributes: spec.binary ?? [],
        paged: { pageSize: limits.pageSize },
        timeLimit: limits.timeLimit,
      });
      for await (const page of pages) for (const e of page.searchEntries) out.push(e as LdapEntry);
      return out;
    });
  }

  async #partitioned(spec: SearchSpec, limits: SearchLimits, p: PartitionSpec): Promise<LdapEntry[]> {
    const range = RANGES[p.kind];
    const out: LdapEntry[] = [];
    // Entries without the attribute form their own partition.
    out.push(...(await this.#rangeOrSplit(spec, limits, p, `(!(${p.attribute}=*))`, undefined)));
    out.push(...(await this.#rangeOrSplit(spec, limits, p, '', [range.min, range.max()])));
    return out;
  }

  async #rangeOrSplit(
    spec: SearchSpec,
    limits: SearchLimits,
    p: PartitionSpec,
    extra: string,
    bounds: [number, number] | undefined,
  ): Promise<LdapEntry[]> {
    const range = RANGES[p.kind];
    const filter = bounds
      ? and([
          normalizeFilter(spec.filter),
          `(${p.attribute}>=${range.format(bounds[0])})`,
          `(!(${p.attribute}>=${range.format(bounds[1])}))`,
        ])
      : and([normalizeFilter(spec.filter), extra]);
    try {
      return await this.#paged({ ...spec, filter }, limits);
    } catch (e) {
      if (!isLimitError(e)) throw mapError(e);
      if (!bounds || bounds[1] - bounds[0] <= range.step) {
        throw new BackendError('unavailable', `LDAP search cannot be split below the server limit (${describe(e)})`);
      }
      const half = Math.max(range.step, Math.floor((bounds[1] - bounds[0]) / 2 / range.step) * range.step);
      const mid = bounds[0] + half;
      const left = await this.#rangeOrSplit(spec, limits, p, '', [bounds[0], mid]);
      const right = await this.#rangeOrSplit(spec, limits, p, '', [mid, bounds[1]]);
      return [...left, ...right];
    }
  }

  /** One search without paging (small, bounded results such as lookups by id). */
  async search(spec: SearchSpec, limits: SearchLimits): Promise<LdapEntry[]> {
    return this.searchAll(spec, limits);
  }

  /** Reads attributes of one entry (RootDSE with base ''); undefined when it does not exist. */
  async read(dn: string, attributes: string[]): Promise<LdapEntry | undefined> {
    try {
      const r = await this.use((c) => c.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes }));
      return r.searchEntries[0] as LdapEntry | undefined;
    } catch (e) {
      if (e instanceof Error && e.constructor.name === 'NoSuchObjectError') return undefined;
      throw mapError(e);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const conns = this.#pool.splice(0);
    await Promise.all(
      conns.map(async (p) => {
        const c = await p?.catch(() => undefined);
        await c?.client.unbind().catch(() => undefined);
      }),
    );
  }
}

function isLimitError(e: unknown): boolean {
  return (
    e instanceof SizeLimitExceededError || e instanceof TimeLimitExceededError || e instanceof AdminLimitExceededError
  );
}

/** LDAP failures the core should see as an outage (503) rather than a crash. */
export function mapError(e: unknown): unknown {
  if (e instanceof BackendError) return e;
  if (isConnectionFailure(e)) return new BackendError('unavailable', `LDAP: ${describe(e)}`);
  if (e instanceof Error && 'code' in e && typeof e.code === 'number')
    return new BackendError('unavailable', `LDAP: ${describe(e)}`);
  return e;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function timeParts(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}`;
}

/** Numeric ranges per partition kind; values are what the ordering filter compares. */
const RANGES: Record<PartitionSpec['kind'], { min: number; max(): number; step: number; format(v: number): string }> = {
  // CSN: "YYYYmmddHHMMSS.uuuuuuZ#count#sid#mod"; the numbers here are microseconds since 1970.
  csn: {
    min: 0,
    max: () => (Date.now() + 366 * 86_400_000) * 1000,
    step: 1,
    format: (us) => `${timeParts(Math.floor(us / 1000))}.${pad(us % 1_000_000, 6)}Z#000000#000#000000`,
  },
  integer: { min: 0, max: () => Number.MAX_SAFE_INTEGER, step: 1, format: (n) => String(n) },
  // generalizedTime: milliseconds since 1970, compared at one-second resolution.
  generalizedTime: {
    min: 0,
    max: () => Date.now() + 366 * 86_400_000,
    step: 1000,
    format: (ms) => `${timeParts(ms)}Z`,
  },
};
