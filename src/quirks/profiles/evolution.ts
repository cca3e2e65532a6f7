// Evolution and every GNOME app on evolution-data-server (Calendar, Contacts, To Do): quirks §0
// row 7, Q03, Q13, Q14, Q16, Q17. Chunked PUT bodies and application/xml are accepted by the core.
import type { QuirkProfile } from '../profile.ts';

/** `\"abc\"` → `"abc"` in each entity tag of a list. */
const unescapeTags = (v: string): string => v.replace(/\\"/g, '"');

export const evolution: QuirkProfile = {
  id: 'evolution',
  description:
    'Evolution/GNOME (evolution-data-server): backslash-escaped quotes in If-Match/If-None-Match are removed',
  evidence: [
    'quirks §0 row 7: all evolution-data-server sessions send "Evolution/VERSION" (e-soup-session.c)',
    'quirks Q17: "Evolution has a bug where it sometimes prepends the " with a \\" (sabre-io/dav lib/DAV/Server.php checkPreconditions)',
  ],
  match: /^Evolution\//,
  version: /^Evolution\/([\d.]+)/,
  options: {},
  request: (req) => {
    const headers = new Headers(req.headers);
    let changed = false;
    for (const h of ['if-match', 'if-none-match']) {
      const v = headers.get(h);
      if (v?.includes('\\"')) {
        headers.set(h, unescapeTags(v));
        changed = true;
      }
    }
    return changed ? { ...req, headers } : req;
  },
};
