// Builds the app in-process with memory parts, and a client that speaks to it like a DAV client.
import { MemoryBackend, type MemoryBackendOptions } from '../../adapters/memory/memory-backend.ts';
import { type AppDeps, buildApp } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/password.ts';
import type { Backend } from '../../src/backend/port.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { QuirkProfile } from '../../src/quirks/profile.ts';
import { MemoryStateStore } from '../../src/state/memory.ts';
import { MemoryUserStore } from './memory-users.ts';

export const USERS = {
  alice: { password: 'alice-secret', displayName: 'Alice Example', email: 'alice@example.com' },
  bob: { password: 'bob-secret', displayName: 'Bob Example', email: 'bob@example.com' },
} as const;

const FAST = { N: 1024, r: 8, p: 1 };

export interface TestAppOptions {
  prefix?: string;
  backend?: MemoryBackendOptions;
  profiles?: QuirkProfile[];
  limits?: AppDeps['limits'];
  /** Wraps the memory backend (e.g. to simulate outages). */
  wrapBackend?: (b: MemoryBackend) => Backend;
  /** Further buildApp dependencies (quirk overrides, mounts, metrics, …). */
  deps?: Partial<AppDeps>;
}

export async function createTestApp(opts: TestAppOptions = {}) {
  const backend = new MemoryBackend(opts.backend);
  const users = new MemoryUserStore();
  const state = new MemoryStateStore();
  for (const [name, u] of Object.entries(USERS)) {
    await users.create({ name, displayName: u.displayName, email: u.email }, await hashPassword(u.password, FAST));
    const admin = backend.admin;
    if (admin) {
      await admin.createCollection({ owner: name, home: 'calendars', id: 'calendar' }, 'calendar', {
        displayName: 'Calendar',
        components: ['VEVENT', 'VTODO'],
      });
      await admin.createCollection({ owner: name, home: 'addressbooks', id: 'contacts' }, 'addressbook', {
        displayName: 'Contacts',
      });
    }
  }
  const prefix = opts.prefix ?? '/dav';
  const app = buildApp({
    prefix,
    backend: opts.wrapBackend ? opts.wrapBackend(backend) : backend,
    users,
    state,
    log: createLogger('silent'),
    profiles: opts.profiles,
    limits: opts.limits,
    ...opts.deps,
  });

  async function request(
    method: string,
    path: string,
    init: { body?: string | Uint8Array; headers?: Record<string, string>; user?: keyof typeof USERS | null } = {},
  ) {
    const headers = new Headers(init.headers);
    const user = init.user === undefined ? 'alice' : init.user;
    if (user)
      headers.set('Authorization', `Basic ${Buffer.from(`${user}:${USERS[user].password}`).toString('base64')}`);
    if (typeof init.body === 'string' && !headers.has('content-type') && init.body.trimStart().startsWith('<'))
      headers.set('Content-Type', 'application/xml; charset=utf-8');
    const res = await app.request(path.startsWith('http') ? path : `http://localhost${path}`, {
      method,
      headers,
      body: init.body as never,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  }
  return { app, backend, users, state, request, prefix };
}

export const ICS = (uid: string, summary = 'Meeting', start = '20260105T100000Z', end = '20260105T110000Z'): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davgate//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

export const VCF = (uid: string, fn = 'Jane Doe'): string =>
  [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:${uid}`,
    `FN:${fn}`,
    'N:Doe;Jane;;;',
    'EMAIL:jane@example.com',
    'END:VCARD',
    '',
  ].join('\r\n');
