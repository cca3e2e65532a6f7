// RFC 6578 sync-collection, on a backend with a native feed and on one without (snapshot fallback).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, ICS } from '../../support/app.ts';
import { child, parseMultistatus, textOf } from '../../support/xml-assert.ts';

const CAL = '/dav/calendars/alice/calendar/';
const sync = (token: string, limit?: number) =>
  `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level>${limit ? `<d:limit><d:nresults>${limit}</d:nresults></d:limit>` : ''}<d:prop><d:getetag/></d:prop></d:sync-collection>`;

async function report(t: Awaited<ReturnType<typeof createTestApp>>, token: string, limit?: number) {
  const r = await t.request('REPORT', CAL, { body: sync(token, limit), headers: { Depth: '0' } });
  assert.equal(r.status, 207, r.text);
  const ms = parseMultistatus(r.text);
  const tokenEl = child(ms.root, '{DAV:}sync-token' as never);
  assert.ok(tokenEl, 'multistatus carries a sync-token');
  return { ms, token: textOf(tokenEl).trim() };
}

for (const feed of [true, false]) {
  describe(`RFC 6578 sync-collection (${feed ? 'native change feed' : 'snapshot fallback'})`, () => {
    it('§3.2: initial sync lists every member; a no-change re-sync lists nothing and keeps the token', async () => {
      const t = await createTestApp({ backend: { changeFeed: feed } });
      for (const n of ['a', 'b', 'c'])
        await t.request('PUT', `${CAL}${n}.ics`, { body: ICS(n), headers: { 'Content-Type': 'text/calendar' } });
      const first = await report(t, '');
      assert.deepEqual(first.ms.responses.map((r) => r.href).sort(), [`${CAL}a.ics`, `${CAL}b.ics`, `${CAL}c.ics`]);
      for (const r of first.ms.responses) assert.equal(r.props.get('{DAV:}getetag')?.status, 200);
      const again = await report(t, first.token);
      assert.equal(again.ms.responses.length, 0);
      assert.equal(again.token, first.token);
    });

    it('§3.5: deltas report changed members and removed ones as 404', async () => {
      const t = await createTestApp({ backend: { changeFeed: feed } });
      for (const n of ['a', 'b'])
        await t.request('PUT', `${CAL}${n}.ics`, { body: ICS(n), headers: { 'Content-Type': 'text/calendar' } });
      const first = await report(t, '');
      await t.request('PUT', `${CAL}a.ics`, {
        body: ICS('a', 'Changed'),
        headers: { 'Content-Type': 'text/calendar' },
      });
      await t.request('DELETE', `${CAL}b.ics`);
      await t.request('PUT', `${CAL}c.ics`, { body: ICS('c'), headers: { 'Content-Type': 'text/calendar' } });
      const delta = await report(t, first.token);
      const by = delta.ms.byHref;
      assert.equal(by.size, 3);
      assert.equal(by.get(`${CAL}a.ics`)?.props.get('{DAV:}getetag')?.status, 200);
      assert.equal(by.get(`${CAL}c.ics`)?.props.get('{DAV:}getetag')?.status, 200);
      assert.equal(by.get(`${CAL}b.ics`)?.status, 404);
      assert.notEqual(delta.token, first.token);
      const getA = await t.request('GET', `${CAL}a.ics`);
      assert.equal(by.get(`${CAL}a.ics`)?.props.get('{DAV:}getetag')?.el.children.join(''), getA.headers.get('etag'));
    });

    it('§3.6: limit truncates with 507 on the request-URI and a token that continues without loss', async () => {
      const t = await createTestApp({ backend: { changeFeed: feed } });
      const names = Array.from({ length: 7 }, (_, i) => `e${i}`);
      for (const n of names)
        await t.request('PUT', `${CAL}${n}.ics`, { body: ICS(n), headers: { 'Content-Type': 'text/calendar' } });
      const seen = new Set<string>();
      let token = '';
      let rounds = 0;
      for (;;) {
        const page = await report(t, token, 3);
        rounds++;
        const truncated = page.ms.byHref.get(CAL)?.status === 507;
        for (const r of page.ms.responses) if (r.href !== CAL) seen.add(r.href);
        token = page.token;
        if (rounds === 1) {
          // A change during paging, to a name already delivered, must still be reported.
          await t.request('PUT', `${CAL}e0.ics`, {
            body: ICS('e0', 'Edited'),
            headers: { 'Content-Type': 'text/calendar' },
          });
        }
        if (!truncated) break;
        assert.ok(rounds < 10);
      }
      assert.equal(rounds, 3);
      assert.deepEqual(
        [...seen].sort(),
        names.map((n) => `${CAL}${n}.ics`),
      );
      const after = await report(t, token);
      assert.equal(after.ms.responses.length, 0);
    });

    it('§3.2: an unknown token is 403 valid-sync-token', async () => {
      const t = await createTestApp({ backend: { changeFeed: feed } });
      const r = await t.request('REPORT', CAL, {
        body: sync('http://example.com/ns/sync/1234'),
        headers: { Depth: '0' },
      });
      assert.equal(r.status, 403);
      assert.match(r.text, /valid-sync-token/);
    });

    it('getctag and sync-token change when a member changes', async () => {
      const t = await createTestApp({ backend: { changeFeed: feed } });
      const body = `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>`;
      const read = async () => {
        const r = await t.request('PROPFIND', CAL, { body, headers: { Depth: '0' } });
        const p = parseMultistatus(r.text).responses[0];
        return [
          p.props.get('{http://calendarserver.org/ns/}getctag')!.el.children.join(''),
          p.props.get('{DAV:}sync-token')!.el.children.join(''),
        ];
      };
      const before = await read();
      assert.deepEqual(await read(), before);
      await t.request('PUT', `${CAL}z.ics`, { body: ICS('z'), headers: { 'Content-Type': 'text/calendar' } });
      const after = await read();
      assert.notEqual(after[0], before[0]);
      assert.notEqual(after[1], before[1]);
    });
  });
}
