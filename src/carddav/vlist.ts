// SOGo contact lists (BEGIN:VLIST, text/x-vlist; quirks Q24), the third group flavour: a group card ⇄
// a VLIST whose CARD lines reference member cards by resource name, with member lookups by UID or name.
import { contentLine, vcardText } from '../lib/vcard-write.ts';
import { type CardLine, parseLines, unescapeText, type VcardVersion, writeLines } from './card-lines.ts';

export const VLIST_CONTENT_TYPE = 'text/x-vlist; charset=utf-8';

export function isVlist(text: string): boolean {
  return /^\uFEFF?BEGIN:VLIST\s*$/im.test(text.slice(0, 64).split(/\r?\n/)[0] ?? '');
}

/** Another card of the collection, as far as a list needs it. */
export interface MemberCard {
  /** Resource name in the collection (what a VLIST CARD line references). */
  name: string;
  uid: string;
  fn?: string;
  email?: string;
}

/** Finds member cards by UID or by resource name (in the same address book). */
export interface MemberLookup {
  byUid(uids: string[]): Promise<Map<string, MemberCard>>;
  byName(names: string[]): Promise<Map<string, MemberCard>>;
}

/** A member value (`urn:uuid:X`, or a bare UID) → the UID it names. */
export function memberUid(value: string): string {
  return unescapeText(value.trim()).replace(/^urn:uuid:/i, '');
}

/** A group card → SOGo VLIST: each member becomes `CARD;FN=…;EMAIL=…:<resource name>`. */
export async function groupToVlist(lines: CardLine[], lookup?: MemberLookup): Promise<string> {
  const get = (n: string) => lines.find((l) => l.name === n);
  const uid = get('UID')?.value ?? '';
  const members = lines
    .filter((l) => l.name === 'MEMBER' || l.name === 'X-ADDRESSBOOKSERVER-MEMBER')
    .map((l) => memberUid(l.value));
  const found = lookup ? await lookup.byUid(members) : new Map<string, MemberCard>();
  const out = ['BEGIN:VLIST', 'VERSION:1.0', `UID:${uid}`];
  const prodid = get('PRODID');
  if (prodid) out.push(`PRODID:${prodid.value}`);
  out.push(`FN:${get('FN')?.value ?? ''}`);
  const nick = get('NICKNAME');
  if (nick) out.push(`NICKNAME:${nick.value}`);
  const note = get('NOTE');
  if (note) out.push(`DESCRIPTION:${note.value}`);
  for (const m of members) {
    const card = found.get(m);
    const params: Record<string, string | undefined> = { FN: card?.fn, EMAIL: card?.email };
    out.push(contentLine('CARD', params, card?.name ?? `${m}.vcf`));
  }
  out.push('END:VLIST');
  return vcardText(out);
}

/** A SOGo VLIST → a group card of `version` in the natural flavour (4.0 KIND/MEMBER, 3.0 Apple). */
export async function vlistToGroupLines(
  text: string,
  version: VcardVersion,
  lookup?: MemberLookup,
): Promise<CardLine[]> {
  const refs = vlistRefs(text);
  const found = lookup ? await lookup.byName(refs) : new Map<string, MemberCard>();
  return vlistLines(text, version, found);
}

/** The resource names a VLIST's CARD lines reference. */
function vlistRefs(text: string): string[] {
  return parseLines(text, '3.0')
    .filter((l) => l.name === 'CARD')
    .map((l) => unescapeText(l.value.trim()));
}

/**
 * A VLIST as group card text without looking members up (member UIDs taken from the referenced
 * names): what addressbook-query filters match a stored list against.
 */
export function vlistAsCardText(text: string): string {
  return writeLines(vlistLines(text, '4.0', new Map()));
}

function vlistLines(text: string, version: VcardVersion, found: Map<string, MemberCard>): CardLine[] {
  const lines = parseLines(text, '3.0');
  const get = (n: string) => lines.find((l) => l.name === n);
  const refs = lines.filter((l) => l.name === 'CARD').map((l) => unescapeText(l.value.trim()));
  const v4 = version === '4.0';
  const fn = get('FN')?.value ?? '';
  const out: CardLine[] = [
    { name: 'BEGIN', params: [], value: 'VCARD' },
    { name: 'VERSION', params: [], value: version },
    { name: 'UID', params: [], value: get('UID')?.value ?? '' },
  ];
  const prodid = get('PRODID');
  if (prodid) out.push({ name: 'PRODID', params: [], value: prodid.value });
  out.push({ name: v4 ? 'KIND' : 'X-ADDRESSBOOKSERVER-KIND', params: [], value: 'group' });
  out.push({ name: 'FN', params: [], value: fn });
  out.push({ name: 'N', params: [], value: `${fn};;;;` });
  const nick = get('NICKNAME');
  if (nick) out.push({ name: 'NICKNAME', params: [], value: nick.value });
  const desc = get('DESCRIPTION');
  if (desc) out.push({ name: 'NOTE', params: [], value: desc.value });
  for (const ref of refs) {
    const uid = found.get(ref)?.uid ?? ref.replace(/\.vcf$/i, '');
    out.push({ name: v4 ? 'MEMBER' : 'X-ADDRESSBOOKSERVER-MEMBER', params: [], value: `urn:uuid:${uid}` });
  }
  out.push({ name: 'END', params: [], value: 'VCARD' });
  return out;
}
