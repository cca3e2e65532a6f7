// Hono middleware: detects the client's profiles and records them on the request (c.var.quirks, and
// the client version for the access log); the DAV handler applies their hooks (helpers below).
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { classify, detectProfiles, type QuirkOverrides } from './detect.ts';
import type { QuirkProfile, QuirkRequest } from './profile.ts';

/** Detection result per User-Agent; bounded, cleared when full (agents are few; this is a hot path). */
const CACHE_LIMIT = 512;

/** Detection as a middleware (tests, apps without the combined edge step in src/http/edge.ts). */
export function quirksMiddleware(profiles: QuirkProfile[], overrides: QuirkOverrides = {}): MiddlewareHandler<AppEnv> {
  const detect = profileDetector(profiles, overrides);
  return async (c, next) => {
    detect(c);
    await next();
  };
}

/** Records the client's profiles (and version) on the request: c.var.quirks, c.var.clientVersion. */
export function profileDetector(
  profiles: QuirkProfile[],
  overrides: QuirkOverrides = {},
): (c: Context<AppEnv>) => void {
  const cache = new Map<string, { active: QuirkProfile[]; version: string | undefined }>();
  const forced = overrides.forcePaths ?? [];
  const detect = (ua: string, path: string) => {
    const active = detectProfiles(ua, path, profiles, overrides);
    const client = classify(ua, profiles, overrides.extraMatchers);
    // The version is the User-Agent's only when the profile came from it (not forced for the path).
    return { active, version: client && active[0] === client.profile ? client.version : undefined };
  };
  return (c) => {
    const ua = c.req.header('user-agent') ?? '';
    const path = forced.length ? c.req.path : '';
    let found: { active: QuirkProfile[]; version: string | undefined } | undefined;
    if (forced.length && forced.some((f) => path.startsWith(f.pathPrefix))) found = detect(ua, path);
    else {
      found = cache.get(ua);
      if (!found) {
        if (cache.size >= CACHE_LIMIT) cache.clear();
        found = detect(ua, path);
        cache.set(ua, found);
      }
    }
    c.set('quirks', found.active);
    if (found.version !== undefined) c.set('clientVersion', found.version);
  };
}

/** Applies response hooks in profile order (error responses included). */
export function applyResponseHooks(active: QuirkProfile[], res: Response, req: QuirkRequest): Response {
  let out = res;
  for (const p of active) if (p.response) out = p.response(out, req);
  return out;
}

/** Applies request hooks; returns the (possibly rewritten) headers. */
export function applyRequestHooks(active: QuirkProfile[], method: string, path: string, headers: Headers): Headers {
  let req = { method, path, headers };
  for (const p of active) if (p.request) req = p.request(req);
  return req.headers;
}
