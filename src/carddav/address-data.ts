// RFC 6352 §10.4 CARDDAV:address-data in a request: the media type/version asked for and the
// optional `<C:prop name=…>` selection (§10.4.2 partial retrieval). Selection works on content
// lines, so kept properties stay byte-for-byte as stored (groups, X-AB* and folding intact).
import { DavError } from '../dav/dav-error.ts';
import { carddav } from '../dav/xml/names.ts';
import { childrenNamed, elements, type XmlElement } from '../dav/xml/tree.ts';

export interface SelectedProperty {
  /** Property name as requested (`EMAIL`, or `item1.EMAIL` for one group). */
  name: string;
  /** `novalue="yes"`: return name and parameters only. */
  novalue: boolean;
}

export interface AddressDataRequest {
  /** Lower-case media type, default text/vcard. */
  contentType: string;
  /** vCard version asked for, default 3.0 (§10.4). */
  version: string;
  /** Whether the request named the version (otherwise the client profile or the stored form decides). */
  versionGiven: boolean;
  /** Properties to return; undefined returns the whole card (no children or `<C:allprop/>`). */
  props?: SelectedProperty[];
}

/** The address data types the server accepts and serves (advertised in supported-address-data). */
export const SUPPORTED_ADDRESS_DATA = [
  { contentType: 'text/vcard', version: '3.0' },
  { contentType: 'text/vcard', version: '4.0' },
] as const;

/** Reads an unprefixed attribute (parsed XML stores it as `{}name`). */
export function attr(e: XmlElement, local: string): string | undefined {
  return e.attrs[`{}${local}`] ?? e.attrs[local];
}

export function parseAddressDataRequest(e: XmlElement): AddressDataRequest {
  const contentType = (attr(e, 'content-type') ?? 'text/vcard').trim().toLowerCase();
  const given = attr(e, 'version')?.trim();
  const version = given || (contentType === 'text/x-vlist' ? '1.0' : '3.0');
  const versionGiven = given !== undefined && given !== '';
  if (elements(e).some((c) => c.name === carddav('allprop'))) return { contentType, version, versionGiven };
  const props = childrenNamed(e, carddav('prop')).map((p) => {
    const name = attr(p, 'name')?.trim();
    if (!name) throw new DavError(400, undefined, 'CARDDAV:prop needs a name attribute');
    return { name, novalue: attr(p, 'novalue')?.trim().toLowerCase() === 'yes' };
  });
  return props.length ? { contentType, version, versionGiven, props } : { contentType, version, versionGiven };
}

/**
 * Types accepted in requests besides the advertised ones: SOGo's contact lists (quirks Q24), which
 * clients that use them ask for by content type alone.
 */
const ALSO_ACCEPTED = [{ contentType: 'text/x-vlist', version: '1.0' }] as const;

/** §8.6/§8.7 precondition CARDDAV:supported-address-data for an address-data element in a REPORT. */
export function assertSupportedAddressData(req: AddressDataRequest): void {
  const ok = [...SUPPORTED_ADDRESS_DATA, ...ALSO_ACCEPTED].some(
    (s) => s.contentType === req.contentType && s.version === req.version,
  );
  if (!ok) {
    throw new DavError(
      403,
      carddav('supported-address-data'),
      `address data ${req.contentType} version ${req.version} is not supported`,
    );
  }
}

/** Physical lines grouped into logical content lines (a line plus its folded continuations). */
export function logicalLines(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && out.length) out[out.length - 1].push(line);
    else if (line !== '') out.push([line]);
  }
  return out;
}

/** Index of the colon that separates name/parameters from the value (colons inside quoted parameter values do not count). */
export function valueColon(unfolded: string): number {
  let quoted = false;
  for (let i = 0; i < unfolded.length; i++) {
    const ch = unfolded[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) return i;
  }
  return -1;
}

const ALWAYS = new Set(['BEGIN', 'END', 'VERSION']);

/**
 * Keeps only the requested properties (plus BEGIN/END/VERSION, without which the result is not a
 * vCard). `EMAIL` selects every EMAIL whatever its group; `item1.EMAIL` only that group's.
 */
export function selectProperties(text: string, props: SelectedProperty[]): string {
  const wanted = props.map((p) => ({ ...p, upper: p.name.toUpperCase() }));
  const out: string[] = [];
  for (const physical of logicalLines(text)) {
    const unfolded = physical.map((l, i) => (i === 0 ? l : l.slice(1))).join('');
    const head = unfolded.slice(0, unfolded.search(/[;:]|$/)).toUpperCase();
    const dot = head.lastIndexOf('.');
    const name = dot < 0 ? head : head.slice(dot + 1);
    if (ALWAYS.has(name)) {
      out.push(...physical);
      continue;
    }
    const sel = wanted.find((w) => w.upper === name || w.upper === head);
    if (!sel) continue;
    if (!sel.novalue) out.push(...physical);
    else {
      const colon = valueColon(unfolded);
      out.push(`${colon < 0 ? unfolded : unfolded.slice(0, colon)}:`);
    }
  }
  return `${out.join('\r\n')}\r\n`;
}
