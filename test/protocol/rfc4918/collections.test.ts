// RFC 4918 §9.3 MKCOL, RFC 5689 extended MKCOL, RFC 4791 §5.3.1 MKCALENDAR, §9.8/§9.9 COPY and MOVE.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, ICS } from '../../support/app.ts';
import { parseMultistatus } from '../../support/xml-assert.ts';

const HOME = '/dav/calendars/alice';

describe('RFC 4918 §9.3 MKCOL', () => {
  it('creates a plain collection (201), again is 405, without parent is 409, with a non-XML body 415', async () => {
    const t = await createTestApp();
    assert.equal((await t.request('MKCOL', `${HOME}/files/`)).status, 201);
    assert.equal((await t.request('MKCOL', `${HOME}/files/`)).status, 405);
    assert.equal((await t.request('MKCOL', `${HOME}/a/b/`)).status, 409);
    assert.equal((await t.request('MKCOL', `${HOME}/files/sub/`)).status, 201);
    const r = await t.request('MKCOL', `${HOME}/x/`, { body: 'hello', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(r.status, 415);
  });

  it('RFC 5689 §3: extended MKCOL creates an address book with a display name', async () => {
    const t = await createTestApp();
    const body = `<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Work</d:displayname></d:prop></d:set></d:mkcol>`;
    const r = await t.request('MKCOL', '/dav/addressbooks/alice/work/', { body });
    assert.equal(r.status, 201);
    const pf = await t.request('PROPFIND', '/dav/addressbooks/alice/work/', {
      headers: { Depth: '0' },
      body: `<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/><displayname/></prop></propfind>`,
    });
    assert.match(pf.text, /<card:addressbook\/>/);
    assert.match(pf.text, /Work/);
  });

  it('RFC 4791 §5.3.1: MKCALENDAR creates a calendar; inside a calendar it is refused', async () => {
    const t = await createTestApp();
    const r = await t.request('MKCALENDAR', `${HOME}/work/`, {
      body: `<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>Work</d:displayname></d:prop></d:set></c:mkcalendar>`,
    });
    assert.equal(r.status, 201);
    const nested = await t.request('MKCALENDAR', `${HOME}/work/inner/`);
    assert.equal(nested.status, 403);
    const pf = await t.request('PROPFIND', `${HOME}/`, {
      headers: { Depth: '1' },
      body: `<?xml version="1.0"?><propfind xmlns="DAV:"><prop><displayname/></prop></propfind>`,
    });
    assert.ok(parseMultistatus(pf.text).byHref.has(`${HOME}/work/`));
  });

  it('DELETE of a collection removes it with its members', async () => {
    const t = await createTestApp();
    await t.request('MKCALENDAR', `${HOME}/tmp/`);
    await t.request('PUT', `${HOME}/tmp/a.ics`, { body: ICS('a'), headers: { 'Content-Type': 'text/calendar' } });
    assert.equal((await t.request('DELETE', `${HOME}/tmp/`)).status, 204);
    assert.equal((await t.request('GET', `${HOME}/tmp/a.ics`)).status, 404);
  });
});

describe('RFC 4918 §9.8 COPY / §9.9 MOVE', () => {
  it('COPY an object to another calendar (201), onto an existing one with Overwrite: F is 412', async () => {
    const t = await createTestApp();
    await t.request('MKCALENDAR', `${HOME}/other/`);
    await t.request('PUT', `${HOME}/calendar/a.ics`, { body: ICS('a'), headers: { 'Content-Type': 'text/calendar' } });
    const c = await t.request('COPY', `${HOME}/calendar/a.ics`, {
      headers: { Destination: `http://localhost${HOME}/other/a.ics` },
    });
    assert.equal(c.status, 201);
    assert.equal((await t.request('GET', `${HOME}/other/a.ics`)).text, ICS('a'));
    const again = await t.request('COPY', `${HOME}/calendar/a.ics`, {
      headers: { Destination: `${HOME}/other/a.ics`, Overwrite: 'F' },
    });
    assert.equal(again.status, 412);
    const over = await t.request('COPY', `${HOME}/calendar/a.ics`, { headers: { Destination: `${HOME}/other/a.ics` } });
    assert.equal(over.status, 204);
  });

  it('MOVE an object between calendars removes the source; a rename inside one calendar keeps the UID', async () => {
    const t = await createTestApp();
    await t.request('MKCALENDAR', `${HOME}/other/`);
    await t.request('PUT', `${HOME}/calendar/m.ics`, { body: ICS('m'), headers: { 'Content-Type': 'text/calendar' } });
    assert.equal(
      (await t.request('MOVE', `${HOME}/calendar/m.ics`, { headers: { Destination: `${HOME}/other/m.ics` } })).status,
      201,
    );
    assert.equal((await t.request('GET', `${HOME}/calendar/m.ics`)).status, 404);
    assert.equal(
      (await t.request('MOVE', `${HOME}/other/m.ics`, { headers: { Destination: `${HOME}/other/renamed.ics` } }))
        .status,
      201,
    );
    assert.equal((await t.request('GET', `${HOME}/other/renamed.ics`)).text, ICS('m'));
    assert.equal((await t.request('GET', `${HOME}/other/m.ics`)).status, 404);
  });

  it('§9.8.5: a Destination outside the prefix is 502; a missing Destination 400', async () => {
    const t = await createTestApp();
    await t.request('PUT', `${HOME}/calendar/a.ics`, { body: ICS('a'), headers: { 'Content-Type': 'text/calendar' } });
    assert.equal(
      (
        await t.request('COPY', `${HOME}/calendar/a.ics`, {
          headers: { Destination: 'http://localhost/elsewhere/a.ics' },
        })
      ).status,
      502,
    );
    assert.equal(
      (
        await t.request('COPY', `${HOME}/calendar/a.ics`, {
          headers: { Destination: 'http://other.example/dav/calendars/alice/calendar/b.ics' },
        })
      ).status,
      502,
    );
    assert.equal((await t.request('COPY', `${HOME}/calendar/a.ics`)).status, 400);
  });

  it('COPY and MOVE of a plain collection with members and subcollections', async () => {
    const t = await createTestApp();
    await t.request('MKCOL', `${HOME}/src/`);
    await t.request('MKCOL', `${HOME}/src/sub/`);
    await t.request('PUT', `${HOME}/src/f.txt`, { body: 'one', headers: { 'Content-Type': 'text/plain' } });
    await t.request('PUT', `${HOME}/src/sub/g.txt`, { body: 'two', headers: { 'Content-Type': 'text/plain' } });
    assert.equal((await t.request('COPY', `${HOME}/src/`, { headers: { Destination: `${HOME}/dst/` } })).status, 201);
    assert.equal((await t.request('GET', `${HOME}/dst/sub/g.txt`)).text, 'two');
    assert.equal((await t.request('MOVE', `${HOME}/dst/`, { headers: { Destination: `${HOME}/moved/` } })).status, 201);
    assert.equal((await t.request('GET', `${HOME}/moved/f.txt`)).text, 'one');
    assert.equal((await t.request('GET', `${HOME}/dst/f.txt`)).status, 404);
  });

  it('§9.8.4/§9.9.4: Overwrite: T replaces a collection by an object and an object by a collection', async () => {
    const t = await createTestApp();
    await t.request('MKCOL', `${HOME}/w/`);
    await t.request('PUT', `${HOME}/w/file.txt`, { body: 'file', headers: { 'Content-Type': 'text/plain' } });
    await t.request('MKCOL', `${HOME}/w/coll/`);
    await t.request('PUT', `${HOME}/w/coll/inner.txt`, { body: 'inner', headers: { 'Content-Type': 'text/plain' } });
    const c = await t.request('COPY', `${HOME}/w/file.txt`, {
      headers: { Destination: `${HOME}/w/coll/`, Overwrite: 'T' },
    });
    assert.equal(c.status, 204);
    assert.equal((await t.request('GET', `${HOME}/w/coll`)).text, 'file');
    await t.request('MKCOL', `${HOME}/w/dir/`);
    await t.request('PUT', `${HOME}/w/dir/x.txt`, { body: 'x', headers: { 'Content-Type': 'text/plain' } });
    const m = await t.request('MOVE', `${HOME}/w/dir/`, {
      headers: { Destination: `${HOME}/w/file.txt`, Overwrite: 'T' },
    });
    assert.equal(m.status, 204);
    assert.equal((await t.request('GET', `${HOME}/w/file.txt/x.txt`)).text, 'x');
    assert.equal((await t.request('GET', `${HOME}/w/dir/x.txt`)).status, 404);
  });

  it('a refused COPY deletes nothing at the destination', async () => {
    const t = await createTestApp();
    await t.request('PUT', `${HOME}/calendar/a.ics`, { body: ICS('a'), headers: { 'Content-Type': 'text/calendar' } });
    await t.request('MKCOL', `${HOME}/keep/`);
    await t.request('PUT', `${HOME}/keep/k.txt`, { body: 'k', headers: { 'Content-Type': 'text/plain' } });
    // An object cannot replace a top-level collection (objects do not live in the home itself).
    const r = await t.request('COPY', `${HOME}/calendar/a.ics`, { headers: { Destination: `${HOME}/keep/` } });
    assert.equal(r.status, 409);
    assert.equal((await t.request('GET', `${HOME}/keep/k.txt`)).text, 'k');
  });
});
