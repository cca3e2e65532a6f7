// The LDAP adapter against a real OpenLDAP slapd (test/support/slapd.ts): the backend contract with
// read-only expectations, TLS (StartTLS and LDAPS with the CA file), failover, paging past the size
// limit and splitting searches the server caps, RFC 4515 escaping, query narrowing, cheap etags and
// the change probe, the per-user filter and bind verification.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runBackendContract } from '../../adapters/contract/backend-contract.ts';
import { LdapConnections } from '../../adapters/ldap/connection.ts';
import { escapeFilterValue } from '../../adapters/ldap/filter.ts';
import { openLdapDirectory } from '../../adapters/ldap/index.ts';
import { testLdapOptions } from '../../adapters/ldap/test-options.ts';
import { LdapUsers } from '../../adapters/ldap/users.ts';
import type { AddressFilter } from '../../src/backend/address-filter.ts';
import type { CollectionRef } from '../../src/backend/types.ts';
import { parseVcard } from '../../src/carddav/vcard.ts';
import { hasSlapd, PEOPLE_DN, person, type RunningSlapd, startSlapd } from '../support/slapd.ts';

const skip = (await hasSlapd()) ? false : 'slapd is not installed (Debian packages "slapd" and "ldap-utils")';
const REF: CollectionRef = { owner: 'user00001', home: 'addressbooks', id: 'directory' };
const PEOPLE = 2000;
const GROUPS = 50;

async function names(it: AsyncIterable<{ name: string; etag: string }>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const o of it) out.set(o.name, o.etag);
  return out;
}

const fnContains = (text: string): AddressFilter => ({
  test: 'anyof',
  propFilters: [
    {
      kind: 'prop-test',
      name: 'FN',
      test: 'anyof',
      paramFilters: [],
      textMatches: [{ text, collation: 'i;unicode-casemap', matchType: 'contains', negate: false }],
    },
  ],
});

