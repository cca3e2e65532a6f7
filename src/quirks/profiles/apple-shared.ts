// What every Apple CalDAV/CardDAV client shares (quirks Q06, Q23–Q25, Q31, Q32): calendar colours
// with alpha, vCard 3.0 with X-ADDRESSBOOKSERVER groups, VCALENDAR-level access classes, no
// server-injected placeholder alarms. Brief/Prefer (Q11) and home sync (Q10) are core behaviour.
import type { QuirkOptions, QuirkProfile } from '../profile.ts';
import { calendarAccessToClass, stripApplePlaceholderAlarms } from '../transforms/ical.ts';
import { colourWithAlpha } from '../transforms/props.ts';

export const APPLE_OPTIONS: QuirkOptions = { vcardVersion: '3.0', groupFlavour: 'apple' };

export const APPLE_EVIDENCE = [
  'quirks Q06: calendar-color is #RRGGBBAA for Apple (apple-calendaragent-07-calendar-color-proppatch.xml)',
  'quirks Q23/Q24: Apple reads vCard 3.0 only, groups as X-ADDRESSBOOKSERVER-KIND/MEMBER (sabre-io/vobject VCardConverter.php)',
  'quirks Q31: X-CALENDARSERVER-ACCESS on the VCALENDAR (tine20 MacOSX.php, EGroupware class.calendar_ical.inc.php)',
  'quirks Q32: placeholder default alarms 19760401T005545Z (open-xchange EventPatches.java)',
];

/** The hooks every Apple profile uses. */
export const appleHooks: Pick<QuirkProfile, 'property' | 'payloadIn'> = {
  property: colourWithAlpha,
  payloadIn: (_type, body) => calendarAccessToClass(stripApplePlaceholderAlarms(body)),
};
