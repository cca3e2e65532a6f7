// HTTP Basic authentication (RFC 7617) against the user store, as a Hono middleware.
// Credentials are UTF-8 (§2.1, advertised with charset="UTF-8"). Clients send them on every request
// and scrypt is deliberately slow, so successful checks are remembered for `cacheSeconds`, keyed by a
// keyed SHA-256 of the Authorization header (the password itself is never kept, nor logged).
import { hash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type Authenticator, AuthUnavailable } from './authenticator.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import type { UserStore } from './user-store.ts';

export interface BasicAuthOptions {
  users: Pick<UserStore, 'passwordHash' | 'setPasswordHash'>;
  /** Verifies passwords instead of the user store (e.g. LDAP bind, src/auth/ldap-auth.ts). */
  authenticator?: Authenticator;
  /** Realm in the challenge. */
  realm: string;
  /** How long a successful check is remembered; 0 checks every request. A changed or removed password may keep working this long. */
  cacheSeconds: number;
  /** Most remembered credentials (oldest dropped first). Default 10,000. */
  maxCacheEntries?: number;
  /** Clock for tests (ms). */
  now?: () => number;
}

/** What the middleware adds to the context: the authenticated user name. */
export interface AuthEnv {
  Variables: { user: string };
}

export interface Credentials {
  user: string;
  password: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses `Authorization: Basic …`; undefined when absent or malformed. */
export function parseBasicAuthorization(header: string | undefined): Credentials | undefined {
  const m = /^\s*basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const bytes = Buffer.from(m[1], 'base64');
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    // Some older clients send ISO-8859-1 despite the charset parameter (RFC 7617 §2.1 leaves it open).
    text = bytes.toString('latin1');
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * The authentication step of a request: undefined when it may go on (the user is set on the context),
 * else the answer to send (401, or 503 when the directory is down). Synchronous for credentials
 * checked within `cacheSeconds`, which is almost every request (no promise on the hot path).
 */
export type AuthCheck = (ctx: Context) => Response | undefined | Promise<Response | undefined>;

/** HTTP Basic as a Hono middleware (tests and apps without the combined edge step, src/http/edge.ts). */
export function basicAuth(options: BasicAuthOptions) {
  const check = basicAuthCheck(options);
  return createMiddleware<AuthEnv>(async (ctx, next) => {
    const verdict = check(ctx);
    const denied = verdict instanceof Promise ? await verdict : verdict;
    if (denied) return denied;
    await next();
  });
}

export function basicAuthCheck(options: BasicAuthOptions): AuthCheck {
  const { users, cacheSeconds } = options;
  const maxEntries = options.maxCacheEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const challenge = `Basic realm=${quote(options.realm)}, charset="UTF-8"`;
  // A per-process random salt: the cache keys reveal nothing about passwords even in a memory dump.
  // One-shot SHA-256 over salt + credentials (createHmac re-imports its key on every call, which
  // was the largest cost of a cached request).
  const salt = randomBytes(32).toString('base64');
  // Keyed by the Authorization header as sent: a remembered request is one hash and one lookup, no
  // base64 or UTF-8 decoding (the same credentials spelt differently are simply checked once more).
  const remembered = new Map<string, { user: string; expires: number }>(); // key → user, expiry (ms)
  const inFlight = new Map<string, Promise<boolean>>();
  let dummyHash: Promise<string> | undefined;

  const keyOf = (header: string) => hash('sha256', `${salt}\0${header}`, 'base64');

  async function check(c: Credentials): Promise<boolean> {
    if (options.authenticator) return options.authenticator.verify(c.user, c.password);
    const stored = await users.passwordHash(c.user);
    if (stored === undefined) {
      // Spend the same time on unknown users as on wrong passwords: no user enumeration by timing.
      dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(c.password, await dummyHash);
      return false;
    }
    const ok = await verifyPassword(c.password, stored, c.user);
    if (ok && needsRehash(stored)) {
      // Upgrade hashes made with weaker parameters while the password is at hand.
      hashPassword(c.password)
        .then((h) => users.setPasswordHash(c.user, h))
        .catch(() => undefined);
    }
    return ok;
  }

  async function verify(c: Credentials, key: string): Promise<boolean> {
    // Clients open several connections at once with the same credentials: one scrypt for all of them.
    let pending = inFlight.get(key);
    if (!pending) {
      pending = check(c).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    const ok = await pending;
    if (ok && cacheSeconds > 0) {
      if (remembered.size >= maxEntries) remembered.delete(remembered.keys().next().value as string);
      remembered.set(key, { user: c.user, expires: now() + cacheSeconds * 1000 });
    }
    return ok;
  }

  const unauthorized = (ctx: Context) => ctx.text('Authentication required\n', 401, { 'WWW-Authenticate': challenge });

  async function slow(ctx: Context, credentials: Credentials, key: string): Promise<Response | undefined> {
    let ok = false;
    try {
      ok = await verify(credentials, key);
    } catch (e) {
      if (!(e instanceof AuthUnavailable)) throw e;
      return ctx.text('The user directory is unavailable; try again shortly\n', 503, { 'Retry-After': '30' });
    }
    if (!ok) return unauthorized(ctx);
    ctx.set('user', credentials.user);
    return undefined;
  }

  return (ctx) => {
    const header = ctx.req.header('authorization');
    if (header === undefined) return unauthorized(ctx);
    const key = keyOf(header);
    if (cacheSeconds > 0) {
      const hit = remembered.get(key);
      if (hit !== undefined) {
        if (hit.expires > now()) {
          ctx.set('user', hit.user);
          return undefined;
        }
        remembered.delete(key);
      }
    }
    const credentials = parseBasicAuthorization(header);
    if (credentials === undefined || credentials.password.length === 0) return unauthorized(ctx);
    return slow(ctx, credentials, key);
  };
}
