// A CliIo for tests: captures output, feeds standard input from text (or a fake terminal).
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from './io.ts';

export interface CapturedIo extends CliIo {
  stdout: string[];
  stderr: string[];
  prompts: string[];
}

export function captureIo(options: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: string[] } = {}): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const prompts: string[] = [];
  let stdin: CliIo['stdin'];
  if (options.tty) {
    // A terminal: each chunk arrives as typed once the prompt is up.
    const tty = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] });
    const chunks = [...options.tty];
    Object.assign(tty, {
      setRawMode(raw: boolean) {
        tty.rawModes.push(raw);
        if (raw && chunks.length > 0) setImmediate(() => tty.write(chunks.shift()));
      },
    });
    stdin = tty;
  } else {
    stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  }
  return {
    stdout,
    stderr,
    prompts,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    prompt: (text) => prompts.push(text),
    stdin,
    env: options.env ?? {},
  };
}
