// Byte sizes in configuration: a plain integer or a string with a unit ("5 MiB", "10MB", "512k").
// Operators write sizes the way nginx and friends accept them; the rest of the code sees bytes.
import { z } from 'zod';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** Parses "5 MiB" → 5242880. Returns undefined when the text is not a size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const factor = UNITS[m[2].toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A positive byte count written as a number or a size string. */
export const byteSize = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseByteSize(value);
  if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a positive byte size such as 5242880 or "5 MiB", got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return bytes;
});
