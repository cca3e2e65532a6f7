// The runtime src/main.ts uses, for tests: SQLite at the configured path, memory state, a silent logger.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.ts';
import { createLogger } from '../http/logger.ts';
import { MemoryStateStore } from '../state/memory.ts';
import { openConfiguredStore } from './open-store.ts';
import type { CliRuntime } from './runtime.ts';

export const testRuntime: CliRuntime = {
  openStore: (config, state) => openConfiguredStore(config, process.env, state),
  createState: () => new MemoryStateStore(),
  createLogger: () => createLogger('silent'),
  buildApp,
};

export const tempDataDir = () => mkdtemp(join(tmpdir(), 'davgate-cli-'));
