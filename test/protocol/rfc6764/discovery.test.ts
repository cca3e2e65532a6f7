// RFC 6764 service discovery, RFC 5397 current-user-principal and the principal properties clients read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp } from '../../support/app.ts';
import { hrefsIn, parseMultistatus } from '../../support/xml-assert.ts';

const CUP = `<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>`;

describe('RFC 6764 §5: well-known URIs', () => {
  it('GET /.well-known/caldav redirects to the context path', async () => {
    const t = await createTestApp();
    for (const wk of ['/.well-known/caldav', '/.well-known/carddav']) {
      const r = await t.request('GET', wk);
      assert.equal(r.status, 301);
      assert.equal(r.headers.get('location'), '/dav/');
    }
  });

  it('PROPFIND on well-known, on / and on the prefix answers current-user-principal (Apple does not follow every redirect)', async () => {
    const t = await createTestApp();
    for (const path of ['/.well-known/caldav', '/.well-known/carddav', '/', '/dav/']) {
      const r = await t.request('PROPFIND', path, { body: CUP, headers: { Depth: '0' } });
      assert.equal(r.status, 207, path);
      const ms = parseMultistatus(r.text);
      assert.equal(ms.responses.length, 1);
      assert.equal(ms.responses[0].href, path);
      const cup = ms.responses[0].props.get('{DAV:}current-user-principal');
      assert.equal(cup?.status, 200);
      assert.deepEqual(hrefsIn(cup!.el), ['/dav/principals/alice/']);
    }
  });

  it('unauthenticated discovery gets 401 with a Basic challenge', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', '/.well-known/caldav', { body: CUP, headers: { Depth: '0' }, user: null });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm=/);
  });
});

describe('RFC 5397 / RFC 4791 §6.2.1 / RFC 6352 §7.1.1: principal properties', () => {
  it('the principal answers home sets, principal-URL, displayname, addresses, owner, privileges and reports', async () => {
    const t = await createTestApp();
    const body = `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav">
 <d:prop><d:principal-URL/><d:displayname/><c:calendar-home-set/><card:addressbook-home-set/><c:calendar-user-address-set/>
 <d:owner/><d:current-user-privilege-set/><d:supported-report-set/><d:resourcetype/></d:prop></d:propfind>`;
    const r = await t.request('PROPFIND', '/dav/principals/alice/', { body, headers: { Depth: '0' } });
    assert.equal(r.status, 207);
    const p = parseMultistatus(r.text).byHref.get('/dav/principals/alice/');
    assert.ok(p);
    assert.deepEqual(hrefsIn(p.props.get('{DAV:}principal-URL')!.el), ['/dav/principals/alice/']);
    assert.equal(p.props.get('{DAV:}displayname')?.el.children.join(''), 'Alice Example');
    assert.deepEqual(hrefsIn(p.props.get('{urn:ietf:params:xml:ns:caldav}calendar-home-set')!.el), [
      '/dav/calendars/alice/',
    ]);
    assert.deepEqual(hrefsIn(p.props.get('{urn:ietf:params:xml:ns:carddav}addressbook-home-set')!.el), [
      '/dav/addressbooks/alice/',
    ]);
    assert.deepEqual(hrefsIn(p.props.get('{urn:ietf:params:xml:ns:caldav}calendar-user-address-set')!.el), [
      'mailto:alice@example.com',
    ]);
    assert.deepEqual(hrefsIn(p.props.get('{DAV:}owner')!.el), ['/dav/principals/alice/']);
    assert.equal(p.props.get('{DAV:}current-user-privilege-set')?.status, 200);
    assert.equal(p.props.get('{DAV:}supported-report-set')?.status, 200);
    assert.match(r.text, /principal-property-search/);
    const rt = p.props.get('{DAV:}resourcetype')!.el;
    assert.deepEqual(
      rt.children
        .filter((c) => typeof c !== 'string')
        .map((c) => (c as { name: string }).name)
        .sort(),
      ['{DAV:}collection', '{DAV:}principal'],
    );
  });

  it("another user's principal is not visible", async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', '/dav/principals/bob/', { body: CUP, headers: { Depth: '0' } });
    assert.equal(r.status, 404);
  });

  it('RFC 3744 §9.4: principal-property-search finds the own principal by display name', async () => {
    const t = await createTestApp();
    const body = `<?xml version="1.0"?><d:principal-property-search xmlns:d="DAV:"><d:property-search><d:prop><d:displayname/></d:prop><d:match>alice</d:match></d:property-search><d:prop><d:displayname/></d:prop></d:principal-property-search>`;
    const r = await t.request('REPORT', '/dav/principals/', { body, headers: { Depth: '0' } });
    assert.equal(r.status, 207);
    const ms = parseMultistatus(r.text);
    assert.deepEqual(
      ms.responses.map((x) => x.href),
      ['/dav/principals/alice/'],
    );
    const none = await t.request('REPORT', '/dav/principals/', { body: body.replace('>alice<', '>bob<') });
    assert.equal(parseMultistatus(none.text).responses.length, 0);
  });

  it('RFC 3744 §9.5: principal-search-property-set lists searchable properties', async () => {
    const t = await createTestApp();
    const r = await t.request('REPORT', '/dav/principals/', {
      body: `<?xml version="1.0"?><d:principal-search-property-set xmlns:d="DAV:"/>`,
      headers: { Depth: '0' },
    });
    assert.equal(r.status, 200);
    assert.match(r.text, /principal-search-property-set/);
    assert.match(r.text, /displayname/);
  });
});
