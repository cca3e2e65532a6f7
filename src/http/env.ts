// Hono typing for the variables middleware sets on each request.
import type { QuirkProfile } from '../quirks/profile.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    /** Authenticated user name (set by the auth middleware). */
    user: string;
    /** Quirk profiles active for this request (set by src/quirks/middleware.ts). */
    quirks: QuirkProfile[];
    /** Client version from the User-Agent, when the client's profile knows where to find it. */
    clientVersion: string | undefined;
    /** Set by handleDav: the response already carries X-Request-Id. */
    davHandled: boolean;
  };
}
