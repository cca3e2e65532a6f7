// Users of the embedded default (src/auth/user-store.ts) in the same SQL database as the data.
// Passwords arrive already hashed (src/auth/password.ts); this store never sees a clear password.
import type { UserRecord, UserStore } from '../../src/auth/user-store.ts';
import { BackendError } from '../../src/backend/port.ts';
import type { Row, SqlExec } from './query/exec.ts';

function toUser(row: Row): UserRecord {
  const user: UserRecord = { name: String(row.name), displayName: String(row.display_name) };
  if (row.email != null) user.email = String(row.email);
  return user;
}

const CREATE = 'INSERT INTO users (name, display_name, email, password_hash, created) VALUES (?, ?, ?, ?, ?)';

export class SqlUserStore implements UserStore {
  readonly #sql: SqlExec;

  constructor(sql: SqlExec) {
    this.#sql = sql;
  }

  async list(): Promise<UserRecord[]> {
    return (await this.#sql.all('SELECT name, display_name, email FROM users ORDER BY name')).map(toUser);
  }

  async get(name: string): Promise<UserRecord | undefined> {
    const row = await this.#sql.get('SELECT name, display_name, email FROM users WHERE name = ?', [name]);
    return row ? toUser(row) : undefined;
  }

  /** Throws BackendError('exists') when the name is taken. */
  async create(user: UserRecord, passwordHash: string): Promise<void> {
    const text =
      this.#sql.dialect === 'mysql'
        ? CREATE.replace('INSERT', 'INSERT IGNORE')
        : `${CREATE} ON CONFLICT (name) DO NOTHING`;
    const inserted = await this.#sql.run(text, [
      user.name,
      user.displayName,
      user.email ?? null,
      passwordHash,
      Date.now(),
    ]);
    if (inserted === 0) throw new BackendError('exists', `user ${user.name} exists`);
  }

  async setPasswordHash(name: string, passwordHash: string): Promise<boolean> {
    return (await this.#sql.run('UPDATE users SET password_hash = ? WHERE name = ?', [passwordHash, name])) > 0;
  }

  async remove(name: string): Promise<boolean> {
    return (await this.#sql.run('DELETE FROM users WHERE name = ?', [name])) > 0;
  }

  async passwordHash(name: string): Promise<string | undefined> {
    const row = await this.#sql.get('SELECT password_hash FROM users WHERE name = ?', [name]);
    return row ? String(row.password_hash) : undefined;
  }
}
