// BusyCal (and BusyContacts) for macOS: quirks §0 row 10, Q08, Q31.
import type { QuirkProfile } from '../profile.ts';
import { calendarAccessToClass } from '../transforms/ical.ts';

export const busycal: QuirkProfile = {
  id: 'busycal',
  description: 'BusyCal: X-CALENDARSERVER-ACCESS on the VCALENDAR is copied to CLASS on each component',
  evidence: [
    'quirks §2: "BusyCal-2022.1.4" (jelmer/xandikos#165), "BusyCal-2.6.6" (tine20 BusyCal.php)',
    'quirks Q31: BusyCal sometimes writes X-CALENDARSERVER-ACCESS on VCALENDAR (tine20 BusyCal.php)',
    'quirks Q08: turned every calendar read-only against a server without privileges (xandikos#165) — core always sends current-user-privilege-set',
  ],
  match: /^BusyCal-/,
  version: /^BusyCal-([\d.]+)/,
  options: {},
  payloadIn: (_type, body) => calendarAccessToClass(body),
};
