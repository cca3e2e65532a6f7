// iOS/iPadOS Calendar, Reminders and Contacts: dataaccessd and remindd with an `iOS/` prefix, old
// iPhone OS DAVKit agents. iOS handles several address books (no aggregation). quirks §0 row 9, Q06.
import type { QuirkProfile } from '../profile.ts';
import { APPLE_EVIDENCE, APPLE_OPTIONS, appleHooks } from './apple-shared.ts';

export const appleIos: QuirkProfile = {
  id: 'apple-ios',
  description:
    'iOS/iPadOS Calendar, Reminders and Contacts (dataaccessd, remindd, old iPhone/DataAccess agents): ' +
    'colours with alpha, vCard 3.0 with Apple groups, VCALENDAR-level access classes',
  evidence: [
    'quirks §0 row 9: "iOS/18.1.1 (22B91) dataaccessd/1.0" (emersion/go-webdav#150), "iOS/15.0.1 remindd/1.0" (OX test)',
    'quirks Q22: iOS Contacts handles several address books, so no aggregation',
    ...APPLE_EVIDENCE,
  ],
  match: /^iOS\/\S+ .*(?:dataaccessd|remindd)\/|iPhone\/|DataAccess\/1\.0/,
  version: /^iOS\/([\d.]+)|iPhone\/([\d.]+)/,
  options: { ...APPLE_OPTIONS },
  ...appleHooks,
};
