// Password verification behind HTTP Basic authentication (src/auth/basic-auth.ts): the local user
// store (scrypt hashes) or a directory (LDAP bind, src/auth/ldap-auth.ts). An authenticator answers
// only yes or no, never whether the user exists; it throws AuthUnavailable when it cannot decide.

export interface Authenticator {
  /** True when `password` is right for `user`. Empty passwords are refused before this is called. */
  verify(user: string, password: string): Promise<boolean>;
}

/** The authenticator's source (the directory) cannot be reached: the client should retry later (503). */
export class AuthUnavailable extends Error {}
