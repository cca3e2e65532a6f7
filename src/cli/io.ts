// What the commands read and write, so tests can run them without a terminal or a process.
import type { Readable } from 'node:stream';

export interface CliIo {
  /** One line of output for people and scripts (standard output). */
  out(line: string): void;
  /** One line of diagnostics (standard error). */
  err(line: string): void;
  /** Standard input: passwords are read from it. `isTTY`/`setRawMode` exist on a terminal. */
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Prompts go here (standard error, so that output stays clean). */
  prompt(text: string): void;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: process.stdin,
    prompt: (text) => process.stderr.write(text),
    env: process.env,
  };
}

/** A failure the user can fix; printed without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Exit codes: 0 success, 1 failure, 2 bad usage or configuration (as sysexits' spirit, kept simple). */
export const EXIT_USAGE = 2;
