// eM Client (Windows/macOS desktop mail and calendar): quirks §0 row 4, Q24, Q32, Q33.
import type { QuirkProfile } from '../profile.ts';
import { onlyAlarmStateDiffers } from '../transforms/ical.ts';
import { keepUidAcrossUrnPrefix } from '../transforms/vcard.ts';

export const emClient: QuirkProfile = {
  id: 'em-client',
  description:
    'eM Client: alarm dismissals (X-MOZ-LASTACK) on read-only calendars succeed without writing; a UID that gained ' +
    'a urn:uuid: prefix keeps the stored UID',
  evidence: [
    'quirks §0 row 4: "eM Client/6.0.21040.0" (bitfireAT/davdroid#406), "eMClient/8.0.3318.0" (tine20#7202)',
    'quirks Q32: OX converts X-MOZ-LASTACK/X-MOZ-SNOOZE from Thunderbird and eM Client (EventPatches.java)',
    'quirks Q24: "eMClient adds the prefix and DavX5 strips it" (cyrus-imapd imap/http_carddav.c)',
  ],
  match: /e[Mm] ?Client\//,
  version: /e[Mm] ?Client\/([\d.]+)/,
  options: {},
  payloadIn: (_type, body, existing) => keepUidAcrossUrnPrefix(body, existing),
  ignorableWrite: onlyAlarmStateDiffers,
};
