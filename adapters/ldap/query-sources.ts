// Query narrowing for addressbook-query: which LDAP attributes each vCard property of a generated
// card comes from, so filter.ts can turn a CardDAV filter into an RFC 4515 superset filter.
import type { PropertySources } from './filter.ts';
import type { AttributeMap } from './options.ts';

/** vCard properties of generated person cards → the attributes they come from (filter narrowing). */
export function personSources(a: AttributeMap): PropertySources {
  const fixed = { attributes: [], always: true, opaque: true };
  return {
    VERSION: fixed,
    PRODID: fixed,
    UID: fixed,
    REV: { attributes: ['modifyTimestamp'], opaque: true },
    FN: { attributes: a.fn, always: true },
    N: { attributes: [...a.familyName, ...a.givenName], always: true },
    NICKNAME: { attributes: a.nickname },
    EMAIL: { attributes: a.email },
    TEL: { attributes: [...a.workPhone, ...a.mobile, ...a.fax, ...a.homePhone, ...a.pager] },
    ADR: { attributes: [...a.poBox, ...a.street, ...a.locality, ...a.region, ...a.postalCode, ...a.country] },
    ORG: { attributes: [...a.organization, ...a.department] },
    TITLE: { attributes: a.title },
    URL: { attributes: a.url, opaque: true },
    PHOTO: { attributes: a.photo, opaque: true },
    NOTE: { attributes: a.note },
    RELATED: { attributes: a.manager, opaque: true },
  };
}

/** vCard properties of generated group cards → the attributes they come from (filter narrowing). */
export function groupSources(a: AttributeMap, version: '3.0' | '4.0'): PropertySources {
  const fixed = { attributes: [], always: true, opaque: true };
  return {
    VERSION: fixed,
    PRODID: fixed,
    UID: fixed,
    REV: { attributes: ['modifyTimestamp'], opaque: true },
    [version === '4.0' ? 'KIND' : 'X-ADDRESSBOOKSERVER-KIND']: fixed,
    FN: { attributes: a.groupName, always: true },
    N: { attributes: a.groupName, always: true },
    EMAIL: { attributes: a.groupEmail },
    NOTE: { attributes: a.groupNote },
    [version === '4.0' ? 'MEMBER' : 'X-ADDRESSBOOKSERVER-MEMBER']: { attributes: a.groupMembers, opaque: true },
  };
}
