// Outlook CalDav Synchronizer (Outlook add-in, .NET): quirks §0 row 3, Q13, Q17, Q24, Q26, Q27,
// Q30, Q31, Q34. Windows time-zone names are mapped on ingest by the CalDAV module for everyone;
// the name it wrote is kept beside the IANA one and given back to it only (windows-tzid.ts).
// X-ALT-DESC, CLASS and SCHEDULE-AGENT are stored verbatim (the gateway schedules nothing).
import type { QuirkProfile } from '../profile.ts';
import { clampTimezoneStart, restoreAttendeeStatus } from '../transforms/ical.ts';
import { keepWindowsTzids, restoreWindowsTzids } from '../transforms/windows-tzid.ts';

export const caldavSynchronizer: QuirkProfile = {
  id: 'caldav-synchronizer',
  description:
    'Outlook CalDav Synchronizer: a NEEDS-ACTION it sends back for an attendee keeps the stored answer, VTIMEZONE ' +
    'rules starting before 1900 are served from 1970, the Windows time-zone names it wrote are served back to it ' +
    '(others get IANA), vCard 3.0 with Apple-style distribution lists',
  evidence: [
    'quirks §0 row 3: "CalDavSynchronizer/4.4" (aluxnimm/outlookcaldavsynchronizer#409; SynchronizerFactory.cs)',
    'quirks Q34: "always sends all participants back with status NEEDS-ACTION" (EGroupware calendar_ical.inc.php)',
    'quirks Q27: VTIMEZONE DTSTART in year 0001 makes DDay.iCal extremely slow (CalendarDataPreprocessor.cs)',
    'quirks Q24: maps Outlook distribution lists to X-ADDRESSBOOKSERVER groups (or VLIST for SOGo)',
    'quirks Q26: "keep the original for CalDav Synchronizer if it was the writer (it maps back via TimeZoneInfo.FindSystemTimeZoneById unless UseIanaTz)"',
    'quirks Q26/Q30/Q31: TZID "W. Europe Standard Time", X-ALT-DESC;FMTTYPE=text/html, CLASS mapping options (EventEntityMapper.cs)',
  ],
  match: /CalDavSynchronizer\//i,
  version: /CalDavSynchronizer\/([\d.]+)/i,
  options: { vcardVersion: '3.0', groupFlavour: 'apple' },
  payloadIn: (_type, body, existing) => keepWindowsTzids(restoreAttendeeStatus(body, existing)),
  payloadOut: (_type, body) => restoreWindowsTzids(clampTimezoneStart(body)),
};
