import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseByteSize } from './byte-size.ts';
import { configSchema } from './schema.ts';

describe('config schema', () => {
  it('an empty document is the embedded default', () => {
    assert.deepEqual(configSchema.parse({}), {
      server: { host: '127.0.0.1', port: 8008, publicPrefix: '/dav', trustProxy: false },
      storage: {
        kind: 'sqlite',
        dataDir: './data',
        file: 'davgate.sqlite',
        changeFeed: 'native',
        profile: 'native',
        users: 'davgate',
        digestRealm: 'BaikalDAV',
        timezone: 'UTC',
      },
      state: { kind: 'memory', logMaxEntries: 10_000, logMaxAgeSeconds: 30 * 24 * 3600 },
      limits: { maxResourceSize: 5 * 1024 * 1024, maxBodySize: 16 * 1024 * 1024, maxMultigetHrefs: 50_000 },
      auth: { realm: 'davgate', cacheSeconds: 300, backend: 'local' },
      logging: { level: 'info' },
      quirks: {
        enabled: true,
        profiles: [],
        rules: [],
        forcePaths: [],
        aggregatedAddressBook: {
          id: 'all-contacts',
          displayName: 'All Contacts',
          sources: 'writable',
          defaultBook: 'contacts',
        },
      },
    });
  });

  it('quirks: profile ids must exist, patterns must be regular expressions, options are typed', () => {
    const paths = (doc: unknown) => configSchema.safeParse(doc).error?.issues.map((i) => i.path.join('.')) ?? [];
    assert.deepEqual(paths({ quirks: { profiles: [{ id: 'no-such-client' }] } }), ['quirks.profiles.0.id']);
    assert.deepEqual(paths({ quirks: { rules: [{ userAgent: 'Foo(', options: {} }] } }), ['quirks.rules.0.userAgent']);
    assert.deepEqual(paths({ quirks: { profiles: [{ id: 'davx5', options: { vcardVersion: '2.1' } }] } }), [
      'quirks.profiles.0.options.vcardVersion',
    ]);
    assert.deepEqual(paths({ quirks: { forcePaths: [{ pathPrefix: 'dav/legacy', profile: 'thunderbird' }] } }), [
      'quirks.forcePaths.0.pathPrefix',
    ]);
    assert.deepEqual(paths({ quirks: { aggregatedAddressBook: { id: 'a/b' } } }), ['quirks.aggregatedAddressBook.id']);
    const ok = configSchema.parse({
      quirks: {
        profiles: [{ id: 'apple-contacts', match: ['^MyContacts/'], options: { aggregatedAddressBook: false } }],
        rules: [{ userAgent: 'LegacyBook/', options: { aggregatedAddressBook: true } }],
        forcePaths: [{ pathPrefix: '/dav/addressbooks/kiosk/', profile: 'apple-contacts' }],
      },
    });
    assert.deepEqual(ok.quirks.profiles[0], {
      id: 'apple-contacts',
      match: ['^MyContacts/'],
      builtInMatch: true,
      options: { aggregatedAddressBook: false },
      enabled: true,
    });
  });

  it('ldap: off unless configured; a configured directory needs URLs and a base DN, credentials outside the config', () => {
    const paths = (doc: unknown) => configSchema.safeParse(doc).error?.issues.map((i) => i.path.join('.')) ?? [];
    assert.equal(configSchema.parse({}).ldap, undefined);
    assert.deepEqual(paths({ ldap: {} }), ['ldap.urls', 'ldap.baseDn']);
    assert.deepEqual(paths({ ldap: { enabled: false } }), []);
    assert.deepEqual(paths({ ldap: { urls: ['ldap://admin:pw@dir:389'], baseDn: 'dc=x' } }), ['ldap.urls.0']);
    assert.deepEqual(paths({ ldap: { urls: ['ldap://dir'], baseDn: 'dc=x', bindDn: 'cn=svc' } }), ['ldap.bindDn']);
    assert.deepEqual(paths({ auth: { backend: 'ldap' } }), ['auth.backend']);
    const ok = configSchema.parse({
      ldap: {
        urls: ['ldaps://dir1:636', 'ldaps://dir2'],
        baseDn: 'ou=people,dc=x',
        bindDn: 'cn=svc',
        bindPasswordEnv: 'LDAP_PW',
      },
      auth: { backend: 'ldap' },
    });
    assert.equal(ok.ldap?.preset, 'inetOrgPerson');
    assert.equal(ok.ldap?.addressBook.id, 'directory');
    assert.equal(ok.ldap?.pageSize, 500);
  });

  it('state kind redis: standalone on loopback by default, credentials never in the URL', () => {
    const c = configSchema.parse({ state: { kind: 'redis' } });
    assert.equal(c.state.kind, 'redis');
    if (c.state.kind !== 'redis') return;
    assert.equal(c.state.mode, 'standalone');
    assert.equal(c.state.url, 'redis://127.0.0.1:6379/0');
    assert.equal(c.state.tls.enabled, false);
    const withPassword = configSchema.safeParse({ state: { kind: 'redis', url: 'redis://app:secret@db:6379' } });
    assert.deepEqual(
      withPassword.error?.issues.map((i) => i.path.join('.')),
      ['state.url'],
    );
    assert.equal(configSchema.safeParse({ state: { kind: 'redis', url: 'http://db:6379' } }).success, false);
  });

  it('state kind redis: sentinel and cluster need nodes; one password source only', () => {
    const paths = (doc: unknown) => configSchema.safeParse(doc).error?.issues.map((i) => i.path.join('.')) ?? [];
    assert.deepEqual(paths({ state: { kind: 'redis', mode: 'sentinel' } }), ['state.nodes']);
    assert.deepEqual(paths({ state: { kind: 'redis', mode: 'cluster', nodes: ['db1'] } }), ['state.nodes.0']);
    assert.deepEqual(paths({ state: { kind: 'redis', mode: 'cluster', nodes: ['db1:7000', '[::1]:7001'] } }), []);
    assert.deepEqual(paths({ state: { kind: 'redis', passwordFile: '/run/secrets/r', passwordEnv: 'R' } }), [
      'state.passwordEnv',
    ]);
    assert.deepEqual(paths({ state: { kind: 'redis', tls: { certFile: '/c.pem' } } }), ['state.tls']);
  });

  it('fills defaults inside a partly written section', () => {
    const c = configSchema.parse({ server: { port: 9000 } });
    assert.equal(c.server.port, 9000);
    assert.equal(c.server.host, '127.0.0.1');
  });

  it('rejects unknown keys (a typo must not be silently ignored)', () => {
    const r = configSchema.safeParse({ server: { prot: 1 } });
    assert.equal(r.success, false);
    assert.equal(r.error?.issues[0].code, 'unrecognized_keys');
  });

  it('accepts sizes with units and rejects nonsense', () => {
    const c = configSchema.parse({ limits: { maxResourceSize: '1 MiB', maxBodySize: '2MB' } });
    assert.equal(c.limits.maxResourceSize, 1_048_576);
    assert.equal(c.limits.maxBodySize, 2_000_000);
    assert.equal(configSchema.safeParse({ limits: { maxResourceSize: 'lots' } }).success, false);
    assert.equal(configSchema.safeParse({ limits: { maxResourceSize: 0 } }).success, false);
  });

  it('maxBodySize below maxResourceSize is an error on maxBodySize', () => {
    const r = configSchema.safeParse({ limits: { maxResourceSize: '8 MiB', maxBodySize: '1 MiB' } });
    assert.deepEqual(r.error?.issues[0].path, ['limits', 'maxBodySize']);
  });

  it('publicPrefix must start with a slash and not end with one', () => {
    assert.equal(configSchema.safeParse({ server: { publicPrefix: '/' } }).success, true);
    assert.equal(configSchema.safeParse({ server: { publicPrefix: '/a/b' } }).success, true);
    assert.equal(configSchema.safeParse({ server: { publicPrefix: 'dav' } }).success, false);
    assert.equal(configSchema.safeParse({ server: { publicPrefix: '/dav/' } }).success, false);
  });

  it('port must be an integer in range', () => {
    for (const port of [-1, 65536, 1.5, '80']) {
      assert.equal(configSchema.safeParse({ server: { port } }).success, false, String(port));
    }
  });
});

describe('parseByteSize', () => {
  it('understands binary and decimal units', () => {
    assert.equal(parseByteSize('512'), 512);
    assert.equal(parseByteSize('512k'), 524_288);
    assert.equal(parseByteSize('1.5 KiB'), 1536);
    assert.equal(parseByteSize('3 GB'), 3_000_000_000);
    assert.equal(parseByteSize('5 parsecs'), undefined);
    assert.equal(parseByteSize(''), undefined);
  });
});
