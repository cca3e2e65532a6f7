// An in-memory UserStore for protocol tests.
import type { UserRecord, UserStore } from '../../src/auth/user-store.ts';

export class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, { user: UserRecord; hash: string }>();
  async list(): Promise<UserRecord[]> {
    return [...this.#users.values()].map((u) => u.user);
  }
  async get(name: string): Promise<UserRecord | undefined> {
    return this.#users.get(name)?.user;
  }
  async create(user: UserRecord, hash: string): Promise<void> {
    if (this.#users.has(user.name)) throw new Error(`user ${user.name} exists`);
    this.#users.set(user.name, { user, hash });
  }
  async setPasswordHash(name: string, hash: string): Promise<boolean> {
    const u = this.#users.get(name);
    if (!u) return false;
    u.hash = hash;
    return true;
  }
  async remove(name: string): Promise<boolean> {
    return this.#users.delete(name);
  }
  async passwordHash(name: string): Promise<string | undefined> {
    return this.#users.get(name)?.hash;
  }
}
