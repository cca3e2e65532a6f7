// `davgate user add|passwd|remove|list`: manage the users of the embedded default. Passwords are
// hashed here (scrypt) and never printed, except one made up by --generate.
import { z } from 'zod';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { CliError, type CliIo, EXIT_USAGE } from './io.ts';
import { provisionUser } from './provision.ts';
import { readNewPassword } from './read-password.ts';
import type { OpenedStore } from './runtime.ts';
import { assertUserName } from './user-name.ts';

export interface UserCommand {
  action: string;
  name?: string;
  displayName?: string;
  email?: string;
  generate: boolean;
  purge: boolean;
}

async function newPassword(io: CliIo, generate: boolean, name: string): Promise<string> {
  if (!generate) return readNewPassword(io);
  const password = generatePassword();
  io.out(`password for ${name}: ${password}`);
  return password;
}

async function add(store: OpenedStore, cmd: UserCommand, io: CliIo): Promise<number> {
  const name = assertUserName(cmd.name);
  if (cmd.email !== undefined && !z.email().safeParse(cmd.email).success) {
    throw new CliError(`invalid e-mail address "${cmd.email}"`, EXIT_USAGE);
  }
  if (await store.users.get(name)) throw new CliError(`user ${name} already exists`);
  const password = await newPassword(io, cmd.generate, name);
  const record = { name, displayName: cmd.displayName || name, ...(cmd.email ? { email: cmd.email } : {}) };
  await store.users.create(record, await hashPassword(password));
  const created = await provisionUser(store.backend, name);
  const extra = created.length > 0 ? ` with ${created.map((r) => `${r.home}/${r.id}`).join(' and ')}` : '';
  io.out(`created user ${name}${extra}`);
  return 0;
}

async function passwd(store: OpenedStore, cmd: UserCommand, io: CliIo): Promise<number> {
  const name = assertUserName(cmd.name);
  if (!(await store.users.get(name))) throw new CliError(`no user ${name}`);
  const hash = await hashPassword(await newPassword(io, cmd.generate, name));
  if (!(await store.users.setPasswordHash(name, hash))) throw new CliError(`no user ${name}`);
  io.out(`password of ${name} changed (a running server accepts the old one until its auth cache expires)`);
  return 0;
}

async function remove(store: OpenedStore, cmd: UserCommand, io: CliIo): Promise<number> {
  const name = assertUserName(cmd.name);
  if (!(await store.users.remove(name))) throw new CliError(`no user ${name}`);
  let purged = 0;
  if (cmd.purge && store.backend.admin) {
    for (const home of ['calendars', 'addressbooks'] as const) {
      // Top-level collections only: deleting one removes what is nested in it.
      for (const c of await store.backend.listCollections(name, home)) {
        if (c.ref.id.includes('/')) continue;
        await store.backend.admin.deleteCollection(c.ref);
        purged++;
      }
    }
  }
  io.out(
    `removed user ${name}${cmd.purge ? ` and ${purged} collection(s)` : ' (data kept; use --purge to delete it)'}`,
  );
  return 0;
}

async function list(store: OpenedStore, io: CliIo): Promise<number> {
  for (const u of await store.users.list()) {
    io.out([u.name, u.displayName, u.email ?? ''].join('\t').trimEnd());
  }
  return 0;
}

export async function runUser(store: OpenedStore, cmd: UserCommand, io: CliIo): Promise<number> {
  switch (cmd.action) {
    case 'add':
      return add(store, cmd, io);
    case 'passwd':
      return passwd(store, cmd, io);
    case 'remove':
      return remove(store, cmd, io);
    case 'list':
      return list(store, io);
    default:
      throw new CliError(`unknown user command "${cmd.action}" (add, passwd, remove, list)`, EXIT_USAGE);
  }
}
