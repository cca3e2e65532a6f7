// LDAP entry → vCard (RFC 6350 4.0 or RFC 2426 3.0) through the attribute map. People become
// individual cards; groups become group cards (4.0 KIND:group + MEMBER, 3.0 Apple's
// X-ADDRESSBOOKSERVER-KIND/-MEMBER) whose members are `urn:uuid:<id>` of the people's cards, so a
// client resolves them to the people's hrefs (<id>.vcf). Ids come from entryUUID / objectGUID, so
// renames and moves keep the same resource.
import { contentLine, escapeText, structured, vcardText } from '../../src/lib/vcard-write.ts';
import type { LdapEntry } from './connection.ts';
import { type AttributeMap, isActiveDirectoryId } from './options.ts';

export const PRODID = '-//davgate//LDAP address book//EN';

/** Attribute values of an entry by case-insensitive name. */
export class EntryView {
  readonly dn: string;
  readonly #attrs = new Map<string, (string | Buffer)[]>();
  constructor(entry: LdapEntry) {
    this.dn = entry.dn;
    for (const [k, v] of Object.entries(entry)) {
      if (k === 'dn') continue;
      this.#attrs.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
    }
  }
  /** Text values of the attributes, in attribute order. */
  texts(attrs: string[]): string[] {
    const out: string[] = [];
    for (const a of attrs) {
      for (const v of this.#attrs.get(a.toLowerCase()) ?? []) {
        const s = Buffer.isBuffer(v) ? v.toString('utf8') : v;
        if (s.trim() !== '') out.push(s);
      }
    }
    return out;
  }
  first(attrs: string[]): string {
    return this.texts(attrs)[0] ?? '';
  }
  binaries(attrs: string[]): Buffer[] {
    const out: Buffer[] = [];
    for (const a of attrs) {
      for (const v of this.#attrs.get(a.toLowerCase()) ?? []) {
        const b = Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1');
        if (b.length) out.push(b);
      }
    }
    return out;
  }
  has(attr: string): boolean {
    return (this.#attrs.get(attr.toLowerCase())?.length ?? 0) > 0;
  }
}

/** Canonical form of a DN for lookups: lower case, no spaces around separators, no uniqueMember `#'…'B` suffix. */
export function normalizeDn(dn: string): string {
  // Most DNs as servers return them have no spaces to trim and no uniqueMember suffix.
  if (!/[\s#]/.test(dn)) return dn.toLowerCase();
  return dn
    .replace(/#'[01]*'B$/, '')
    .split(/(?<!\\),/)
    .map((rdn) =>
      rdn
        .split(/(?<!\\)\+/)
        .map((ava) => {
          const eq = ava.indexOf('=');
          return eq < 0 ? ava.trim() : `${ava.slice(0, eq).trim()}=${ava.slice(eq + 1).trim()}`;
        })
        .join('+'),
    )
    .join(',')
    .toLowerCase();
}

/** AD objectGUID bytes → the usual string form (first three groups little-endian). */
export function guidToString(b: Buffer): string {
  if (b.length !== 16) return b.toString('hex');
  const h = (i: number) => b[i].toString(16).padStart(2, '0');
  const r = (...idx: number[]) => idx.map(h).join('');
  return `${r(3, 2, 1, 0)}-${r(5, 4)}-${r(7, 6)}-${r(8, 9)}-${r(10, 11, 12, 13, 14, 15)}`;
}

/** The inverse of guidToString. */
export function guidToBytes(id: string): Buffer | undefined {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return undefined;
  const raw = Buffer.from(hex, 'hex');
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((i) => raw[i]));
}

/** The resource id of an entry: entryUUID as is (lower case), objectGUID in string form. */
export function entryId(view: EntryView, idAttribute: string): string | undefined {
  if (isActiveDirectoryId(idAttribute)) {
    const b = view.binaries([idAttribute])[0];
    return b ? guidToString(b) : undefined;
  }
  const v = view.first([idAttribute]).trim().toLowerCase();
  return v === '' ? undefined : v;
}

/** Ids are UUIDs; anything else in a request path names nothing. */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CardContext {
  version: '3.0' | '4.0';
  attributes: AttributeMap;
  idAttribute: string;
  /** Id of the visible entry with this (normalized) DN, for MEMBER and manager references. */
  resolveDn(normalizedDn: string): string | undefined;
}

function imageType(b: Buffer): { mime: string; type: string } {
  if (b[0] === 0x89 && b[1] === 0x50) return { mime: 'image/png', type: 'PNG' };
  if (b[0] === 0x47 && b[1] === 0x49) return { mime: 'image/gif', type: 'GIF' };
  return { mime: 'image/jpeg', type: 'JPEG' };
}

/** "20240102030405Z" (generalizedTime, maybe with fraction) → vCard timestamp of the version. */
function rev(ts: string, version: '3.0' | '4.0'): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(ts);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return version === '4.0' ? `${y}${mo}${d}T${h}${mi}${s}Z` : `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
}

function header(version: '3.0' | '4.0', id: string, view: EntryView): string[] {
  const lines = ['BEGIN:VCARD', `VERSION:${version}`, `PRODID:${PRODID}`, `UID:${escapeText(id)}`];
  const modified = rev(view.first(['modifyTimestamp', 'whenChanged']), version);
  if (modified) lines.push(`REV:${modified}`);
  return lines;
}

/** labeledURI is "uri label"; other URL attributes are the URI. */
function urlOf(value: string): string {
  return value.trim().split(/\s+/)[0];
}

export function personCard(view: EntryView, id: string, ctx: CardContext): string {
  const a = ctx.attributes;
  const v4 = ctx.version === '4.0';
  const lines = header(ctx.version, id, view);
  const family = view.first(a.familyName);
  const given = view.first(a.givenName);
  const fn = view.first(a.fn) || [given, family].filter(Boolean).join(' ') || id;
  lines.push(contentLine('FN', {}, escapeText(fn)));
  lines.push(contentLine('N', {}, structured([family, given, '', '', ''])));
  for (const nick of view.texts(a.nickname)) lines.push(contentLine('NICKNAME', {}, escapeText(nick)));
  view.texts(a.email).forEach((mail, i) => {
    const types = v4 ? ['work'] : ['INTERNET', 'WORK', ...(i === 0 ? ['pref'] : [])];
    const params = v4 ? { TYPE: types, PREF: i === 0 ? '1' : undefined } : { TYPE: types };
    lines.push(contentLine('EMAIL', params, escapeText(mail.trim())));
  });
  const phones: [string[], string[]][] = [
    [a.workPhone, ['work', 'voice']],
    [a.mobile, ['cell']],
    [a.fax, ['work', 'fax']],
    [a.homePhone, ['home', 'voice']],
    [a.pager, ['pager']],
  ];
  for (const [attrs, types] of phones) {
    for (const tel of view.texts(attrs)) {
      lines.push(contentLine('TEL', { TYPE: v4 ? types : types.map((t) => t.toUpperCase()) }, escapeText(tel.trim())));
    }
  }
  const adr = [a.poBox, [], a.street, a.locality, a.region, a.postalCode, a.country].map((attrs) =>
    attrs.length ? view.first(attrs) : '',
  );
  if (adr.some((c) => c !== '')) lines.push(contentLine('ADR', { TYPE: v4 ? 'work' : 'WORK' }, structured(adr)));
  const org = view.first(a.organization);
  const dept = view.texts(a.department);
  if (org || dept.length) lines.push(contentLine('ORG', {}, structured([org, ...dept.slice(0, 1)])));
  const title = view.first(a.title);
  if (title) lines.push(contentLine('TITLE', {}, escapeText(title)));
  for (const u of view.texts(a.url)) {
    const uri = urlOf(u);
    if (uri) lines.push(contentLine('URL', {}, uri));
  }
  const photo = view.binaries(a.photo)[0];
  if (photo) {
    const t = imageType(photo);
    const b64 = photo.toString('base64');
    lines.push(
      v4
        ? contentLine('PHOTO', {}, `data:${t.mime};base64,${b64}`)
        : contentLine('PHOTO', { ENCODING: 'b', TYPE: t.type }, b64),
    );
  }
  const note = view.texts(a.note).join('\n');
  if (note) lines.push(contentLine('NOTE', {}, escapeText(note)));
  for (const m of view.texts(a.manager)) {
    const managerId = ctx.resolveDn(normalizeDn(m));
    if (managerId) lines.push(contentLine('RELATED', { TYPE: 'x-manager' }, `urn:uuid:${managerId}`));
  }
  lines.push('END:VCARD');
  return vcardText(lines);
}

export function groupCard(view: EntryView, id: string, ctx: CardContext): string {
  const a = ctx.attributes;
  const v4 = ctx.version === '4.0';
  const lines = header(ctx.version, id, view);
  const name = view.first(a.groupName) || id;
  if (v4) lines.push('KIND:group');
  else lines.push('X-ADDRESSBOOKSERVER-KIND:group');
  lines.push(contentLine('FN', {}, escapeText(name)));
  // Apple needs N with the group name as its family name (quirks Q23); harmless in 4.0.
  lines.push(contentLine('N', {}, structured([name, '', '', '', ''])));
  for (const mail of view.texts(a.groupEmail)) lines.push(contentLine('EMAIL', {}, escapeText(mail.trim())));
  const note = view.texts(a.groupNote).join('\n');
  if (note) lines.push(contentLine('NOTE', {}, escapeText(note)));
  const seen = new Set<string>();
  for (const dn of view.texts(a.groupMembers)) {
    const memberId = ctx.resolveDn(normalizeDn(dn));
    if (!memberId || memberId === id || seen.has(memberId)) continue;
    seen.add(memberId);
    lines.push(`${v4 ? 'MEMBER' : 'X-ADDRESSBOOKSERVER-MEMBER'}:urn:uuid:${memberId}`);
  }
  lines.push('END:VCARD');
  return vcardText(lines);
}

/** Every attribute a card of `kind` needs, for the search's attribute list. */
export function cardAttributes(
  kind: 'person' | 'group',
  a: AttributeMap,
  idAttribute: string,
  etagAttributes: string[],
): string[] {
  const all = new Set<string>([idAttribute, ...etagAttributes, 'modifyTimestamp']);
  const fields: (keyof AttributeMap)[] =
    kind === 'group'
      ? ['groupName', 'groupMembers', 'groupEmail', 'groupNote']
      : (Object.keys(a) as (keyof AttributeMap)[]).filter((k) => !k.startsWith('group'));
  for (const f of fields) for (const attr of a[f]) all.add(attr);
  if (isActiveDirectoryId(idAttribute)) all.add('whenChanged');
  return [...all];
}
