// What Apple's 743-byte principal PROPFIND (apple-calendaragent-02-principal-propfind.xml) must get
// back with values, and what Apple then does with it: PROPFIND the scheduling Inbox and Outbox the
// principal advertised (quirks Q06; RFC 6638 §2.1/§2.2). No 404 for anything the principal names.
import assert from 'node:assert/strict';
import { caldav, calserver, dav } from '../../../src/dav/xml/names.ts';
import type { ParsedResponse } from '../../support/xml-assert.ts';
import { elements, hrefsIn, textOf } from '../../support/xml-assert.ts';
import { resourceTypes } from './client-parsers.ts';
import { found, multistatus, responseFor, type Session } from './session.ts';

const INBOX = '/dav/principals/alice/inbox/';
const OUTBOX = '/dav/principals/alice/outbox/';

/** The Inbox/Outbox poll body of Apple's simulator (getctag, resourcetype, privileges). */
const BOX_POLL =
  '<?xml version="1.0" encoding="UTF-8"?>\n<A:propfind xmlns:A="DAV:"><A:prop><A:resourcetype/><A:current-user-privilege-set/><A:owner/><A:supported-report-set/></A:prop></A:propfind>';

export async function assertAppleSchedulingPrincipal(
  s: Session,
  principal: ParsedResponse,
  headers: Record<string, string>,
): Promise<void> {
  assert.deepEqual(hrefsIn(found(principal, caldav('schedule-inbox-URL'))), [INBOX]);
  assert.deepEqual(hrefsIn(found(principal, caldav('schedule-outbox-URL'))), [OUTBOX]);
  const emails = found(principal, calserver('email-address-set'));
  assert.deepEqual(
    elements(emails).map((e) => [e.name, textOf(e)]),
    [[calserver('email-address'), 'alice@example.com']],
  );
  for (const [href, kind] of [
    [INBOX, 'schedule-inbox'],
    [OUTBOX, 'schedule-outbox'],
  ] as const) {
    for (const depth of ['0', '1']) {
      const ms = multistatus(await s.send('PROPFIND', href, { body: BOX_POLL, headers: { ...headers, Depth: depth } }));
      assert.deepEqual([...ms.byHref.keys()], [href], `${kind} Depth ${depth}: empty`);
      const box = responseFor(ms, href);
      assert.deepEqual(resourceTypes(found(box, dav('resourcetype'))), [caldav(kind), dav('collection')].sort());
      assert.deepEqual(hrefsIn(found(box, dav('owner'))), ['/dav/principals/alice/']);
      assert.ok(found(box, dav('current-user-privilege-set')));
    }
  }
}
