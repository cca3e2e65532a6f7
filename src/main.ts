// The davgate binary (bin/davgate.js runs this file). The one place besides src/app.ts that constructs
// concrete parts: the configured SQL store (src/cli/open-store.ts) and the state store (memory or Redis).
import { processIo } from './cli/io.ts';
import { openConfiguredStore } from './cli/open-store.ts';
import { runCli } from './cli/run.ts';
import type { CliRuntime } from './cli/runtime.ts';
import { createLogger } from './http/logger.ts';
import { MemoryStateStore } from './state/memory.ts';

const runtime: CliRuntime = {
  // The LDAP directory, when configured, joins the store as a mount (and as the password check).
  openStore: async (config, state) => {
    const store = await openConfiguredStore(config, process.env, state);
    if (!config.ldap) return store;
    // Loaded only when configured: the LDAP client is not needed otherwise (start-up memory).
    const { attachLdap } = await import('./cli/ldap-deps.ts');
    return attachLdap(config, store, createLogger(config.logging.level));
  },
  createState: async (config) => {
    const { state } = config;
    if (state.kind === 'memory')
      return new MemoryStateStore({ maxLogEntries: state.logMaxEntries, maxLogAgeSeconds: state.logMaxAgeSeconds });
    // Loaded only when configured: the Redis client is not needed otherwise.
    const { openRedisState } = await import('./state/redis-open.ts');
    return openRedisState(state, createLogger(config.logging.level));
  },
  createLogger: (level) => createLogger(level),
  // Loaded on demand: `davgate user …` and `check` do not need the protocol core.
  buildApp: async (deps) => (await import('./app.ts')).buildApp(deps),
};

process.exitCode = await runCli(process.argv.slice(2), runtime, processIo());
