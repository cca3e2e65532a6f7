// TbSync's DAV provider ("Thunderbird CalDAV/CardDAV"): its calendars go through Thunderbird's
// calendar code, so they share its alarm and invitation behaviour.
import type { QuirkProfile } from '../profile.ts';
import { THUNDERBIRD_CALENDAR_EVIDENCE, thunderbirdCalendarHooks } from './thunderbird-shared.ts';

export const thunderbirdTbsync: QuirkProfile = {
  id: 'thunderbird-tbsync',
  description:
    'TbSync DAV provider: calendar items are Thunderbird calendar items, so If-None-Match: * onto an existing UID ' +
    'updates that object and alarm dismissals on read-only calendars succeed without writing',
  evidence: [
    'quirks §0 row 6: "Thunderbird CalDAV/CardDAV Lightning/68.10.0" (tine20 Addressbook/Convert/Contact/VCard/TbSync.php) — classified before Lightning',
    ...THUNDERBIRD_CALENDAR_EVIDENCE,
  ],
  match: /Thunderbird CalDAV\/CardDAV/,
  version: /Lightning\/([\d.]+)/,
  options: { adoptExistingUidOnCreate: true },
  ...thunderbirdCalendarHooks,
};
