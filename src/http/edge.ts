// The per-request steps in front of every DAV route, as one middleware: client profile detection
// (src/quirks), authentication (src/auth) and the request counters (metrics.ts). One step instead
// of three chained middlewares: each chained async layer costs a promise and a dispatch on every
// request, and for a cached credential the detection and the check are synchronous (GET throughput,
// docs/performance.md).
import type { Context, MiddlewareHandler } from 'hono';
import type { AuthCheck } from '../auth/basic-auth.ts';
import type { AppEnv } from './env.ts';
import type { RequestMetrics } from './metrics.ts';

export function edge(
  metrics: RequestMetrics,
  detect: (c: Context<AppEnv>) => void,
  authenticate: AuthCheck,
): MiddlewareHandler<AppEnv> {
  const count = (c: Context<AppEnv>, status: number) =>
    metrics.record(
      (c.get('quirks') ?? []).map((q) => q.id),
      c.req.method,
      status,
    );
  // Profiles are detected before authentication so unauthenticated probes are attributed too.
  return async (c, next) => {
    detect(c);
    const verdict = authenticate(c);
    const denied = verdict instanceof Promise ? await verdict : verdict;
    if (denied) {
      count(c, denied.status);
      return denied;
    }
    await next();
    count(c, c.res.status);
  };
}
