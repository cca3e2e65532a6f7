// A recorded client session against the in-process app: every request carries the client's real
// User-Agent and the headers it always sends; bodies come from test/clients/fixtures (byte-exact
// client captures) or from the session. Responses are read the way the client reads them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTestApp, type TestAppOptions, type USERS } from '../../support/app.ts';
import { type ParsedResponse, parseMultistatus } from '../../support/xml-assert.ts';

export interface ClientSpec {
  userAgent: string;
  /** Headers the client sends on every request (besides User-Agent and Authorization). */
  headers?: Record<string, string>;
  app?: TestAppOptions;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

export type Session = Awaited<ReturnType<typeof startSession>>;

/** A request body from test/clients/fixtures, byte-exact. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

export async function startSession(spec: ClientSpec) {
  const t = await createTestApp(spec.app);
  const log: string[] = [];
  async function send(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string>; user?: keyof typeof USERS | null } = {},
  ): Promise<Reply> {
    const headers = { ...spec.headers, 'User-Agent': spec.userAgent, ...init.headers };
    const r = await t.request(method, path, { body: init.body, headers, user: init.user });
    log.push(`${method} ${path} → ${r.status}`);
    return r;
  }
  /** A request as the server side (another, unknown client) makes it: no User-Agent. */
  async function server(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    return t.request(method, path, init);
  }
  return { t, send, server, log };
}

/** Parses a 207 answer (asserting the status), keyed by href. */
export function multistatus(r: Reply, what = 'multistatus'): ReturnType<typeof parseMultistatus> {
  assert.equal(r.status, 207, `${what}: expected 207, got ${r.status}: ${r.text.slice(0, 300)}`);
  return parseMultistatus(r.text);
}

/** One response of a multistatus by href, asserting it is there. */
export function responseFor(ms: ReturnType<typeof parseMultistatus>, href: string): ParsedResponse {
  const r = ms.byHref.get(href);
  assert.ok(r, `no response for ${href}; got ${[...ms.byHref.keys()].join(', ')}`);
  return r;
}

/** A property found (200) in a response. */
export function found(r: ParsedResponse, clark: string) {
  const p = r.props.get(clark);
  assert.ok(p, `${r.href}: ${clark} missing`);
  assert.equal(p.status, 200, `${r.href}: ${clark} has status ${p.status}`);
  return p.el;
}

export const ICS_TYPE = { 'Content-Type': 'text/calendar; charset=utf-8' };
export const VCARD_TYPE = { 'Content-Type': 'text/vcard; charset=utf-8' };
