// RFC 6638 §2.1/§2.2: the principal names its scheduling Outbox and Inbox, and both answer PROPFIND
// as (empty) collections of their kind; CalendarServer's email-address-set comes from the user's
// calendar user addresses. No scheduling is advertised (no calendar-auto-schedule in DAV:).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, calserver, dav } from '../../../src/dav/xml/names.ts';
import type { XmlElement } from '../../../src/dav/xml/tree.ts';
import { createTestApp } from '../../support/app.ts';
import { elements, hrefsIn, parseMultistatus, textOf } from '../../support/xml-assert.ts';

const PRINCIPAL = '/dav/principals/alice/';
const INBOX = '/dav/principals/alice/inbox/';
const OUTBOX = '/dav/principals/alice/outbox/';
const PROPS =
  '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/"><D:prop>' +
  '<C:schedule-inbox-URL/><C:schedule-outbox-URL/><CS:email-address-set/><D:resourcetype/><D:current-user-privilege-set/>' +
  '<C:schedule-default-calendar-URL/></D:prop></D:propfind>';

function propOf(text: string, href: string, name: string) {
  const r = parseMultistatus(text).byHref.get(href);
  assert.ok(r, `no response for ${href}`);
  return r.props.get(name);
}

function childNames(e: XmlElement | undefined): string[] {
  return e ? elements(e).map((c) => c.name) : [];
}

function value(text: string, href: string, name: string): XmlElement {
  const p = propOf(text, href, name);
  assert.equal(p?.status, 200, `${href} ${name}`);
  return p?.el as XmlElement;
}

describe('RFC 6638 §2.1/§2.2 scheduling Inbox and Outbox', () => {
  it('the principal answers schedule-inbox-URL, schedule-outbox-URL and CS:email-address-set with values', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', PRINCIPAL, { body: PROPS, headers: { Depth: '0' } });
    assert.equal(r.status, 207);
    assert.deepEqual(hrefsIn(value(r.text, PRINCIPAL, caldav('schedule-inbox-URL'))), [INBOX]);
    assert.deepEqual(hrefsIn(value(r.text, PRINCIPAL, caldav('schedule-outbox-URL'))), [OUTBOX]);
    const emails = value(r.text, PRINCIPAL, calserver('email-address-set'));
    assert.deepEqual(childNames(emails), [calserver('email-address')]);
    assert.equal(textOf(emails), 'alice@example.com');
  });

  for (const [href, kind] of [
    [INBOX, 'schedule-inbox'],
    [OUTBOX, 'schedule-outbox'],
  ] as const) {
    it(`${kind}: PROPFIND Depth 0 and 1 answer 207, resourcetype collection + ${kind}, read-only, empty`, async () => {
      const t = await createTestApp();
      for (const depth of ['0', '1']) {
        const r = await t.request('PROPFIND', href, { body: PROPS, headers: { Depth: depth } });
        assert.equal(r.status, 207, `Depth ${depth}`);
        const ms = parseMultistatus(r.text);
        assert.deepEqual([...ms.byHref.keys()], [href], 'an empty collection: only itself');
        const rt = value(r.text, href, dav('resourcetype'));
        assert.deepEqual(childNames(rt).sort(), [caldav(kind), dav('collection')].sort());
        const privs = value(r.text, href, dav('current-user-privilege-set'));
        const names = elements(privs).flatMap((p) => childNames(p));
        assert.deepEqual(names.sort(), [dav('read'), dav('read-current-user-privilege-set')].sort());
      }
    });
  }

  it('the Inbox names the default calendar (RFC 6638 §9.2); the principal lists both boxes at Depth 1', async () => {
    const t = await createTestApp();
    const r = await t.request('PROPFIND', INBOX, { body: PROPS, headers: { Depth: '0' } });
    assert.deepEqual(hrefsIn(value(r.text, INBOX, caldav('schedule-default-calendar-URL'))), [
      '/dav/calendars/alice/calendar/',
    ]);
    const p = await t.request('PROPFIND', PRINCIPAL, { body: PROPS, headers: { Depth: '1' } });
    assert.deepEqual([...parseMultistatus(p.text).byHref.keys()].sort(), [PRINCIPAL, INBOX, OUTBOX].sort());
  });

  it('the boxes take no writes, and another user’s boxes are not found', async () => {
    const t = await createTestApp();
    const put = await t.request('PUT', `${INBOX}x.ics`, { body: 'x', headers: { 'Content-Type': 'text/calendar' } });
    assert.ok(put.status === 404 || put.status === 409 || put.status === 405, `PUT into the inbox: ${put.status}`);
    assert.equal((await t.request('DELETE', INBOX)).status, 403);
    const other = await t.request('PROPFIND', '/dav/principals/bob/inbox/', { body: PROPS, headers: { Depth: '0' } });
    assert.equal(other.status, 404);
    const get = await t.request('GET', OUTBOX);
    assert.equal(get.status, 200);
  });
});
