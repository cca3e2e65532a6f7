// Hono middleware: detects the client's profiles, records them on the request (c.var.quirks) and
// applies their request hooks to the headers the core will read.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { detectProfiles, type QuirkOverrides } from './detect.ts';
import type { QuirkProfile } from './profile.ts';

export function quirksMiddleware(profiles: QuirkProfile[], overrides: QuirkOverrides = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ua = c.req.header('user-agent') ?? '';
    const active = detectProfiles(ua, new URL(c.req.url).pathname, profiles, overrides);
    c.set('quirks', active);
    await next();
  };
}

/** Applies request hooks; returns the (possibly rewritten) headers. */
export function applyRequestHooks(active: QuirkProfile[], method: string, path: string, headers: Headers): Headers {
  let req = { method, path, headers };
  for (const p of active) if (p.request) req = p.request(req);
  return req.headers;
}
