// Thunderbird ≥ 78 with its built-in calendar and (≥ 91/102) CardDAV address books: quirks §0 row 6,
// Q04, Q07, Q08, Q18, Q21, Q32. Strict multistatus formatting (Q07) and current-user-privilege-set
// (Q08) are core behaviour for everyone.
import type { QuirkProfile } from '../profile.ts';
import { THUNDERBIRD_CALENDAR_EVIDENCE, thunderbirdCalendarHooks } from './thunderbird-shared.ts';

export const thunderbird: QuirkProfile = {
  id: 'thunderbird',
  description:
    'Thunderbird (native calendar and CardDAV, no Lightning add-on): an invalid sync token is answered 400 ' +
    '(its CardDAV code accepts only 207 or 400), If-None-Match: * onto an existing UID updates that object, ' +
    'alarm dismissals on read-only calendars succeed without writing',
  evidence: [
    'quirks Q21: CardDAVDirectory.sys.mjs updateAllFromServerV2 expectedStatuses [207, 400], 400 ⇒ fetchAllFromServer; a 403 aborts the sync. TB CalDAV resets its token on any 4xx (CalDavRequestHandlers.sys.mjs)',
    ...THUNDERBIRD_CALENDAR_EVIDENCE,
    'quirks Q07: CardDAVUtils.sys.mjs reads the first <status> and needs exactly "HTTP/1.1 200 OK" (core serialiser)',
  ],
  match: /^(?!.*Lightning\/).*Thunderbird\/\d+/,
  version: /Thunderbird\/([\d.]+)/,
  options: { invalidSyncTokenStatus: 400, adoptExistingUidOnCreate: true },
  ...thunderbirdCalendarHooks,
};
