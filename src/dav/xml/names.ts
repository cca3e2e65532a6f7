// Clark notation ("{namespace}local") for XML names, and the namespaces DAV speaks.

/** An XML name in Clark notation: `{DAV:}prop`. Branded so raw strings are not mixed in by accident. */
export type ClarkName = string & { readonly __clark: true };

export const NS = {
  DAV: 'DAV:',
  CALDAV: 'urn:ietf:params:xml:ns:caldav',
  CARDDAV: 'urn:ietf:params:xml:ns:carddav',
  CALSERVER: 'http://calendarserver.org/ns/',
  APPLE_ICAL: 'http://apple.com/ns/ical/',
} as const;

/** Prefixes used when writing; any other namespace gets a generated prefix. */
export const PREFERRED_PREFIXES: Record<string, string> = {
  [NS.DAV]: 'd',
  [NS.CALDAV]: 'cal',
  [NS.CARDDAV]: 'card',
  [NS.CALSERVER]: 'cs',
  [NS.APPLE_ICAL]: 'ical',
};

export function clark(ns: string, local: string): ClarkName {
  return `{${ns}}${local}` as ClarkName;
}

export const dav = (local: string): ClarkName => clark(NS.DAV, local);
export const caldav = (local: string): ClarkName => clark(NS.CALDAV, local);
export const carddav = (local: string): ClarkName => clark(NS.CARDDAV, local);
export const calserver = (local: string): ClarkName => clark(NS.CALSERVER, local);
export const appleIcal = (local: string): ClarkName => clark(NS.APPLE_ICAL, local);

export function splitClark(name: ClarkName): { ns: string; local: string } {
  if (name.startsWith('{')) {
    const end = name.indexOf('}');
    return { ns: name.slice(1, end), local: name.slice(end + 1) };
  }
  return { ns: '', local: name };
}
