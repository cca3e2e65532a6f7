import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAddressbookResourceType } from './resource-kind.ts';
import { xml } from './test-support.ts';

describe('isAddressbookResourceType (RFC 5689 §3 extended MKCOL, RFC 6352 §6.3.1)', () => {
  it('needs both DAV:collection and CARDDAV:addressbook', () => {
    const rt = (inner: string) =>
      xml(`<D:resourcetype xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">${inner}</D:resourcetype>`);
    assert.ok(isAddressbookResourceType(rt('<D:collection/><C:addressbook/>')));
    assert.ok(!isAddressbookResourceType(rt('<D:collection/>')));
    assert.ok(!isAddressbookResourceType(rt('<C:addressbook/>')));
    assert.ok(!isAddressbookResourceType(rt('<D:collection/><C:calendar xmlns:C="urn:ietf:params:xml:ns:caldav"/>')));
  });
});
