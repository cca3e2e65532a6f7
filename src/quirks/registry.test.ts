// quirks.md §0 and §2: every real User-Agent string of the reference is classified to the right
// profile (first match wins, in the declared order), with its version where the agent carries one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from './detect.ts';
import { PROFILE_IDS, PROFILES } from './registry.ts';

/** quirks.md §2, in its order: [User-Agent, profile id, version]. `<version>` rows use a plausible value. */
const REAL_AGENTS: [string, string | undefined, string | undefined][] = [
  ['iOS/18.1.1 (22B91) dataaccessd/1.0', 'apple-ios', '18.1.1'],
  ['iOS/18.5 (22F76) dataaccessd/1.0', 'apple-ios', '18.5'],
  ['iOS/15.0.1 (19A348) dataaccessd/1.0', 'apple-ios', '15.0.1'],
  ['iOS/15.0.1 remindd/1.0', 'apple-ios', '15.0.1'],
  ['iOS/14.8.1 (18H107) accountsd/1.0', 'apple-setup', '14.8.1'],
  ['iOS/9.1 (13B143) dataaccessd/1.0', 'apple-ios', '9.1'],
  ['iOS/6.1.3 (10B329) Preferences/1.0', 'apple-setup', '6.1.3'],
  ['iOS/5.1 (9B179) dataaccessd/1.0', 'apple-ios', '5.1'],
  ['DAVKit/5.0 (767); iCalendar/5.0 (79); iPhone/4.2.1 8C148', 'apple-ios', '4.2.1'],
  ['macOS/26.1 (25B78) accountsd/1.0', 'apple-setup', '26.1'],
  ['macOS/13.1 (22C65) dataaccessd/1.0', 'apple-calendar', '13.1'],
  ['macOS/11.0.1 (20B50) CalendarAgent/954', 'apple-calendar', '11.0.1'],
  ['macOS/11.1 (20C69) AddressBookCore/2452.2', 'apple-contacts', '11.1'],
  ['Mac OS X/10.14.6 (18G6042) AddressBookCore/1', 'apple-contacts', '10.14.6'],
  ['Mac+OS+X/10.12.4 (16E195) CalendarAgent/386', 'apple-calendar', '10.12.4'],
  ['Mac OS X/10.12 (16A323) AddressBook/1756', 'apple-contacts', '10.12'],
  ['Mac+OS+X/10.11.1 (15B42) CalendarAgent/361', 'apple-calendar', '10.11.1'],
  ['Mac OS X/10.11.2 (15C31f) AddressBook/1679.3', 'apple-contacts', '10.11.2'],
  ['Mac_OS_X/10.9 (13A476u) CalendarAgent/157.1', 'apple-calendar', '10.9'],
  ['AddressBook/6.1.3 (1091) CardDAVPlugin/200 CFNetwork/520.5.3 Mac_OS_X/10.7.5 (11G63)', 'apple-contacts', '10.7.5'],
  ['AddressBook/6.1 (1083) CardDAVPlugin/200 CFNetwork/520.3.2 Mac_OS_X/10.7.3 (11D50)', 'apple-contacts', '10.7.3'],
  ['CalendarStore/5.0.2 (1166); iCal/5.0.2 (1571); Mac OS X/10.7.3 (11D50)', 'apple-calendar', '10.7.3'],
  [
    'DAVKit/4.0.3 (732); CalendarStore/4.0.3 (991); iCal/4.0.3 (1388); Mac OS X/10.6.4 (10F569)',
    'apple-calendar',
    '10.6.4',
  ],
  ['Address%20Book/883 CFNetwork/454.12.4 Darwin/10.8.0 (i386) (iMac11%2C3)', 'apple-contacts', undefined],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Thunderbird/102.6.1', 'thunderbird', '102.6.1'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Thunderbird/78.0', 'thunderbird', '78.0'],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.13; rv:52.0) Gecko/20100101 Thunderbird/52.6.0 Lightning/5.4.6',
    'thunderbird-lightning',
    '5.4.6',
  ],
  [
    'Mozilla/5.0 (Windows NT 10.0; WOW64; rv:45.0) Gecko/20100101 Thunderbird/45.7.0 Lightning/4.7.7',
    'thunderbird-lightning',
    '4.7.7',
  ],
  [
    'Mozilla/5.0 (X11; U; Linux i686; en-US; rv:1.9.2.21) Gecko/20110831 Lightning/1.0b2 Thunderbird/3.1.13',
    'thunderbird-lightning',
    '1.0b2',
  ],
  ['Thunderbird CardBook/33.2 Lightning/6.2.3.1', 'thunderbird-cardbook', '33.2'],
  ['Thunderbird CardBook/102.6.1', 'thunderbird-cardbook', '102.6.1'],
  ['Thunderbird CalDAV/CardDAV Lightning/68.10.0', 'thunderbird-tbsync', '68.10.0'],
  ['DAVx5/4.3.16-gplay (2024/04/14; dav4jvm; okhttp/4.12.0) Android/14', 'davx5', '4.3.16-gplay'],
  ['DAVx5/4.4.3.2-ose (at.bitfire.davdroid)', 'davx5', '4.4.3.2-ose'],
  ['DAVx5/2.2.1-gplay', 'davx5', '2.2.1-gplay'],
  ['DAVdroid/0.7.3', 'davx5', '0.7.3'],
  [
    'CardDAV-Sync free/0.4.12 (samsung; kltedv; Android 4.4.2; en_NZ; org.dmfs.carddav.sync/99)',
    'android-ios-impersonator',
    '0.4.12',
  ],
  ['CalDavSynchronizer/4.4', 'caldav-synchronizer', '4.4'],
  ['eMClient/8.0.3318.0', 'em-client', '8.0.3318.0'],
  ['eM Client/6.0.21040.0', 'em-client', '6.0.21040.0'],
  ['eM Client/4.0.14479.0', 'em-client', '4.0.14479.0'],
  ['Evolution/3.28.5', 'evolution', '3.28.5'],
  ['Evolution/3.12.2', 'evolution', '3.12.2'],
  ['Evolution/3.12.11', 'evolution', '3.12.11'],
  [
    'Mozilla/5.0 (X11; Linux i686) AppleWebKit/534.34 (KHTML, like Gecko) akonadi_davgroupware_resource_59/4.13.0 Safari/534.34',
    'kde',
    '4.13.0',
  ],
  ['KDE DAV groupware client', 'kde', undefined],
  ['Mozilla/5.0 (X11; Linux i686) KHTML/4.7.3 (like Gecko) Konqueror/4.7', 'kde', '4.7.3'],
  ['MSFT-WIN-4/10.0.10586 (gzip)', 'windows', '10.0.10586'],
  ['MSFT-WP/10.0.10240 (gzip)', 'windows', '10.0.10240'],
  ['MSFT-WIN-3/10.0.10240', 'windows', '10.0.10240'],
  ['BusyCal-2022.1.4', 'busycal', '2022.1.4'],
  ['BusyCal-2.6.6', 'busycal', '2.6.6'],
  ['Fantastical 2 for Mac/2.2.4 Mac OS X/10.11.5', 'fantastical', '2.2.4'],
  ['Fantastical 2 for Mac (Calendar)/3.3.4 Mac OS X/11.2.1 Darwin/20.3.0 (x86_64)', 'fantastical', '3.3.4'],
  ['vdirsyncer/0.19.3', 'vdirsyncer', '0.19.3'],
];

