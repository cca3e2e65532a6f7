// The ordered profile registry (quirks.md §0): the first profile whose matcher hits is the client's.
// Order matters: DAVx5 before the Android catch-all (older DAVx5 agents end in "Android/<ver>"),
// Android apps imitating iOS before Apple, the Thunderbird add-ons before Lightning before native
// Thunderbird, Apple account setup and Contacts before iOS before macOS Calendar (whose legacy
// DAVKit pattern also covers iPhone OS agents).
import type { QuirkProfile } from './profile.ts';
import { androidIosImpersonator } from './profiles/android-ios-impersonator.ts';
import { appleCalendar } from './profiles/apple-calendar.ts';
import { appleContacts } from './profiles/apple-contacts.ts';
import { appleIos } from './profiles/apple-ios.ts';
import { appleSetup } from './profiles/apple-setup.ts';
import { busycal } from './profiles/busycal.ts';
import { caldavSynchronizer } from './profiles/caldav-synchronizer.ts';
import { davx5 } from './profiles/davx5.ts';
import { emClient } from './profiles/em-client.ts';
import { evolution } from './profiles/evolution.ts';
import { fantastical } from './profiles/fantastical.ts';
import { kde } from './profiles/kde.ts';
import { thunderbird } from './profiles/thunderbird.ts';
import { thunderbirdCardbook } from './profiles/thunderbird-cardbook.ts';
import { thunderbirdLightning } from './profiles/thunderbird-lightning.ts';
import { thunderbirdTbsync } from './profiles/thunderbird-tbsync.ts';
import { vdirsyncer } from './profiles/vdirsyncer.ts';
import { windows } from './profiles/windows.ts';

export const PROFILES: readonly QuirkProfile[] = [
  davx5,
  androidIosImpersonator,
  caldavSynchronizer,
  emClient,
  windows,
  thunderbirdTbsync,
  thunderbirdCardbook,
  thunderbirdLightning,
  thunderbird,
  evolution,
  kde,
  appleSetup,
  appleContacts,
  appleIos,
  appleCalendar,
  busycal,
  fantastical,
  vdirsyncer,
];

export const PROFILE_IDS: readonly string[] = PROFILES.map((p) => p.id);
