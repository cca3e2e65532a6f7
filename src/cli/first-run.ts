// The first start of the embedded default: with no users there is no way in, so create one with a
// generated password and tell the person what to type into their client. Shown once, never logged.
import { generatePassword, hashPassword } from '../auth/password.ts';
import type { Config } from '../config/schema.ts';
import type { CliIo } from './io.ts';
import { provisionUser } from './provision.ts';
import type { OpenedStore } from './runtime.ts';
import { clientUrls } from './urls.ts';
import { isValidUserName } from './user-name.ts';

export interface FirstUser {
  name: string;
  password: string;
}

/** The name for the first user: $USER when it is a valid user name, else 'admin'. */
export function firstUserName(env: NodeJS.ProcessEnv): string {
  const user = env.USER ?? env.LOGNAME ?? '';
  return isValidUserName(user) ? user : 'admin';
}

/** Creates the first user when there is none; returns its credentials to print once listening. */
export async function ensureFirstUser(store: OpenedStore, env: NodeJS.ProcessEnv): Promise<FirstUser | undefined> {
  if ((await store.users.list()).length > 0) return undefined;
  const name = firstUserName(env);
  const password = generatePassword();
  await store.users.create({ name, displayName: name }, await hashPassword(password));
  await provisionUser(store.backend, name);
  return { name, password };
}

export function printFirstUser(io: CliIo, config: Config, port: number, user: FirstUser): void {
  const urls = clientUrls(config, port, user.name);
  for (const line of [
    '',
    'davgate: first start, created a user. Enter these in your calendar/contacts client:',
    `  server URL:     ${urls.server}`,
    `  principal URL:  ${urls.principal}`,
    `  user name:      ${user.name}`,
    `  password:       ${user.password}`,
    `This password is shown only now. Change it with: davgate user passwd ${user.name}`,
    '',
  ]) {
    io.out(line);
  }
}
