// Configuration errors name the key path and where the bad value came from, so an operator can fix
// it without reading code: `config error: server.port: expected number, received string (from DAVGATE_SERVER_PORT)`.
import type { z } from 'zod';

export class ConfigError extends Error {
  /** One line per problem, each starting with "config error: ". */
  readonly lines: string[];
  constructor(lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
    this.lines = lines;
  }
}

/** Turns zod issues into lines; `sourceOf` tells where a dotted key path was set (file, variable, flag). */
export function issueLines(issues: z.core.$ZodIssue[], sourceOf: (key: string) => string | undefined): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(line([...base, key].join('.'), 'unknown key', sourceOf));
      continue;
    }
    lines.push(line(base.join('.'), issue.message.replace(/^Invalid input: /, ''), sourceOf));
  }
  return lines;
}

function line(key: string, message: string, sourceOf: (key: string) => string | undefined): string {
  const source = sourceOf(key);
  return `config error: ${key || '(top level)'}: ${message}${source ? ` (${source})` : ''}`;
}
