// RFC 4918 §10.1 / RFC 4791 §5.1 / RFC 6352 §6.1 / RFC 5689 §3.1: OPTIONS advertises only what works.
// No class 2: LOCK/UNLOCK are not implemented.
import type { DavResponse } from '../response.ts';

export const DAV_COMPLIANCE =
  '1, 3, access-control, calendar-access, calendar-no-timezone, addressbook, extended-mkcol';
export const ALLOWED_METHODS =
  'OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, MKCALENDAR, COPY, MOVE, REPORT';

export function options(): DavResponse {
  return { status: 200, headers: { DAV: DAV_COMPLIANCE, Allow: ALLOWED_METHODS, 'Content-Length': '0' } };
}
