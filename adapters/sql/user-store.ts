// Users of the embedded default (src/auth/user-store.ts) on the same SQLite database as the data.
// Passwords arrive already hashed (src/auth/password.ts); this store never sees a clear password.
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import type { UserRecord, UserStore } from '../../src/auth/user-store.ts';
import { BackendError } from '../../src/backend/port.ts';
import { SqlDb } from './db.ts';

function toUser(row: Record<string, SQLOutputValue>): UserRecord {
  const user: UserRecord = { name: String(row.name), displayName: String(row.display_name) };
  if (row.email != null) user.email = String(row.email);
  return user;
}

export class SqlUserStore implements UserStore {
  readonly #sql: SqlDb;

  constructor(db: DatabaseSync | SqlDb) {
    this.#sql = db instanceof SqlDb ? db : new SqlDb(db);
  }

  async list(): Promise<UserRecord[]> {
    const sql = this.#sql;
    return sql.read(() => sql.stmt('SELECT name, display_name, email FROM users ORDER BY name').all().map(toUser));
  }

  async get(name: string): Promise<UserRecord | undefined> {
    const sql = this.#sql;
    return sql.read(() => {
      const row = sql.stmt('SELECT name, display_name, email FROM users WHERE name = ?').get(name);
      return row ? toUser(row) : undefined;
    });
  }

  /** Throws BackendError('exists') when the name is taken. */
  async create(user: UserRecord, passwordHash: string): Promise<void> {
    const sql = this.#sql;
    sql.write(() => {
      const inserted = sql
        .stmt(
          `INSERT INTO users (name, display_name, email, password_hash, created) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO NOTHING`,
        )
        .run(user.name, user.displayName, user.email ?? null, passwordHash, Date.now());
      if (Number(inserted.changes) === 0) throw new BackendError('exists', `user ${user.name} exists`);
    });
  }

  async setPasswordHash(name: string, passwordHash: string): Promise<boolean> {
    const sql = this.#sql;
    return sql.write(
      () => Number(sql.stmt('UPDATE users SET password_hash = ? WHERE name = ?').run(passwordHash, name).changes) > 0,
    );
  }

  async remove(name: string): Promise<boolean> {
    const sql = this.#sql;
    return sql.write(() => Number(sql.stmt('DELETE FROM users WHERE name = ?').run(name).changes) > 0);
  }

  async passwordHash(name: string): Promise<string | undefined> {
    const sql = this.#sql;
    return sql.read(() => {
      const row = sql.stmt('SELECT password_hash FROM users WHERE name = ?').get(name);
      return row ? String(row.password_hash) : undefined;
    });
  }
}
