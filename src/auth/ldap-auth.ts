// LDAP bind authentication (RFC 4513 §5.1.3 simple bind): find the user's entry with the service
// account and the configured filter (the user name RFC 4515-escaped by the adapter), then bind as that
// DN with the password on a fresh connection. Unknown users cost a bind like known ones (against a DN
// that cannot exist), so the answer and its timing do not tell whether a user exists. Successful
// checks are remembered briefly by basic-auth's cache.
import { type Authenticator, AuthUnavailable } from './authenticator.ts';

/** What the LDAP adapter offers for authentication (adapters/ldap/users.ts). */
export interface LdapBindPort {
  /** DN of the one entry the user filter finds for `user`, undefined for none or several. */
  findUserDn(user: string): Promise<string | undefined>;
  /** Whether a simple bind as `dn` with `password` succeeds (false for invalid credentials). */
  verifyBind(dn: string, password: string): Promise<boolean>;
  /** A DN under the search base that no entry has, for binds of unknown users. */
  decoyDn(): string;
}

export interface LdapAuthOptions {
  log?: { warn(msg: string, fields?: Record<string, unknown>): void };
}

/** User names that can never be a directory login (control characters, absurd length). */
function plausible(user: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  return user.length > 0 && user.length <= 256 && !/[\u0000-\u001f\u007f]/.test(user);
}

export function ldapAuthenticator(port: LdapBindPort, opts: LdapAuthOptions = {}): Authenticator {
  return {
    async verify(user, password) {
      // An empty password would be an unauthenticated bind, which LDAP servers accept (RFC 4513 §5.1.2).
      if (password === '' || !plausible(user)) return false;
      try {
        const dn = await port.findUserDn(user);
        if (dn === undefined) {
          await port.verifyBind(port.decoyDn(), password).catch(() => false);
          return false;
        }
        return await port.verifyBind(dn, password);
      } catch (e) {
        opts.log?.warn('LDAP authentication unavailable', { error: (e as Error).message });
        throw new AuthUnavailable('the directory cannot be reached');
      }
    },
  };
}
