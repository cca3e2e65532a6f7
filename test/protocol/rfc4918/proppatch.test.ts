// RFC 4918 §9.2 PROPPATCH: atomic, dead properties persisted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp } from '../../support/app.ts';
import { parseMultistatus } from '../../support/xml-assert.ts';

const get = (t: Awaited<ReturnType<typeof createTestApp>>, path: string, prop: string) =>
  t.request('PROPFIND', path, {
    body: `<?xml version="1.0"?><propfind xmlns="DAV:" xmlns:x="urn:x"><prop>${prop}</prop></propfind>`,
    headers: { Depth: '0' },
  });

describe('RFC 4918 §9.2 PROPPATCH', () => {
  it('sets displayname and a dead property, both persisted', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPPATCH', '/dav/calendars/alice/calendar/', {
      body: `<?xml version="1.0"?><propertyupdate xmlns="DAV:" xmlns:x="urn:x"><set><prop><displayname>Work</displayname><x:colour lang="en">blue <x:b>bold</x:b></x:colour></prop></set></propertyupdate>`,
    });
    assert.equal(r.status, 207);
    const ms = parseMultistatus(r.text);
    assert.equal(ms.responses[0].props.get('{DAV:}displayname')?.status, 200);
    assert.equal(ms.responses[0].props.get('{urn:x}colour')?.status, 200);
    const after = await get(t, '/dav/calendars/alice/calendar/', '<displayname/><x:colour/>');
    const p = parseMultistatus(after.text).responses[0];
    assert.equal(p.props.get('{DAV:}displayname')?.el.children.join(''), 'Work');
    const colour = p.props.get('{urn:x}colour')!;
    assert.equal(colour.status, 200);
    assert.equal(colour.el.attrs['{}lang'], 'en');
    assert.equal((colour.el.children[1] as { name: string }).name, '{urn:x}b');
  });

  it('§9.2: a protected property fails with 403 and everything else with 424; nothing is applied', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPPATCH', '/dav/calendars/alice/calendar/', {
      body: `<?xml version="1.0"?><propertyupdate xmlns="DAV:" xmlns:x="urn:x"><set><prop><displayname>Nope</displayname><getetag>"x"</getetag></prop></set></propertyupdate>`,
    });
    assert.equal(r.status, 207);
    const p = parseMultistatus(r.text).responses[0];
    assert.equal(p.props.get('{DAV:}getetag')?.status, 403);
    assert.equal(p.props.get('{DAV:}displayname')?.status, 424);
    const after = await get(t, '/dav/calendars/alice/calendar/', '<displayname/>');
    assert.equal(
      parseMultistatus(after.text).responses[0].props.get('{DAV:}displayname')?.el.children.join(''),
      'Calendar',
    );
  });

  it('remove deletes a dead property', async () => {
    const t = await createTestApp();
    await t.request('PROPPATCH', '/dav/calendars/alice/calendar/', {
      body: `<?xml version="1.0"?><propertyupdate xmlns="DAV:" xmlns:x="urn:x"><set><prop><x:a>1</x:a></prop></set></propertyupdate>`,
    });
    const r = await t.request('PROPPATCH', '/dav/calendars/alice/calendar/', {
      body: `<?xml version="1.0"?><propertyupdate xmlns="DAV:" xmlns:x="urn:x"><remove><prop><x:a/></prop></remove></propertyupdate>`,
    });
    assert.equal(r.status, 207);
    const after = await get(t, '/dav/calendars/alice/calendar/', '<x:a/>');
    assert.equal(parseMultistatus(after.text).responses[0].props.get('{urn:x}a')?.status, 404);
  });
});
