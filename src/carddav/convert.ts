// The `represent` entry point: an address object's stored text in the vCard version and contact-group
// flavour a client asks for (quirks Q23, Q24). The conversions themselves live in card-lines.ts
// (content-line parsing/writing), version-convert.ts (vCard 3.0 ⇄ 4.0), group-flavour.ts (vCard 4 and
// Apple groups) and vlist.ts (SOGo VLIST); their names are re-exported here for existing importers.
import { parseLines, type VcardVersion, writeLines } from './card-lines.ts';
import { type GroupFlavour, groupFlavourLines, isGroupCard } from './group-flavour.ts';
import { convertLines } from './version-convert.ts';
import { groupToVlist, isVlist, type MemberLookup, VLIST_CONTENT_TYPE, vlistToGroupLines } from './vlist.ts';

export {
  type CardLine,
  components,
  parseLines,
  unescapeText,
  type VcardVersion,
  versionOf,
  writeLines,
} from './card-lines.ts';
export { type GroupFlavour, groupFlavourLines, isGroupCard } from './group-flavour.ts';
export { convertLines } from './version-convert.ts';
export {
  groupToVlist,
  isVlist,
  type MemberCard,
  type MemberLookup,
  memberUid,
  VLIST_CONTENT_TYPE,
  vlistAsCardText,
  vlistToGroupLines,
} from './vlist.ts';

export const VCARD_CONTENT_TYPE = 'text/vcard; charset=utf-8';

/** What a client is to get; undefined members keep the stored form. */
export interface Representation {
  version?: VcardVersion;
  flavour?: GroupFlavour;
}

export interface Represented {
  text: string;
  contentType: string;
  /** The stored bytes unchanged. */
  unchanged: boolean;
}

/**
 * The stored text of an address object as `want` asks: version converted, groups in the flavour
 * asked for. Cards that need no change come back as stored.
 */
export async function represent(
  stored: string,
  storedType: string,
  want: Representation,
  lookup?: MemberLookup,
): Promise<Represented> {
  const same = { text: stored, contentType: storedType, unchanged: true };
  if (isVlist(stored)) {
    if (want.flavour === 'vlist' || (want.flavour === undefined && want.version === undefined)) return same;
    const lines = await vlistToGroupLines(stored, want.version ?? '4.0', lookup);
    const flavoured = want.flavour ? groupFlavourLines(lines, want.flavour) : lines;
    return { text: writeLines(flavoured), contentType: VCARD_CONTENT_TYPE, unchanged: false };
  }
  if (want.version === undefined && want.flavour === undefined) return same;
  // Cheap checks first: most cards are not groups and already have the version asked for.
  const storedVersion = /VERSION:\s*4\.0/i.test(stored) ? '4.0' : /VERSION:\s*3\.0/i.test(stored) ? '3.0' : undefined;
  const maybeGroup = /KIND:\s*group/i.test(stored);
  const needsVersion = want.version !== undefined && storedVersion !== undefined && want.version !== storedVersion;
  if (!needsVersion && (!want.flavour || !maybeGroup)) return same;
  let lines = parseLines(stored, storedVersion ?? '3.0');
  if (!isGroupCard(lines) && !needsVersion) return same;
  if (want.flavour === 'vlist' && isGroupCard(lines)) {
    return { text: await groupToVlist(lines, lookup), contentType: VLIST_CONTENT_TYPE, unchanged: false };
  }
  if (needsVersion && want.version) lines = convertLines(lines, want.version);
  if (want.flavour && want.flavour !== 'vlist') lines = groupFlavourLines(lines, want.flavour);
  const text = writeLines(lines);
  return text === stored ? same : { text, contentType: VCARD_CONTENT_TYPE, unchanged: false };
}
