// The property part of the CalDAV REPORT bodies (RFC 4791 §9.5, §9.10):
// `(DAV:allprop | DAV:propname | DAV:prop)?` — absent means allprop, as for an empty PROPFIND
// (RFC 4918 §9.1). Every requested CALDAV:calendar-data is checked up front so an unsupported media
// type fails the whole REPORT with 403 supported-calendar-data (§7.8, §7.9 preconditions).
import type { PropRequest } from '../dav/props/render.ts';
import { caldav, dav } from '../dav/xml/names.ts';
import { child, elements, type XmlElement } from '../dav/xml/tree.ts';
import { parseCalendarDataRequest } from './calendar-data-request.ts';

export function reportPropRequest(body: XmlElement): PropRequest {
  const prop = child(body, dav('prop'));
  if (prop) {
    const props = elements(prop);
    for (const p of props) if (p.name === caldav('calendar-data')) parseCalendarDataRequest(p);
    return { kind: 'prop', props };
  }
  if (child(body, dav('propname'))) return { kind: 'propname' };
  const include = child(body, dav('include'));
  return { kind: 'allprop', include: include ? elements(include) : [] };
}
