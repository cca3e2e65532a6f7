// The davgate binary (bin/davgate.js runs this file). The one place besides src/app.ts that constructs
// concrete parts: the SQLite store of the embedded default and the state store (memory or Redis).
import { openSqlite } from '../adapters/sql/open.ts';
import { processIo } from './cli/io.ts';
import { attachLdap } from './cli/ldap-deps.ts';
import { runCli } from './cli/run.ts';
import type { CliRuntime } from './cli/runtime.ts';
import { sqliteFile } from './config/paths.ts';
import { createLogger } from './http/logger.ts';
import { MemoryStateStore } from './state/memory.ts';

const runtime: CliRuntime = {
  // The LDAP directory, when configured, joins the store as a mount (and as the password check).
  openStore: async (config) =>
    attachLdap(config, await openSqlite(sqliteFile(config.storage)), createLogger(config.logging.level)),
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
