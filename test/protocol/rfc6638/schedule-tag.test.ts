// RFC 6638 §8.3 If-Schedule-Tag-Match without scheduling (quirks Q17), and RFC 7240 §4.2
// return=representation on PUT with Apple's X-MobileMe-DAV-Options spelling (quirks Q11).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestApp, ICS } from '../../support/app.ts';

const CAL = '/dav/calendars/alice/calendar/';
const TYPE = { 'Content-Type': 'text/calendar' };

describe('RFC 6638 §8.3 If-Schedule-Tag-Match (no schedule tags issued)', () => {
  it('an empty value (Apple, object without a tag) matches; any tag gets 412; no Schedule-Tag is sent', async () => {
    const t = await createTestApp();
    const created = await t.request('PUT', `${CAL}s.ics`, {
      body: ICS('s', 'one'),
      headers: { ...TYPE, 'If-Schedule-Tag-Match': '' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('schedule-tag'), null);
    const tagged = await t.request('PUT', `${CAL}s.ics`, {
      body: ICS('s', 'two'),
      headers: { ...TYPE, 'If-Schedule-Tag-Match': '"st-1"' },
    });
    assert.equal(tagged.status, 412);
    const truncated = await t.request('PUT', `${CAL}s.ics`, {
      body: ICS('s', 'two'),
      headers: { ...TYPE, 'If-Schedule': '"st-1"' },
    });
    assert.equal(truncated.status, 412, "iCal4OL's truncated header name means the same");
    assert.equal(
      (await t.request('DELETE', `${CAL}s.ics`, { headers: { 'If-Schedule-Tag-Match': '"x"' } })).status,
      412,
    );
    assert.match((await t.request('GET', `${CAL}s.ics`)).text, /SUMMARY:one/);
    assert.equal((await t.request('GET', `${CAL}s.ics`)).headers.get('schedule-tag'), null);
  });
});

describe('RFC 7240 §4.2 return=representation on PUT (quirks Q11)', () => {
  for (const [label, headers] of [
    ['Prefer: return=representation', { Prefer: 'return=representation' }],
    ['X-MobileMe-DAV-Options: return-changed-data', { 'X-MobileMe-DAV-Options': 'return-changed-data' }],
  ] as const) {
    it(`${label}: the stored representation comes back with its ETag`, async () => {
      const t = await createTestApp();
      // No DTSTAMP: the gateway adds one (quirks Q28), so the stored bytes differ from the sent ones.
      const sent = ICS('r', 'rep').replace(/DTSTAMP:[^\r\n]*\r\n/, '');
      const r = await t.request('PUT', `${CAL}r.ics`, { body: sent, headers: { ...TYPE, ...headers } });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get('preference-applied'), 'return=representation');
      const get = await t.request('GET', `${CAL}r.ics`);
      assert.equal(r.text, get.text, 'the body is what a GET returns');
      assert.match(r.text, /DTSTAMP:/);
      assert.equal(r.headers.get('etag'), get.headers.get('etag'));
      const update = await t.request('PUT', `${CAL}r.ics`, {
        body: sent.replace('SUMMARY:rep', 'SUMMARY:rep2'),
        headers: { ...TYPE, ...headers },
      });
      assert.equal(update.status, 200);
      assert.match(update.text, /SUMMARY:rep2/);
    });
  }
});
