// The URLs a person enters in a client. Hrefs come from the core's own builder so they match what
// the server answers in current-user-principal.
import { hostname } from 'node:os';
import type { Config } from '../config/schema.ts';
import { Hrefs } from '../dav/path.ts';

/** The prefix as the app expects it: '' when DAV is served at the root. */
export function appPrefix(config: Config): string {
  return config.server.publicPrefix === '/' ? '' : config.server.publicPrefix;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** http://host:port with the address actually bound. */
export function origin(host: string, port: number): string {
  return `http://${hostForUrl(host)}:${port}`;
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

export interface ClientUrls {
  /** What to type as "server" in Apple Calendar, Thunderbird, DAVx5: discovery does the rest. */
  server: string;
  /** The DAV root under the prefix. */
  dav: string;
  /** The user's principal, for clients that ask for it. */
  principal: string;
}

/** Client URLs for `user`; a wildcard bind address is replaced by this machine's host name. */
export function clientUrls(config: Config, port: number, user: string): ClientUrls {
  const host = WILDCARD.has(config.server.host) ? hostname() : config.server.host;
  const base = origin(host, port);
  const hrefs = new Hrefs(appPrefix(config));
  return { server: `${base}/`, dav: `${base}${hrefs.root()}`, principal: `${base}${hrefs.principal(user)}` };
}
