// Request counters per client profile for /metrics (Prometheus text format 0.0.4): operators see
// which clients use the gateway and which quirk profiles are active. In-process counters, per replica
// (Prometheus sums replicas). Unknown clients count as profile "none".

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

interface Counter {
  profile: string;
  method: string;
  cls: string;
  n: number;
}

export class RequestMetrics {
  /** Keyed by profile, method and class joined with NUL (no JSON per request: this runs on every one). */
  readonly #counts = new Map<string, Counter>();

  /** Counts one request under each active profile (or "none"). Methods outside DAV count as OTHER. */
  record(profiles: string[], method: string, status: number): void {
    const upper = method.toUpperCase();
    const m = KNOWN_METHODS.has(upper) ? upper : 'OTHER';
    const cls = `${Math.floor(status / 100)}xx`;
    if (profiles.length === 0) this.#count('none', m, cls);
    else for (const p of profiles) this.#count(p, m, cls);
  }

  #count(profile: string, method: string, cls: string): void {
    const key = `${profile}\0${method}\0${cls}`;
    const c = this.#counts.get(key);
    if (c) c.n++;
    else this.#counts.set(key, { profile, method, cls, n: 1 });
  }

  /** Requests counted for one profile (all methods and statuses). */
  total(profile: string): number {
    let n = 0;
    for (const c of this.#counts.values()) if (c.profile === profile) n += c.n;
    return n;
  }

  render(): string {
    const lines = [
      `# HELP ${NAME} Requests by client quirk profile ("none": no profile matched), method and status class.`,
      `# TYPE ${NAME} counter`,
    ];
    const sorted = [...this.#counts.values()].sort(
      (a, b) => cmp(a.profile, b.profile) || cmp(a.method, b.method) || cmp(a.cls, b.cls),
    );
    for (const c of sorted) {
      lines.push(`${NAME}{profile="${label(c.profile)}",method="${c.method}",status="${c.cls}"} ${c.n}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
