// RFC 4791 §5.3.1 MKCALENDAR body (`<C:mkcalendar><D:set><D:prop>…`, §9.2) → CollectionPatch, and
// the §5.2.3 supported-calendar-component-set parser (protected, so settable only at creation; the
// core may reuse it for RFC 5689 extended MKCOL). Settable live properties go through their
// PropertyDef.toPatch (displayname, calendar-description, calendar-timezone, calendar-color, …);
// unknown properties become dead properties.
import type { CollectionPatch } from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import type { Resource } from '../dav/resource.ts';
import { caldav, dav } from '../dav/xml/names.ts';
import { childrenNamed, elements, type XmlElement } from '../dav/xml/tree.ts';

/** Component names a calendar may be restricted to (RFC 5545 §3.6, RFC 7953 VAVAILABILITY, X-names). */
const KNOWN_COMPONENTS = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE', 'VAVAILABILITY']);

/** Parses `<C:supported-calendar-component-set>`; 403 supported-calendar-component when empty or unknown. */
export function parseSupportedComponentSet(e: XmlElement): string[] {
  const names = childrenNamed(e, caldav('comp')).map((c) => (c.attrs['{}name'] ?? '').trim().toUpperCase());
  const bad = names.filter((n) => !KNOWN_COMPONENTS.has(n) && !/^X-[A-Z0-9-]+$/.test(n));
  if (names.length === 0 || bad.length) {
    throw new DavError(
      403,
      caldav('supported-calendar-component'),
      `unsupported component set: ${bad.join(', ') || 'empty'}`,
    );
  }
  return [...new Set(names)];
}

function merge(into: CollectionPatch, p: CollectionPatch): void {
  const { deadProps, ...rest } = p;
  Object.assign(into, rest);
  if (deadProps) into.deadProps = { ...(into.deadProps ?? {}), ...deadProps };
}

/** Turns the DAV:set properties of a new calendar into a patch (shared by MKCALENDAR and extended MKCOL). */
export function calendarPatchFromProps(ctx: DavContext, props: XmlElement[]): CollectionPatch {
  const patch: CollectionPatch = {};
  // toPatch implementations look only at the value; a placeholder resource stands for the new calendar.
  const placeholder: Resource = {
    type: 'collection',
    info: { ref: { owner: ctx.user, home: 'calendars', id: '' }, kind: 'calendar', deadProps: {} },
    backend: ctx.backends.forCollection(ctx.user, 'calendars', ''),
  };
  for (const prop of props) {
    if (prop.name === dav('resourcetype')) continue;
    if (prop.name === caldav('supported-calendar-component-set')) {
      patch.components = parseSupportedComponentSet(prop);
      continue;
    }
    const def = ctx.props.get(prop.name);
    if (!def) {
      merge(patch, { deadProps: { [prop.name]: prop } });
      continue;
    }
    if (def.protected || !def.toPatch) {
      throw new DavError(403, dav('cannot-modify-protected-property'), `${prop.name} cannot be set`);
    }
    merge(patch, def.toPatch(ctx, placeholder, prop));
  }
  return patch;
}

/**
 * The core's MKCALENDAR hook: an absent body creates a calendar with defaults. Throws DavError for
 * invalid values (403 valid-calendar-data for a bad calendar-timezone, §5.3.1 preconditions).
 */
export function parseMkcalendarBody(ctx: DavContext, body: XmlElement | undefined): CollectionPatch {
  if (!body) return {};
  if (body.name !== caldav('mkcalendar')) throw new DavError(400, undefined, 'expected CALDAV:mkcalendar');
  const props = childrenNamed(body, dav('set')).flatMap((s) => childrenNamed(s, dav('prop')).flatMap(elements));
  return calendarPatchFromProps(ctx, props);
}
