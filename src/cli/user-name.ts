// User names appear in URLs (/principals/<name>/) and in Basic credentials, where a colon cannot
// occur (RFC 7617 §2). Keep them to a safe, unsurprising set.
import { CliError, EXIT_USAGE } from './io.ts';

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

export function isValidUserName(name: string): boolean {
  return USER_NAME.test(name);
}

export function assertUserName(name: string | undefined): string {
  if (!name) throw new CliError('a user name is required', EXIT_USAGE);
  if (!isValidUserName(name)) {
    throw new CliError(
      `invalid user name "${name}": use 1–64 letters, digits and . _ @ + - (starting with a letter or digit)`,
      EXIT_USAGE,
    );
  }
  return name;
}
