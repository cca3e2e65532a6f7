// Request counters per client profile for /metrics (Prometheus text format 0.0.4): operators see
// which clients use the gateway and which quirk profiles are active. In-process counters, per replica
// (Prometheus sums replicas). Unknown clients count as profile "none".
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

const NAME = 'davgate_requests_total';

/** Prometheus label values: backslash, double quote and line feed escaped. */
const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const KNOWN_METHODS = new Set([
  'OPTIONS',
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'MKCALENDAR',
  'COPY',
  'MOVE',
  'REPORT',
  'POST',
]);

export class RequestMetrics {
  readonly #counts = new Map<string, number>();

  /** Counts one request under each active profile (or "none"). Methods outside DAV count as OTHER. */
  record(profiles: string[], method: string, status: number): void {
    const m = KNOWN_METHODS.has(method.toUpperCase()) ? method.toUpperCase() : 'OTHER';
    const cls = `${Math.floor(status / 100)}xx`;
    for (const p of profiles.length ? profiles : ['none']) {
      const key = JSON.stringify([p, m, cls]);
      this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    }
  }

  /** Requests counted for one profile (all methods and statuses). */
  total(profile: string): number {
    let n = 0;
    for (const [k, v] of this.#counts) if ((JSON.parse(k) as string[])[0] === profile) n += v;
    return n;
  }

  render(): string {
    const lines = [
      `# HELP ${NAME} Requests by client quirk profile ("none": no profile matched), method and status class.`,
      `# TYPE ${NAME} counter`,
    ];
    for (const k of [...this.#counts.keys()].sort()) {
      const [p, m, cls] = JSON.parse(k) as string[];
      lines.push(`${NAME}{profile="${label(p)}",method="${m}",status="${cls}"} ${this.#counts.get(k)}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Counts every request that passes (after the quirk middleware has recorded the profiles). */
export function countRequests(metrics: RequestMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    metrics.record(
      (c.get('quirks') ?? []).map((q) => q.id),
      c.req.method,
      c.res.status,
    );
  };
}
