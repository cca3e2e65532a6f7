// Users of the embedded default: names with scrypt password hashes (src/auth/password.ts).
// The SQL adapter implements this on its own database; tests may use an in-memory one.

export interface UserRecord {
  name: string;
  displayName: string;
  email?: string;
}

export interface UserStore {
  list(): Promise<UserRecord[]>;
  get(name: string): Promise<UserRecord | undefined>;
  /** Creates a user with an already hashed password; throws if the name is taken. */
  create(user: UserRecord, passwordHash: string): Promise<void>;
  setPasswordHash(name: string, passwordHash: string): Promise<boolean>;
  /** Removes the user (and nothing else: data removal is the backend's job). Returns false if absent. */
  remove(name: string): Promise<boolean>;
  /** The stored hash, for verification by src/auth/password.ts. */
  passwordHash(name: string): Promise<string | undefined>;
}
