// Acceptance of issue 4 through the running gateway (`davgate serve`) and a real slapd seeded with
// 2,000 people and 50 groups: discovery, multiget, every addressbook-query form, vCard 3/4 and group
// flavour negotiation, read-only refusals, sync-collection after adding, modifying, renaming and
// deleting entries, paging past the server's size limit, LDAP bind authentication (right, wrong,
// empty passwords and unknown users) and a user who sees only their filtered subset.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Attribute, Change } from 'ldapts';
import { parseVcard } from '../../src/carddav/vcard.ts';
import { basic, startLdapGateway } from '../support/ldap-gateway.ts';
import type { RunningServer } from '../support/server.ts';
import { groupMembers, hasSlapd, PEOPLE_DN, person, type RunningSlapd, startSlapd } from '../support/slapd.ts';
import { parseMultistatus, textOf } from '../support/xml-assert.ts';

const skip = (await hasSlapd()) ? false : 'slapd is not installed (Debian packages "slapd" and "ldap-utils")';
const PEOPLE = 2000;
const GROUPS = 50;
const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"';
const me = person(1);

describe('LDAP address book through the gateway (issue 4)', { skip, timeout: 600_000 }, () => {
  let slapd: RunningSlapd;
  let server: RunningServer;
  let book: string;

  const req = (
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
    auth = basic(me.uid, me.password),
  ) =>
    fetch(new URL(path, server.baseUrl), {
      method,
      body,
      headers: { Authorization: auth, 'Content-Type': 'application/xml; charset=utf-8', ...headers },
    });

  async function multistatus(method: string, path: string, body: string, headers: Record<string, string> = {}) {
    const res = await req(method, path, body, headers);
    const text = await res.text();
    assert.equal(res.status, 207, `${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return parseMultistatus(text);
  }

  async function sync(token: string) {
    const ms = await multistatus(
      'REPORT',
      book,
      `<D:sync-collection ${NS}><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
    );
    return {
      token: textOf(
        ms.root.children.find((c) => typeof c !== 'string' && c.name === '{DAV:}sync-token') as never,
      ).trim(),
      changed: new Map(
        ms.responses
          .filter((r) => r.status === undefined)
          .map((r) => [r.href, textOf(r.props.get('{DAV:}getetag')?.el as never)]),
      ),
      deleted: ms.responses.filter((r) => r.status === 404).map((r) => r.href),
    };
  }

  async function query(filter: string, extra = '') {
    const ms = await multistatus(
      'REPORT',
      book,
      `<C:addressbook-query ${NS}><D:prop><D:getetag/><C:address-data/></D:prop>${filter}${extra}</C:addressbook-query>`,
      { Depth: '1' },
    );
    return ms;
  }
  const cardsOf = (ms: ReturnType<typeof parseMultistatus>) =>
    ms.responses
      .filter((r) => r.props.get('{urn:ietf:params:xml:ns:carddav}address-data')?.status === 200)
      .map((r) => parseVcard(textOf(r.props.get('{urn:ietf:params:xml:ns:carddav}address-data')?.el as never)));
  const fns = (ms: ReturnType<typeof parseMultistatus>) =>
    cardsOf(ms)
      .map((c) => c.props.find((p) => p.name === 'FN')?.text ?? '')
      .sort();

  before(async () => {
    slapd = await startSlapd({ people: PEOPLE, groups: GROUPS, sizeLimit: 500 });
    server = await startLdapGateway(slapd);
    book = `${server.prefix}/addressbooks/${me.uid}/directory/`;
  });
  after(async () => {
    await server?.stop();
    await slapd?.stop();
  });

  it('discovery: well-known → principal → home lists the read-only directory book', async () => {
    const root = await multistatus(
      'PROPFIND',
      '/.well-known/carddav',
      `<D:propfind ${NS}><D:prop><D:current-user-principal/></D:prop></D:propfind>`,
      { Depth: '0' },
    );
    const principal = textOf(root.responses[0].props.get('{DAV:}current-user-principal')?.el as never).trim();
    assert.equal(principal, `${server.prefix}/principals/${me.uid}/`);
    const p = await multistatus(
      'PROPFIND',
      principal,
      `<D:propfind ${NS}><D:prop><C:addressbook-home-set/><D:displayname/></D:prop></D:propfind>`,
      { Depth: '0' },
    );
    const home = textOf(
      p.responses[0].props.get('{urn:ietf:params:xml:ns:carddav}addressbook-home-set')?.el as never,
    ).trim();
    assert.equal(textOf(p.responses[0].props.get('{DAV:}displayname')?.el as never), me.cn);
    const h = await multistatus(
      'PROPFIND',
      home,
      `<D:propfind ${NS}><D:prop><D:resourcetype/><D:displayname/><D:current-user-privilege-set/><C:supported-address-data/></D:prop></D:propfind>`,
      { Depth: '1' },
    );
    const dir = h.byHref.get(book);
    assert.ok(dir, `the home lists ${book}: ${[...h.byHref.keys()].join(', ')}`);
    assert.equal(textOf(dir.props.get('{DAV:}displayname')?.el as never), 'Company directory');
    const privs = (dir.props.get('{DAV:}current-user-privilege-set')?.el.children ?? [])
      .filter((c) => typeof c !== 'string')
      .map((c) => (c as { children: { name: string }[] }).children[0].name);
    assert.ok(privs.includes('{DAV:}read'));
    assert.ok(!privs.includes('{DAV:}write') && !privs.includes('{DAV:}bind'), `privileges ${privs}`);
    assert.match(JSON.stringify(dir.props.get('{urn:ietf:params:xml:ns:carddav}supported-address-data')?.el), /4\.0/);
  });

  let initial: Awaited<ReturnType<typeof sync>>;
  it('initial sync-collection lists all 2,050 cards, past the server size limit of 500', async () => {
    initial = await sync('');
    assert.equal(initial.changed.size, PEOPLE + GROUPS);
    assert.equal(initial.deleted.length, 0);
  });

  it('multiget: people and a group whose MEMBERs are hrefs of this book', async () => {
    const hrefs = [...initial.changed.keys()];
    // Batches of 500 hrefs per multiget, as clients do.
    const batches: ReturnType<typeof parseMultistatus>[] = [];
    for (let i = 0; i < hrefs.length; i += 500) {
      const slice = hrefs.slice(i, i + 500);
      if (i + 500 >= hrefs.length) slice.push(`${book}missing.vcf`);
      batches.push(
        await multistatus(
          'REPORT',
          book,
          `<C:addressbook-multiget ${NS}><D:prop><D:getetag/><C:address-data/></D:prop>${slice
            .map((h) => `<D:href>${h}</D:href>`)
            .join('')}</C:addressbook-multiget>`,
        ),
      );
    }
    const ms = {
      responses: batches.flatMap((b) => b.responses),
      byHref: new Map(batches.flatMap((b) => [...b.byHref])),
      root: batches[0].root,
    };
    assert.equal(ms.responses.length, hrefs.length + 1);
    assert.equal(ms.byHref.get(`${book}missing.vcf`)?.status, 404);
    const cards = cardsOf(ms);
    const byFn = new Map(cards.map((c) => [c.props.find((p) => p.name === 'FN')?.text, c]));
    const p7 = byFn.get(person(7).cn);
    assert.ok(p7);
    assert.ok(p7.props.some((p) => p.name === 'EMAIL' && p.text === person(7).mail));
    const group = byFn.get('group03');
    assert.ok(group);
    const members = group.props
      .filter((p) => p.name === 'MEMBER')
      .map((p) => `${book}${p.text.replace('urn:uuid:', '')}.vcf`);
    assert.equal(members.length, groupMembers(3, PEOPLE).length);
    const uidToFn = new Map(cards.map((c) => [c.uid, c.props.find((p) => p.name === 'FN')?.text]));
    for (const m of members) assert.ok(initial.changed.has(m), `member ${m} is in the book`);
    assert.deepEqual(
      group.props
        .filter((p) => p.name === 'MEMBER')
        .map((p) => uidToFn.get(p.text.replace('urn:uuid:', '')))
        .sort(),
      groupMembers(3, PEOPLE)
        .map((i) => person(i).cn)
        .sort(),
    );
    for (const r of ms.responses.filter((x) => x.status === undefined))
      assert.equal(textOf(r.props.get('{DAV:}getetag')?.el as never), initial.changed.get(r.href));
  });

  it('addressbook-query: contains, equals, starts-with, ends-with, collations, negation', async () => {
    const pf = (name: string, m: string, attrs = '') =>
      `<C:filter><C:prop-filter name="${name}"><C:text-match ${attrs}>${m}</C:text-match></C:prop-filter></C:filter>`;
    assert.deepEqual(fns(await query(pf('FN', person(123).cn.slice(2)))), [person(123).cn]);
    assert.deepEqual(fns(await query(pf('EMAIL', person(77).mail.toUpperCase(), 'match-type="equals"'))), [
      person(77).cn,
    ]);
    // i;octet is case-sensitive: the upper-case address matches nothing
    assert.deepEqual(
      fns(await query(pf('EMAIL', person(77).mail.toUpperCase(), 'match-type="equals" collation="i;octet"'))),
      [],
    );
    assert.deepEqual(
      fns(await query(pf('EMAIL', 'user0199', 'match-type="starts-with" collation="i;ascii-casemap"'))),
      Array.from({ length: 10 }, (_, k) => person(1990 + k).cn).sort(),
    );
    const net = await query(pf('EMAIL', '@mail.example.net', 'match-type="ends-with"'));
    assert.equal(cardsOf(net).length, Math.floor(PEOPLE / 3));
    // unicode-casemap: "müller" finds "Müller"
    const mueller = cardsOf(await query(pf('FN', 'müller1')));
    assert.ok(
      mueller.length > 0 && mueller.every((c) => /Müller1/.test(c.props.find((p) => p.name === 'FN')?.text ?? '')),
    );
    // negate-condition: people whose TITLE is not "Engineer" (every card has a title… except groups, which have none)
    const notEng = await query(pf('TITLE', 'Engineer', 'match-type="equals" negate-condition="yes"'));
    assert.equal(
      cardsOf(notEng).length,
      Array.from({ length: PEOPLE }, (_, k) => person(k + 1)).filter((p) => p.title !== 'Engineer').length,
    );
  });

  it('addressbook-query: anyof/allof, param-filter, is-not-defined, limit → 507', async () => {
    const allof = await query(
      `<C:filter test="allof"><C:prop-filter name="ORG"><C:text-match>Acme</C:text-match></C:prop-filter><C:prop-filter name="TITLE"><C:text-match match-type="equals">Manager</C:text-match></C:prop-filter></C:filter>`,
    );
    const expected = Array.from({ length: PEOPLE }, (_, k) => person(k + 1)).filter(
      (p) => p.o === 'Acme' && p.title === 'Manager',
    );
    assert.deepEqual(fns(allof), expected.map((p) => p.cn).sort());
    const anyof = await query(
      `<C:filter test="anyof"><C:prop-filter name="EMAIL"><C:text-match match-type="equals">${person(5).mail}</C:text-match></C:prop-filter><C:prop-filter name="FN"><C:text-match match-type="equals">group09</C:text-match></C:prop-filter></C:filter>`,
    );
    assert.deepEqual(fns(anyof), [person(5).cn, 'group09'].sort());
    // param-filter: TEL;TYPE=cell only on people with a mobile (every 4th)
    const cell = await query(
      `<C:filter><C:prop-filter name="TEL"><C:param-filter name="TYPE"><C:text-match match-type="equals">cell</C:text-match></C:param-filter></C:prop-filter></C:filter>`,
    );
    assert.equal(cardsOf(cell).length, PEOPLE / 4);
    // is-not-defined: cards without EMAIL are the groups (no mail attribute)
    const noMail = await query(`<C:filter><C:prop-filter name="EMAIL"><C:is-not-defined/></C:prop-filter></C:filter>`);
    assert.equal(cardsOf(noMail).length, GROUPS);
    const limited = await query(
      `<C:filter><C:prop-filter name="FN"><C:text-match>Anna</C:text-match></C:prop-filter></C:filter>`,
      '<C:limit><C:nresults>5</C:nresults></C:limit>',
    );
    assert.equal(cardsOf(limited).length, 5);
    assert.equal(limited.byHref.get(book)?.status, 507);
  });

  it('address-data version and group flavours; GET with Accept; PHOTO in both versions', async () => {
    const withPhoto = [...initial.changed.keys()];
    const ms = await multistatus(
      'REPORT',
      book,
      `<C:addressbook-query ${NS}><D:prop><C:address-data content-type="text/vcard" version="3.0"/></D:prop><C:filter test="anyof"><C:prop-filter name="FN"><C:text-match match-type="equals">${person(50).cn}</C:text-match></C:prop-filter><C:prop-filter name="FN"><C:text-match match-type="equals">group02</C:text-match></C:prop-filter></C:filter></C:addressbook-query>`,
      { Depth: '1' },
    );
    const v3 = ms.responses.map((r) =>
      textOf(r.props.get('{urn:ietf:params:xml:ns:carddav}address-data')?.el as never),
    );
    assert.equal(v3.length, 2);
    const personCard = v3.find((t) => t.includes(person(50).cn)) ?? '';
    assert.match(personCard, /\r\nVERSION:3\.0\r\n/);
    assert.match(personCard, /\r\nPHOTO;ENCODING=b;TYPE=JPEG:\/9j\//);
    const group = v3.find((t) => t.includes('group02')) ?? '';
    assert.match(group, /\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n/);
    assert.match(group, /\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:/);
    const href =
      ms.responses.find((r) =>
        textOf(r.props.get('{urn:ietf:params:xml:ns:carddav}address-data')?.el as never).includes('group02'),
      )?.href ?? '';
    assert.ok(withPhoto.includes(href));
    // GET: stored form (4.0) by default, 3.0 with Accept, a SOGo list with Accept: text/x-vlist
    const stored = await req('GET', href);
    assert.match(await stored.text(), /\r\nKIND:group\r\n/);
    const etag = stored.headers.get('etag');
    assert.equal(etag, initial.changed.get(href));
    const asV3 = await req('GET', href, undefined, { Accept: 'text/vcard; version=3.0' });
    assert.match(await asV3.text(), /\r\nVERSION:3\.0\r\n/);
    assert.equal(asV3.headers.get('etag'), etag, 'the ETag is the one getetag reports');
    const vlist = await req('GET', href, undefined, { Accept: 'text/x-vlist' });
    assert.match(vlist.headers.get('content-type') ?? '', /^text\/x-vlist/);
    const vtext = await vlist.text();
    assert.match(vtext, /^BEGIN:VLIST\r\n/);
    assert.equal((vtext.match(/\r\nCARD;/g) ?? []).length, groupMembers(2, PEOPLE).length);
    assert.match(vtext, new RegExp(`CARD;FN=${person(2).cn}.*EMAIL=${person(2).mail}`));
  });

  it('read-only: PUT, DELETE and PROPPATCH are 403 DAV:need-privileges', async () => {
    const href = [...initial.changed.keys()][0];
    const put = await req('PUT', href, 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:X\r\nN:X;;;;\r\nEND:VCARD\r\n', {
      'Content-Type': 'text/vcard',
    });
    assert.equal(put.status, 403);
    assert.match(await put.text(), /need-privileges/);
    const create = await req(
      'PUT',
      `${book}new.vcf`,
      'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:y\r\nFN:Y\r\nN:Y;;;;\r\nEND:VCARD\r\n',
      { 'Content-Type': 'text/vcard' },
    );
    assert.equal(create.status, 403);
    const del = await req('DELETE', href);
    assert.equal(del.status, 403);
    assert.match(await del.text(), /need-privileges/);
  });

  it('sync-collection after adding, modifying, renaming and deleting entries reports exactly those', async () => {
    const before = await sync('');
    const admin = await slapd.admin();
    try {
      await admin.add(`uid=newbie,${PEOPLE_DN}`, {
        objectClass: 'inetOrgPerson',
        uid: 'newbie',
        cn: 'New Bie',
        sn: 'Bie',
        mail: 'newbie@example.org',
      });
      await admin.modify(person(1500).dn, [
        new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Director'] }) }),
      ]);
      await admin.modifyDN(person(1501).dn, `uid=renamed1501,${PEOPLE_DN}`);
      await admin.del(person(1502).dn);
    } finally {
      await admin.unbind();
    }
    const delta = await sync(before.token);
    const changedFns = fns(
      await multistatus(
        'REPORT',
        book,
        `<C:addressbook-multiget ${NS}><D:prop><C:address-data/></D:prop>${[...delta.changed.keys()].map((h) => `<D:href>${h}</D:href>`).join('')}</C:addressbook-multiget>`,
      ),
    );
    const people = changedFns.filter((f) => !f.startsWith('group'));
    assert.deepEqual(people, ['New Bie', person(1500).cn, person(1501).cn].sort());
    assert.equal(delta.deleted.length, 1);
    assert.ok(before.changed.has(delta.deleted[0]), 'the deleted href was known');
    // The renamed person keeps its href (entryUUID), with a new etag.
    const renamedHref = [...delta.changed.keys()].find((h) => before.changed.has(h) && !h.includes('group'));
    assert.ok(renamedHref);
    // Groups that listed the renamed or deleted person changed too (their members no longer resolve).
    const groupOf = (i: number) => `group${String(((i - 1) % 50) + 1).padStart(2, '0')}`;
    const groups = changedFns.filter((x) => x.startsWith('group'));
    for (const g of groups) assert.ok([groupOf(1501), groupOf(1502)].includes(g), `unexpected change of ${g}`);
    // And nothing changes when nothing changed.
    const again = await sync(delta.token);
    assert.equal(again.changed.size, 0);
    assert.equal(again.deleted.length, 0);
    assert.equal(again.token, delta.token);
  });

  it('bind authentication: right, wrong, empty password and unknown user', async () => {
    const path = `${server.prefix}/principals/${person(9).uid}/`;
    const body = `<D:propfind ${NS}><D:prop><D:displayname/></D:prop></D:propfind>`;
    const right = await req('PROPFIND', path, body, { Depth: '0' }, basic(person(9).uid, person(9).password));
    assert.equal(right.status, 207);
    const wrong = await req('PROPFIND', path, body, { Depth: '0' }, basic(person(9).uid, 'not-it'));
    const empty = await req('PROPFIND', path, body, { Depth: '0' }, basic(person(9).uid, ''));
    const unknown = await req('PROPFIND', path, body, { Depth: '0' }, basic('nobody-here', 'whatever'));
    const star = await req('PROPFIND', path, body, { Depth: '0' }, basic('user0000*', person(9).password));
    for (const r of [wrong, empty, unknown, star]) {
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    }
    // Same answer for a wrong password and an unknown user: nothing tells whether the user exists.
    assert.equal(await wrong.text(), await unknown.text());
    // A user may not read someone else's home.
    const other = await req('PROPFIND', `${server.prefix}/addressbooks/${person(9).uid}/directory/`, body, {
      Depth: '0',
    });
    assert.ok(other.status === 403 || other.status === 404, `another user's book: ${other.status}`);
  });

  it('per-user filter: a user sees only the people of their own company', async () => {
    const filtered = await startLdapGateway(slapd, { perUserFilter: '(o={attr:o})' });
    try {
      const u = person(2); // Acme
      const res = await fetch(new URL(`${filtered.prefix}/addressbooks/${u.uid}/directory/`, filtered.baseUrl), {
        method: 'REPORT',
        headers: { Authorization: basic(u.uid, u.password), 'Content-Type': 'application/xml' },
        body: `<D:sync-collection ${NS}><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
      });
      const ms = parseMultistatus(await res.text());
      const expectedPeople = Array.from({ length: PEOPLE }, (_, k) => person(k + 1)).filter(
        (p, k) => p.o === 'Acme' && ![1501, 1502].includes(k + 1),
      ).length;
      assert.equal(ms.responses.length, expectedPeople + GROUPS);
      const q = await fetch(new URL(`${filtered.prefix}/addressbooks/${u.uid}/directory/`, filtered.baseUrl), {
        method: 'REPORT',
        headers: { Authorization: basic(u.uid, u.password), 'Content-Type': 'application/xml', Depth: '1' },
        body: `<C:addressbook-query ${NS}><D:prop><C:address-data/></D:prop><C:filter><C:prop-filter name="EMAIL"><C:text-match match-type="equals">${person(3).mail}</C:text-match></C:prop-filter></C:filter></C:addressbook-query>`,
      });
      assert.equal(
        parseMultistatus(await q.text()).responses.length,
        0,
        'a Globex person is invisible to an Acme user',
      );
    } finally {
      await filtered.stop();
    }
  });
});