describe('User-Agent classification (quirks.md §0, every real string of §2)', () => {
  it('covers all 55 reference strings', () => {
    assert.equal(REAL_AGENTS.length, 55);
  });

  for (const [ua, id, version] of REAL_AGENTS) {
    it(`${ua} → ${id}${version ? ` ${version}` : ''}`, () => {
      const m = classify(ua, [...PROFILES]);
      assert.equal(m?.profile.id, id);
      assert.equal(m?.version, version);
    });
  }

  it('the Android app imitating iOS is not Apple (classified before Apple, quirks §0 row 1)', () => {
    const m = classify('CardDAV-Sync (Android) (like iOS/5.0.1 (9A405) dataaccessd/1.0)', [...PROFILES]);
    assert.equal(m?.profile.id, 'android-ios-impersonator');
  });

  it('macOS 13+ Calendar and iOS both say dataaccessd; only the prefix tells them apart', () => {
    assert.equal(classify('macOS/14.2 (23C64) dataaccessd/1.0', [...PROFILES])?.profile.id, 'apple-calendar');
    assert.equal(classify('iOS/17.2 (21C62) dataaccessd/1.0', [...PROFILES])?.profile.id, 'apple-ios');
  });

  it('unknown agents and an absent User-Agent match no profile', () => {
    for (const ua of ['', 'curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0']) {
      assert.equal(classify(ua, [...PROFILES]), undefined, ua);
    }
  });

  it('profile ids are unique, and every profile states evidence and a description', () => {
    assert.equal(new Set(PROFILE_IDS).size, PROFILE_IDS.length);
    for (const p of PROFILES) {
      assert.ok(p.description.length > 20, p.id);
      assert.ok(p.evidence.length > 0, p.id);
    }
  });
});
