// The directory's users for davgate: finding a user's entry by DAV user name (the configured filter,
// RFC 4515-escaped), binding as it (src/auth/ldap-auth.ts), and what principals show (display name,
// e-mail addresses). Lookups are cached briefly; passwords are never kept or logged.
import { randomBytes } from 'node:crypto';
import type { LdapConnections } from './connection.ts';
import { EntryView } from './entry-vcard.ts';
import type { LdapBackend } from './ldap-backend.ts';
import type { LdapDirectoryOptions } from './options.ts';

export interface DirectoryUser {
  dn: string;
  displayName?: string;
  emails: string[];
}

const TTL_MS = 60_000;

export class LdapUsers {
  readonly #backend: LdapBackend;
  readonly #conn: LdapConnections;
  readonly #opts: LdapDirectoryOptions;
  readonly #cache = new Map<string, { user: DirectoryUser | undefined; at: number }>();

  constructor(backend: LdapBackend, conn: LdapConnections, opts: LdapDirectoryOptions) {
    this.#backend = backend;
    this.#conn = conn;
    this.#opts = opts;
  }

  async find(user: string): Promise<DirectoryUser | undefined> {
    const hit = this.#cache.get(user);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.user;
    const a = this.#opts.attributes;
    const entry = await this.#backend.findUser(user, [...a.fn, ...a.email]);
    const view = entry ? new EntryView(entry) : undefined;
    const found = view
      ? { dn: view.dn, ...(view.first(a.fn) ? { displayName: view.first(a.fn) } : {}), emails: view.texts(a.email) }
      : undefined;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(user, { user: found, at: Date.now() });
    return found;
  }

  async findUserDn(user: string): Promise<string | undefined> {
    return (await this.find(user))?.dn;
  }

  verifyBind(dn: string, password: string): Promise<boolean> {
    return this.#conn.verifyBind(dn, password);
  }

  decoyDn(): string {
    return `cn=davgate-no-such-user-${randomBytes(8).toString('hex')},${this.#opts.users.baseDn}`;
  }
}
