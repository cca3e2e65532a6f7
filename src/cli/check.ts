// `davgate check`: validate the configuration (file, environment, flags) and exit.
import { stringify } from 'yaml';
import type { LoadedConfig } from '../config/load.ts';
import { sqliteFile } from '../config/paths.ts';
import type { CliIo } from './io.ts';
import { appPrefix, origin } from './urls.ts';

export function runCheck(loaded: LoadedConfig, io: CliIo, print: boolean): number {
  const { config, file } = loaded;
  if (print) {
    io.out(stringify(config).trimEnd());
    return 0;
  }
  io.out(`configuration OK (${file ? `file ${file}` : 'no file: embedded default'})`);
  io.out(`  listen:  ${origin(config.server.host, config.server.port)}${appPrefix(config)}/`);
  if (config.storage.kind === 'sqlite') io.out(`  storage: sqlite ${sqliteFile(config.storage)}`);
  else {
    const s = config.storage;
    io.out(
      `  storage: ${s.kind} ${s.user}@${s.host}:${s.port ?? (s.kind === 'postgres' ? 5432 : 3306)}/${s.database} (${s.profile})`,
    );
  }
  io.out(`  state:   ${config.state.kind}`);
  return 0;
}
