// Request id and the access log: one line per request with method, path, status, time, user and
// active quirk profiles. Never logs headers or bodies (credentials live there).
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../dav/context.ts';
import type { AppEnv } from './env.ts';

export function requestContext(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.header('x-request-id')?.slice(0, 100) || randomUUID();
    c.set('requestId', id);
    const start = performance.now();
    await next();
    // DAV answers carry X-Request-Id already (set when built); others (health, redirects, 401) get it here.
    if (c.get('davHandled') !== true) c.header('X-Request-Id', id);
    if (log.enabled?.('info') === false) return;
    log.info('request', {
      requestId: id,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      user: c.get('user'),
      quirks: (c.get('quirks') ?? []).map((q) => q.id),
      clientVersion: c.get('clientVersion'),
    });
  };
}
