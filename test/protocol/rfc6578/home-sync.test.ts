// RFC 6578 on a calendar/address-book home (quirks Q10: Apple syncs the home and looks for
// sync-collection in the home's supported-report-set): the members are the home's collections.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, ICS } from '../../support/app.ts';
import { parseMultistatus } from '../../support/xml-assert.ts';

const HOME = '/dav/calendars/alice/';
const CAL = '/dav/calendars/alice/calendar/';
const sync = (token: string) =>
  `<d:sync-collection xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:displayname/><cs:getctag/></d:prop></d:sync-collection>`;
const tokenOf = (text: string) => /<d:sync-token>([^<]+)<\/d:sync-token>\s*<\/d:multistatus>/.exec(text)?.[1] ?? '';

async function homeProps(t: Awaited<ReturnType<typeof createTestApp>>) {
  const r = await t.request('PROPFIND', HOME, {
    body: '<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><d:sync-token/><cs:getctag/><d:supported-report-set/></d:prop></d:propfind>',
    headers: { Depth: '0' },
  });
  return parseMultistatus(r.text).byHref.get(HOME);
}

describe('RFC 6578 sync-collection on a home (quirks Q10)', () => {
  it('the home has sync-token and getctag and lists sync-collection in supported-report-set', async () => {
    const t = await createTestApp();
    const h = await homeProps(t);
    assert.equal(h?.props.get('{DAV:}sync-token')?.status, 200);
    assert.equal(h?.props.get('{http://calendarserver.org/ns/}getctag')?.status, 200);
    assert.match(JSON.stringify(h?.props.get('{DAV:}supported-report-set')?.el), /sync-collection/);
  });

  it('initial sync lists the collections; then only collections whose contents or properties changed, and removed ones as 404', async () => {
    const t = await createTestApp();
    const first = await t.request('REPORT', HOME, { body: sync(''), headers: { Depth: '1' } });
    assert.equal(first.status, 207);
    const ms = parseMultistatus(first.text);
    assert.deepEqual(
      ms.responses.map((r) => r.href),
      [CAL],
    );
    assert.equal(ms.responses[0].props.get('{DAV:}displayname')?.el.children[0], 'Calendar');
    const t1 = tokenOf(first.text);
    const ctag1 = (await homeProps(t))?.props.get('{http://calendarserver.org/ns/}getctag')?.el.children[0];

    const none = await t.request('REPORT', HOME, { body: sync(t1), headers: { Depth: '1' } });
    assert.deepEqual(parseMultistatus(none.text).responses, []);

    await t.request('PUT', `${CAL}e.ics`, { body: ICS('e'), headers: { 'Content-Type': 'text/calendar' } });
    await t.request('MKCALENDAR', `${HOME}work/`);
    const two = await t.request('REPORT', HOME, { body: sync(t1), headers: { Depth: '1' } });
    assert.deepEqual(
      parseMultistatus(two.text)
        .responses.map((r) => r.href)
        .sort(),
      [CAL, `${HOME}work/`],
    );
    const t2 = tokenOf(two.text);
    const ctag2 = (await homeProps(t))?.props.get('{http://calendarserver.org/ns/}getctag')?.el.children[0];
    assert.notEqual(ctag2, ctag1);

    await t.request('PROPPATCH', CAL, {
      body: '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>Personal</d:displayname></d:prop></d:set></d:propertyupdate>',
    });
    await t.request('DELETE', `${HOME}work/`);
    const three = parseMultistatus((await t.request('REPORT', HOME, { body: sync(t2), headers: { Depth: '1' } })).text);
    assert.equal(three.byHref.get(CAL)?.props.get('{DAV:}displayname')?.el.children[0], 'Personal');
    assert.equal(three.byHref.get(`${HOME}work/`)?.status, 404);
  });

  it("a collection's token is not a home token (403 valid-sync-token), and vice versa", async () => {
    const t = await createTestApp();
    const cal = await t.request('REPORT', CAL, { body: sync(''), headers: { Depth: '1' } });
    const home = await t.request('REPORT', HOME, { body: sync(tokenOf(cal.text)), headers: { Depth: '1' } });
    assert.equal(home.status, 403);
    assert.match(home.text, /valid-sync-token/);
    const h = await t.request('REPORT', HOME, { body: sync(''), headers: { Depth: '1' } });
    const back = await t.request('REPORT', CAL, { body: sync(tokenOf(h.text)), headers: { Depth: '1' } });
    assert.equal(back.status, 403);
  });
});
