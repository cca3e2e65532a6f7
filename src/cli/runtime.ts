// The concrete parts a command needs, handed in by src/main.ts (the only place, with src/app.ts, that
// constructs adapters) and by tests with memory parts.
import type { AppDeps } from '../app.ts';
import type { UserStore } from '../auth/user-store.ts';
import type { Backend } from '../backend/port.ts';
import type { Config, LogLevel } from '../config/schema.ts';
import type { Logger } from '../dav/context.ts';
import type { StateStore } from '../state/store.ts';

/** The configured storage, opened: calendars and contacts, and the users of the embedded default. */
export interface OpenedStore {
  backend: Backend;
  users: UserStore;
  close(): void | Promise<void>;
}

/** Anything with a fetch handler (a Hono app). */
export interface FetchApp {
  /** `env` is what @hono/node-server passes (the Node request and response: the HTTP version). */
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

export interface CliRuntime {
  /** `state`, when given, is the state store the server runs with (a column mapping may keep data there). */
  openStore(config: Config, state?: StateStore): OpenedStore | Promise<OpenedStore>;
  createState(config: Config): StateStore | Promise<StateStore>;
  createLogger(level: LogLevel): Logger;
  buildApp(deps: AppDeps): FetchApp | Promise<FetchApp>;
}
