// Operator overrides from the `quirks` configuration section, end to end: parsed by the schema,
// turned into profiles and overrides, and applied by the app to real requests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp } from '../../test/support/app.ts';
import { parseMultistatus } from '../../test/support/xml-assert.ts';
import { configSchema } from '../config/schema.ts';
import { quirkDepsFrom } from './config.ts';
import { classify, detectProfiles } from './detect.ts';

const deps = (quirks: unknown) => quirkDepsFrom(configSchema.parse({ quirks }).quirks);
const TB = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Thunderbird/102.6.1';
const BOOK = '/dav/addressbooks/alice/contacts/';
const BAD_SYNC =
  '<d:sync-collection xmlns:d="DAV:"><d:sync-token>http://example.invalid/sync/1</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>';

describe('quirks configuration', () => {
  it('the default is every built-in profile, unchanged, and no overrides', () => {
    const d = deps({});
    assert.equal(d.profiles?.length, 18);
    assert.deepEqual(d.quirkOverrides, { extraMatchers: {}, forcePaths: [], rules: [] });
    assert.equal(d.aggregatedAddressBook?.id, 'all-contacts');
  });

  it('enabled: false applies no profile', () => {
    assert.deepEqual(deps({ enabled: false }).profiles, []);
  });

  it('a profile can be switched off, get options, and claim agents with extra patterns', () => {
    const d = deps({
      profiles: [
        { id: 'kde', enabled: false },
        { id: 'davx5', options: { vcardVersion: '3.0' } },
        { id: 'apple-contacts', match: ['^Mozilla/5\\.0 .*Thunderbird/'] },
      ],
    });
    const profiles = d.profiles ?? [];
    assert.equal(
      profiles.some((p) => p.id === 'kde'),
      false,
    );
    const dx = profiles.find((p) => p.id === 'davx5');
    assert.deepEqual(dx?.options, { vcardVersion: '3.0', groupFlavour: 'vcard4' }, 'unset options keep the profile’s');
    assert.equal(classify(TB, profiles, d.quirkOverrides?.extraMatchers)?.profile.id, 'apple-contacts');
    assert.equal(classify('KDE DAV groupware client', profiles), undefined);
  });

  it('a profile’s built-in pattern can be replaced by the configured ones', () => {
    const d = deps({ profiles: [{ id: 'apple-contacts', builtInMatch: false, match: ['AddressBookCore/'] }] });
    const p = d.profiles ?? [];
    const x = d.quirkOverrides?.extraMatchers;
    assert.equal(classify('macOS/11.1 (20C69) AddressBookCore/2452.2', p, x)?.profile.id, 'apple-contacts');
    assert.equal(classify('Address%20Book/883 CFNetwork/454.12.4 Darwin/10.8.0 (i386)', p, x), undefined);
  });

  it('rules add options for matching agents; forced paths replace the User-Agent’s profile', () => {
    const d = deps({
      rules: [{ userAgent: '^LegacyBook/', options: { aggregatedAddressBook: true } }],
      forcePaths: [{ pathPrefix: '/dav/addressbooks/kiosk/', profile: 'thunderbird' }],
    });
    const p = d.profiles ?? [];
    assert.deepEqual(
      detectProfiles('LegacyBook/2.0', '/dav/', p, d.quirkOverrides).map((x) => x.id),
      ['rule-1'],
    );
    assert.deepEqual(
      detectProfiles('DAVx5/4.4', '/dav/addressbooks/kiosk/x/', p, d.quirkOverrides).map((x) => x.id),
      ['thunderbird'],
    );
  });

  it('through the app: a rule gives an unknown agent the aggregated book; a forced path gives Thunderbird’s 400', async () => {
    const d = deps({
      rules: [{ userAgent: '^LegacyBook/', options: { aggregatedAddressBook: true } }],
      forcePaths: [{ pathPrefix: BOOK, profile: 'thunderbird' }],
      aggregatedAddressBook: { displayName: 'Everything' },
    });
    const t = await createTestApp({ profiles: d.profiles, deps: d });
    const home = await t.request('PROPFIND', '/dav/addressbooks/alice/', {
      body: '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>',
      headers: { Depth: '1', 'User-Agent': 'LegacyBook/2.0' },
    });
    const ms = parseMultistatus(home.text);
    assert.deepEqual(
      ms.responses.map((r) => r.href),
      ['/dav/addressbooks/alice/', '/dav/addressbooks/alice/all-contacts/'],
    );
    assert.equal(ms.responses[1].props.get('{DAV:}displayname')?.el.children[0], 'Everything');
    const forced = await t.request('REPORT', BOOK, { body: BAD_SYNC, headers: { 'User-Agent': 'curl/8' } });
    assert.equal(forced.status, 400);
    const elsewhere = await t.request('REPORT', '/dav/calendars/alice/calendar/', {
      body: BAD_SYNC,
      headers: { 'User-Agent': 'curl/8' },
    });
    assert.equal(elsewhere.status, 403);
  });
});
