// File-system locations derived from the configuration. Relative paths resolve against the working
// directory, as they do for every other command-line tool.
import { isAbsolute, resolve } from 'node:path';
import type { Config } from './schema.ts';

/** Absolute path of the SQLite database file of the embedded default. */
export function sqliteFile(storage: Extract<Config['storage'], { kind: 'sqlite' }>): string {
  return isAbsolute(storage.file) ? storage.file : resolve(storage.dataDir, storage.file);
}
