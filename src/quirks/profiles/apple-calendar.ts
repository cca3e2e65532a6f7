// macOS Calendar and Reminders: CalendarAgent (10.8–12), dataaccessd with a `macOS/` prefix (13+),
// legacy iCal/CalendarStore/DAVKit (10.6–10.7). quirks §0 row 9, Q06, Q09–Q11.
import type { QuirkProfile } from '../profile.ts';
import { APPLE_EVIDENCE, APPLE_OPTIONS, appleHooks } from './apple-shared.ts';

export const appleCalendar: QuirkProfile = {
  id: 'apple-calendar',
  description:
    'macOS Calendar/Reminders (CalendarAgent, dataaccessd and remindd with a macOS/ prefix, iCal/CalendarStore, DAVKit): ' +
    'colours with alpha, vCard 3.0 with Apple groups, VCALENDAR-level access classes',
  evidence: [
    'quirks §0 row 9: macOS 13+ Calendar reports dataaccessd like iOS; only the macOS/ prefix differs (OX DAVUserAgentParserTest: "macOS/13.1 (22C65) dataaccessd/1.0" → MAC_CALENDAR)',
    ...APPLE_EVIDENCE,
  ],
  match:
    /^(?:Mac[ _+]OS[ _+]X|macOS)\/\S+ \(\w+\) (?:CalendarAgent|dataaccessd|remindd)\/|CalendarStore\/.*iCal\/|^DAVKit\//,
  version: /^(?:Mac[ _+]OS[ _+]X|macOS)\/([\d.]+)|Mac OS X\/([\d.]+)/,
  options: { ...APPLE_OPTIONS },
  ...appleHooks,
};
