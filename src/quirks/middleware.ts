// Hono middleware: detects the client's profiles and records them on the request (c.var.quirks, and
// the client version for the access log); the DAV handler applies their hooks (helpers below).
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { classify, detectProfiles, type QuirkOverrides } from './detect.ts';
import type { QuirkProfile, QuirkRequest } from './profile.ts';

export function quirksMiddleware(profiles: QuirkProfile[], overrides: QuirkOverrides = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ua = c.req.header('user-agent') ?? '';
    const active = detectProfiles(ua, new URL(c.req.url).pathname, profiles, overrides);
    c.set('quirks', active);
    const client = classify(ua, profiles, overrides.extraMatchers);
    // The version is the User-Agent's only when the profile came from it (not forced for the path).
    if (client && active[0] === client.profile) c.set('clientVersion', client.version);
    await next();
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
