// Android sync apps that put an iOS User-Agent in their own (CardDAV-Sync, CalDAV-Sync by dmfs).
// Recognised before the Apple profiles so they do not get Apple's treatment (vCard 3 conversion,
// the aggregated address book); they need nothing beyond the standard.
import type { QuirkProfile } from '../profile.ts';

export const androidIosImpersonator: QuirkProfile = {
  id: 'android-ios-impersonator',
  description:
    'Android apps whose User-Agent imitates iOS (CardDAV-Sync, CalDAV-Sync, org.dmfs.*): standard behaviour, ' +
    'recognised only so they are not mistaken for Apple',
  evidence: [
    'quirks §0 row 1: "CardDAV-Sync (Android) (like iOS/5.0.1 (9A405) dataaccessd/1.0)" (Alinto/sogo WORequest+SOGo.m isAndroid); OX excludes Android from iOS (DAVUserAgentParserImpl.java)',
    'classified after DAVx5: older DAVx5 agents end in "Android/<ver>" and must stay DAVx5',
  ],
  match: /Android|org\.dmfs\.(?:caldav|carddav)\.sync/,
  version: /(?:CardDAV-Sync|CalDAV-Sync)(?: free| pro)?\/([\d.]+)/,
  options: {},
};
