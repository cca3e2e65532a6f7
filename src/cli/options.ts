// Command-line flags shared by the commands, and how they become configuration overrides
// (defaults ← file ← DAVGATE_* ← flags).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type ConfigOverride, type LoadedConfig, loadConfig } from '../config/load.ts';
import { CliError, type CliIo, EXIT_USAGE } from './io.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Flags that select and override the configuration. */
export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'data-dir': { type: 'string' },
} as const satisfies OptionSpec;

export const LISTEN_OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
} as const satisfies OptionSpec;

export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpec;

export type FlagValues = Record<string, string | boolean | undefined>;

/** Parses flags strictly: an unknown flag or a missing value is a usage error naming it. */
export function parseFlags<O extends OptionSpec>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''), EXIT_USAGE);
  }
}

/** Turns --port, --host and --data-dir into overrides; the value is validated with the rest. */
export function overridesFrom(values: FlagValues): ConfigOverride[] {
  const out: ConfigOverride[] = [];
  if (typeof values.port === 'string') {
    const port = /^\d+$/.test(values.port) ? Number(values.port) : values.port;
    out.push({ path: ['server', 'port'], value: port, source: '--port' });
  }
  if (typeof values.host === 'string') out.push({ path: ['server', 'host'], value: values.host, source: '--host' });
  if (typeof values['data-dir'] === 'string') {
    out.push({ path: ['storage', 'dataDir'], value: values['data-dir'], source: '--data-dir' });
  }
  return out;
}

/** Loads the configuration for a command and prints its warnings. */
export async function loadForCommand(values: FlagValues, io: CliIo): Promise<LoadedConfig> {
  const loaded = await loadConfig({
    file: typeof values.config === 'string' ? values.config : undefined,
    env: io.env,
    overrides: overridesFrom(values),
  });
  for (const w of loaded.warnings) io.err(`warning: ${w}`);
  return loaded;
}
