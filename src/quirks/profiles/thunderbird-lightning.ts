// Thunderbird before 78 with the Lightning calendar add-on (which rewrote the User-Agent of every
// Thunderbird request): calendar behaviour as native Thunderbird; no CardDAV of its own.
import type { QuirkProfile } from '../profile.ts';
import { THUNDERBIRD_CALENDAR_EVIDENCE, thunderbirdCalendarHooks } from './thunderbird-shared.ts';

export const thunderbirdLightning: QuirkProfile = {
  id: 'thunderbird-lightning',
  description:
    'Thunderbird with the Lightning add-on (TB ≤ 68, also SOGo Connector era): If-None-Match: * onto an existing UID ' +
    'updates that object, alarm dismissals on read-only calendars succeed without writing',
  evidence: [
    'quirks §0 row 6: old Lightning rewrote the UA of all TB requests (CardBook issue #43, bmo 1372238); "… Thunderbird/52.6.0 Lightning/5.4.6" (nextcloud/server#8500)',
    ...THUNDERBIRD_CALENDAR_EVIDENCE,
  ],
  match: /Lightning\//,
  version: /Lightning\/([\w.]+)/,
  options: { adoptExistingUidOnCreate: true },
  ...thunderbirdCalendarHooks,
};
