// DAVx5 (formerly DAVdroid) and its white-label builds: quirks §0 row 2, Q12, Q20, Q21, Q23, Q24, Q33.
// The default 403 valid-sync-token is what it needs (it restarts the sync only when the body names it).
import type { QuirkProfile } from '../profile.ts';
import { groupAttendeesAsIndividuals, restoreGroupAttendees } from '../transforms/ical.ts';
import { keepUidAcrossUrnPrefix, normaliseMemberUris } from '../transforms/vcard.ts';

export const davx5: QuirkProfile = {
  id: 'davx5',
  description:
    'DAVx5/DAVdroid (and OpenSync white-label builds): vCard 4 with KIND/MEMBER groups, member ids as urn:uuid:, ' +
    'a UID stripped of urn:uuid: keeps the stored UID, CUTYPE=GROUP attendees served as INDIVIDUAL (and kept GROUP when it writes them back)',
  evidence: [
    'quirks §0 row 2: "DAVx5/4.3.16-gplay (2024/04/14; dav4jvm; okhttp/4.12.0) Android/14" (nextcloud/helm#562); ProductIds.kt "DAVx5/<ver> (<package>)"; tine20 DavDroid.php matches (DAVdroid|DAVx5|OpenSync)/',
    'quirks Q23: requests vCard 4 only when supported-address-data lists version 4.0 (davx5-ose CardDavCollection.kt)',
    'quirks Q24: DAVx5 prepends urn:uuid: to MEMBER values and strips it from UIDs (cyrus-imapd imap/http_carddav.c "XXX quirk")',
    'quirks Q21: restarts an initial sync only if the error body contains valid-sync-token (SyncManager.kt) — the core default',
    'quirks Q33: "can\'t cope with CUTYPE group" attendees (tine20 Calendar/Convert/Event/VCalendar/DavDroid.php)',
  ],
  match: /^(?:DAVx5|DAVdroid|OpenSync)\//,
  version: /^(?:DAVx5|DAVdroid|OpenSync)\/([\w.-]+)/,
  options: { vcardVersion: '4.0', groupFlavour: 'vcard4' },
  payloadIn: (_type, body, existing) =>
    restoreGroupAttendees(normaliseMemberUris(keepUidAcrossUrnPrefix(body, existing)), existing),
  payloadOut: (_type, body) => groupAttendeesAsIndividuals(body),
};