describe('LDAP adapter against slapd', { skip, timeout: 300_000 }, () => {
  let slapd: RunningSlapd;
  before(async () => {
    slapd = await startSlapd({ people: PEOPLE, groups: GROUPS, sizeLimit: 500 });
  });
  after(async () => {
    await slapd?.stop();
  });

  describe('contract', () => {
    runBackendContract('ldap', async () => {
      const dir = openLdapDirectory(testLdapOptions(slapd));
      return { backend: dir.backend, owner: REF.owner, collection: REF, cleanup: () => dir.close() };
    });
  });

  it('lists every person and group, paging past the server size limit of 500', async () => {
    const dir = openLdapDirectory(testLdapOptions(slapd));
    try {
      const listed = await names(dir.backend.listObjects(REF));
      assert.equal(listed.size, PEOPLE + GROUPS);
      for (const name of listed.keys()) assert.match(name, /^[0-9a-f-]{36}\.vcf$/);
    } finally {
      await dir.close();
    }
  });

  it('a server that caps whole paged searches: the search is split by entryCSN ranges and loses nothing', async () => {
    const capped = await startSlapd({ people: 1200, groups: 5, sizeLimit: 300, pagedBeyondLimit: false, tls: false });
    const dir = openLdapDirectory(testLdapOptions(capped));
    try {
      const listed = await names(dir.backend.listObjects(REF));
      assert.equal(listed.size, 1205);
      const all = await dir.backend.query(REF, {
        kind: 'addressbook',
        addressFilter: { test: 'anyof', propFilters: [] },
      });
      assert.equal(all.items.length, 1205);
    } finally {
      await dir.close();
      await capped.stop();
    }
  });

  it('StartTLS and LDAPS with the CA file; an untrusted certificate is refused', async () => {
    assert.ok(slapd.caFile && slapd.ldapsUrl);
    const { readFileSync } = await import('node:fs');
    const ca = [readFileSync(slapd.caFile, 'utf8')];
    const base = testLdapOptions(slapd);
    for (const connection of [
      { ...base.connection, urls: [slapd.url.replace('127.0.0.1', 'localhost')], startTls: true, ca },
      { ...base.connection, urls: [slapd.ldapsUrl], ca },
    ]) {
      const dir = openLdapDirectory({ ...base, connection });
      try {
        const [card] = await dir.backend.getObjects(
          REF,
          [...(await names(dir.backend.listObjects(REF))).keys()].slice(0, 1),
        );
        assert.ok(card);
      } finally {
        await dir.close();
      }
    }
    const untrusted = openLdapDirectory({
      ...base,
      connection: { ...base.connection, urls: [slapd.ldapsUrl], ca: [] },
    });
    try {
      await assert.rejects(names(untrusted.backend.listObjects(REF)), /unreachable|certificate|self.signed|TLS/i);
    } finally {
      await untrusted.close();
    }
  });

  it('fails over to the next URL when the first server is down', async () => {
    const base = testLdapOptions(slapd);
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m), debug: () => {} };
    const dir = openLdapDirectory(
      { ...base, connection: { ...base.connection, urls: ['ldap://127.0.0.1:1', slapd.url] } },
      log,
    );
    try {
      assert.equal((await names(dir.backend.listObjects(REF))).size, PEOPLE + GROUPS);
      assert.ok(warnings.some((w) => /unreachable/.test(w)));
    } finally {
      await dir.close();
    }
  });

  it('people and groups as vCards: mapping, PHOTO, MEMBER urn:uuid of the members, names from entryUUID', async () => {
    const dir = openLdapDirectory(testLdapOptions(slapd));
    try {
      const q = await dir.backend.query(REF, { kind: 'addressbook', addressFilter: fnContains(person(50).cn) });
      const card = q.items
        .map((o) => parseVcard(new TextDecoder().decode(o.body)))
        .find((c) => c.props.some((p) => p.name === 'FN' && p.text === person(50).cn));
      assert.ok(card);
      const get = (n: string) => card.props.filter((p) => p.name === n).map((p) => p.text);
      assert.deepEqual(get('EMAIL'), [person(50).mail]);
      assert.deepEqual(get('N'), [`${person(50).sn};${person(50).givenName};;;`]);
      assert.deepEqual(get('ORG'), ['Acme;Operations']);
      assert.match(get('PHOTO')[0], /^data:image\/jpeg;base64,\/9j\//);
      assert.deepEqual(get('URL'), ['https://example.org/~user00050']);
      const group = (await dir.backend.query(REF, { kind: 'addressbook', addressFilter: fnContains('group07') })).items;
      assert.equal(group.length, 1);
      const g = parseVcard(new TextDecoder().decode(group[0].body));
      const members = g.props.filter((p) => p.name === 'MEMBER').map((p) => p.text.replace('urn:uuid:', ''));
      assert.equal(members.length, 40);
      const listed = await names(dir.backend.listObjects(REF));
      for (const m of members) assert.ok(listed.has(`${m}.vcf`), `member ${m} is a card of the book`);
      assert.equal(group[0].etag, listed.get(group[0].name));
    } finally {
      await dir.close();
    }
  });

  it('RFC 4515: values with * ( ) \\ and non-ASCII are escaped, and match exactly what they say', async () => {
    assert.equal(escapeFilterValue('a*(b)\\c\0'), 'a\\2a\\28b\\29\\5cc\\00');
    const admin = await slapd.admin();
    try {
      await admin.add(`uid=special,${PEOPLE_DN}`, {
        objectClass: 'inetOrgPerson',
        uid: 'special',
        cn: 'Star *(Paren)\\ Ölaf',
        sn: 'Special',
        mail: 'special@example.org',
      });
    } finally {
      await admin.unbind();
    }
    const dir = openLdapDirectory(testLdapOptions(slapd));
    try {
      for (const text of ['*(Paren)\\', 'ölaf', 'Star *']) {
        const q = await dir.backend.query(REF, { kind: 'addressbook', addressFilter: fnContains(text) });
        assert.deepEqual(
          q.items.map((o) => parseVcard(new TextDecoder().decode(o.body)).props.find((p) => p.name === 'FN')?.text),
          ['Star *(Paren)\\ Ölaf'],
          text,
        );
      }
      // A bare "*" is a literal asterisk, not a wildcard.
      const star = await dir.backend.query(REF, { kind: 'addressbook', addressFilter: fnContains('*') });
      assert.equal(star.items.length, 1);
    } finally {
      await dir.close();
      const a = await slapd.admin();
      await a.del(`uid=special,${PEOPLE_DN}`).finally(() => a.unbind());
    }
  });

  it('etags come from entryCSN: a no-change listing is answered from the change probe, a change is seen', async () => {
    const dir = openLdapDirectory(testLdapOptions(slapd));
    try {
      const first = await names(dir.backend.listObjects(REF));
      // Count full-directory searches instead of timing: an unchanged directory is not listed again.
      let fullSearches = 0;
      const searchAll = dir.connections.searchAll.bind(dir.connections);
      dir.connections.searchAll = (spec, limits) => {
        fullSearches++;
        return searchAll(spec, limits);
      };
      const again = await names(dir.backend.listObjects(REF));
      assert.equal(fullSearches, 0, 'an unchanged directory is not listed again');
      dir.connections.searchAll = searchAll;
      assert.deepEqual(again, first);
      const admin = await slapd.admin();
      try {
        await admin.modify(person(2).dn, [
          new (await import('ldapts')).Change({
            operation: 'replace',
            modification: new (await import('ldapts')).Attribute({ type: 'title', values: ['Chief'] }),
          }),
        ]);
      } finally {
        await admin.unbind();
      }
      const after = await names(dir.backend.listObjects(REF));
      const changed = [...after].filter(([n, e]) => first.get(n) !== e).map(([n]) => n);
      assert.equal(changed.length, 1);
      const [card] = await dir.backend.getObjects(REF, changed);
      assert.match(new TextDecoder().decode(card.body), /\r\nTITLE:Chief\r\n/);
      assert.equal(card.etag, after.get(card.name));
    } finally {
      await dir.close();
    }
  });

  it('per-user filter: {attr:o} from the user own entry narrows listing, lookups and queries', async () => {
    const dir = openLdapDirectory(testLdapOptions(slapd, { perUserFilter: '(o={attr:o})' }));
    try {
      const globex = await names(dir.backend.listObjects({ ...REF, owner: 'user00001' }));
      assert.equal(globex.size, PEOPLE / 2 + GROUPS);
      const acme = await names(dir.backend.listObjects({ ...REF, owner: 'user00002' }));
      assert.equal(acme.size, PEOPLE / 2 + GROUPS);
      const acmeOnly = [...acme.keys()].filter((n) => !globex.has(n));
      assert.equal((await dir.backend.getObjects({ ...REF, owner: 'user00001' }, acmeOnly.slice(0, 5))).length, 0);
      const nobody = await names(dir.backend.listObjects({ ...REF, owner: 'no-such-user' }));
      assert.equal(nobody.size, GROUPS, 'an unknown user sees no people');
    } finally {
      await dir.close();
    }
  });

  it('bind verification: right, wrong and empty passwords; unknown users', async () => {
    const opts = testLdapOptions(slapd);
    const dir = openLdapDirectory(opts);
    const users = new LdapUsers(dir.backend, dir.connections, opts);
    try {
      const dn = await users.findUserDn('user00007');
      assert.equal(dn, person(7).dn);
      assert.equal(await users.verifyBind(dn, person(7).password), true);
      assert.equal(await users.verifyBind(dn, 'wrong'), false);
      assert.equal(await users.verifyBind(dn, ''), false);
      assert.equal(await users.findUserDn('nobody'), undefined);
      assert.equal(await users.findUserDn('user0000*'), undefined, 'the name is escaped, not a wildcard');
      assert.equal(await users.verifyBind(users.decoyDn(), 'x'), false);
    } finally {
      await dir.close();
    }
  });

  it('an unreachable directory is a BackendError unavailable (503), not a crash', async () => {
    const conn = new LdapConnections({ ...testLdapOptions(slapd).connection, urls: ['ldap://127.0.0.1:1'] });
    try {
      await assert.rejects(
        conn.searchAll(
          { base: PEOPLE_DN, scope: 'one', filter: '(uid=x)', attributes: ['1.1'] },
          { pageSize: 10, timeLimit: 0 },
        ),
        (e: unknown) => (e as { code?: string }).code === 'unavailable',
      );
    } finally {
      await conn.close();
    }
  });
});
