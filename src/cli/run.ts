// Command dispatch for the davgate binary: parses argv, loads the configuration, runs one command and
// returns its exit code. Errors the user can fix are printed as one line each, without a stack.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/errors.ts';
import { runCheck } from './check.ts';
import { CHECK_HELP, MAIN_HELP, SERVE_HELP, SQL_HELP, USER_HELP } from './help.ts';
import { CliError, type CliIo, EXIT_USAGE } from './io.ts';
import { CONFIG_OPTIONS, HELP_OPTION, LISTEN_OPTIONS, loadForCommand, parseFlags } from './options.ts';
import type { CliRuntime } from './runtime.ts';
import { runServe } from './serve.ts';
import { runSql, SQL_ACTIONS, SQL_FLAGS, type SqlAction, sqlOptions } from './sql.ts';
import { resolveSqlTarget } from './sql-target.ts';
import { runUser } from './user.ts';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function say(io: CliIo, text: string, code: number): number {
  io.out(text);
  return code;
}

function tooMany(positionals: string[], max: number, usage: string): void {
  if (positionals.length > max) throw new CliError(`unexpected argument "${positionals[max]}"\n${usage}`, EXIT_USAGE);
}

async function dispatch(argv: string[], runtime: CliRuntime, io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(MAIN_HELP);
      return command === undefined ? EXIT_USAGE : 0;
    case '--version':
    case '-v':
    case 'version':
      io.out(version());
      return 0;
    case 'serve': {
      const { values, positionals } = parseFlags(rest, { ...CONFIG_OPTIONS, ...LISTEN_OPTIONS, ...HELP_OPTION });
      if (values.help) return say(io, SERVE_HELP, 0);
      tooMany(positionals, 0, SERVE_HELP);
      const { config } = await loadForCommand(values, io);
      return runServe(config, runtime, io);
    }
    case 'check': {
      const options = { ...CONFIG_OPTIONS, ...LISTEN_OPTIONS, ...HELP_OPTION, print: { type: 'boolean' } } as const;
      const { values, positionals } = parseFlags(rest, options);
      if (values.help) return say(io, CHECK_HELP, 0);
      tooMany(positionals, 0, CHECK_HELP);
      return runCheck(await loadForCommand(values, io), io, values.print === true);
    }
    case 'user': {
      const options = {
        ...CONFIG_OPTIONS,
        ...HELP_OPTION,
        'display-name': { type: 'string' },
        email: { type: 'string' },
        generate: { type: 'boolean' },
        purge: { type: 'boolean' },
      } as const;
      const { values, positionals } = parseFlags(rest, options);
      if (values.help || positionals.length === 0) return say(io, USER_HELP, values.help ? 0 : EXIT_USAGE);
      const [action, name] = positionals;
      tooMany(positionals, action === 'list' ? 1 : 2, USER_HELP);
      const { config } = await loadForCommand(values, io);
      const store = await runtime.openStore(config);
      try {
        const cmd = { action, name, displayName: values['display-name'], email: values.email };
        return await runUser(store, { ...cmd, generate: values.generate === true, purge: values.purge === true }, io);
      } finally {
        await store.close();
      }
    }
    case 'sql': {
      const options = {
        ...CONFIG_OPTIONS,
        ...HELP_OPTION,
        mapping: { type: 'string' },
        'database-url': { type: 'string' },
        file: { type: 'string' },
        'password-env': { type: 'string' },
        ...SQL_FLAGS,
      } as const;
      const { values, positionals } = parseFlags(rest, options);
      if (values.help || positionals.length === 0) return say(io, SQL_HELP, values.help ? 0 : EXIT_USAGE);
      const [action] = positionals;
      if (!SQL_ACTIONS.includes(action as SqlAction)) {
        throw new CliError(`unknown sql action "${action}"\n${SQL_HELP}`, EXIT_USAGE);
      }
      tooMany(positionals, 1, SQL_HELP);
      const opts = sqlOptions(action as SqlAction, values);
      return runSql(action as SqlAction, await resolveSqlTarget(values, io), io, opts);
    }
    default:
      throw new CliError(`unknown command "${command}"\n${MAIN_HELP}`, EXIT_USAGE);
  }
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: string[], runtime: CliRuntime, io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, runtime, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines) io.err(line);
      return EXIT_USAGE;
    }
    if (err instanceof CliError) {
      io.err(`davgate: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
