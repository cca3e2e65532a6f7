// The users of a SabreDAV/Baïkal database as davgate's UserStore (storage.users: sabredav): names and
// Digest A1 hashes from `users` (digesta1 = md5(username:realm:password), what Baïkal's admin writes),
// display names and e-mail addresses from the user's principal. Read-only: users are managed where the
// groupware manages them, so a Baïkal login and a davgate login stay the same password.

import { ha1Hash } from '../../../src/auth/password.ts';
import type { UserRecord, UserStore } from '../../../src/auth/user-store.ts';
import type { SqlConnection } from '../query/connect.ts';
import { mapDriverError } from '../query/errors.ts';
import { optStr, str } from './rows.ts';

export interface SabredavUsersOptions {
  /** Digest realm the hashes were made for (Baïkal: 'BaikalDAV', plain SabreDAV: 'SabreDAV'). Default 'BaikalDAV'. */
  realm?: string;
  /** Principal URI prefix. Default 'principals/'. */
  principalPrefix?: string;
}

/** Why davgate does not write SabreDAV's users (the CLI prints it). */
export const SABRE_USERS_READ_ONLY =
  "users come from the SabreDAV/Baïkal database (storage.users: sabredav) and are read-only here: add users and change passwords in Baïkal's admin";

class SabredavUsers implements UserStore {
  readonly #conn: SqlConnection;
  readonly #realm: string;
  readonly #prefix: string;

  constructor(conn: SqlConnection, opts: SabredavUsersOptions) {
    this.#conn = conn;
    this.#realm = opts.realm ?? 'BaikalDAV';
    this.#prefix = opts.principalPrefix ?? 'principals/';
  }

  async #rows(name?: string): Promise<{ name: string; digest: string; record: UserRecord }[]> {
    try {
      const db = this.#conn.db;
      let q = db.selectFrom('users').select(['username', 'digesta1']).orderBy('username');
      if (name !== undefined) q = q.where('username', '=', name);
      const users = (await q.execute()).map((r) => ({ name: str(r.username), digest: str(r.digesta1) }));
      const principals = new Map<string, { displayname: unknown; email: unknown }>();
      for (let i = 0; i < users.length; i += 500) {
        const uris = users.slice(i, i + 500).map((u) => this.#prefix + u.name);
        const found = await db
          .selectFrom('principals')
          .select(['uri', 'displayname', 'email'])
          .where('uri', 'in', uris)
          .execute();
        for (const p of found) principals.set(str(p.uri), p);
      }
      return users.map((u) => {
        const p = principals.get(this.#prefix + u.name);
        const email = optStr(p?.email);
        return {
          ...u,
          record: { name: u.name, displayName: optStr(p?.displayname) || u.name, ...(email ? { email } : {}) },
        };
      });
    } catch (err) {
      mapDriverError(err, this.#conn.dialect);
    }
  }

  async list(): Promise<UserRecord[]> {
    return (await this.#rows()).map((r) => r.record);
  }

  async get(name: string): Promise<UserRecord | undefined> {
    return (await this.#rows(name))[0]?.record;
  }

  async passwordHash(name: string): Promise<string | undefined> {
    const row = (await this.#rows(name))[0];
    return row?.digest ? ha1Hash(this.#realm, row.digest) : undefined;
  }

  create(): Promise<void> {
    return Promise.reject(new Error(SABRE_USERS_READ_ONLY));
  }

  setPasswordHash(): Promise<boolean> {
    return Promise.reject(new Error(SABRE_USERS_READ_ONLY));
  }

  remove(): Promise<boolean> {
    return Promise.reject(new Error(SABRE_USERS_READ_ONLY));
  }
}

/** SabreDAV's `users` (+ `principals`) as a read-only UserStore on an open connection. */
export function createSabredavUserStore(conn: SqlConnection, opts: SabredavUsersOptions = {}): UserStore {
  return new SabredavUsers(conn, opts);
}
