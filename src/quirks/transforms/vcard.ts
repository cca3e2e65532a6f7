// vCard payload transforms profiles share (quirks Q24). Each returns its input unchanged when nothing
// applies. Version and group-flavour conversion is the CardDAV module's job (QuirkOptions).
import { editLines, propName, splitLine, unfold } from '../content-lines.ts';

export const isVcardText = (body: string): boolean => /^\uFEFF?\s*BEGIN:VCARD/i.test(body);

const URN = 'urn:uuid:';

/** `abc` → `urn:uuid:abc`, `urn:uuid:urn:uuid:abc` → `urn:uuid:abc`; other URIs stay. */
function memberUri(value: string): string {
  let v = value.trim();
  while (v.toLowerCase().startsWith(URN + URN)) v = v.slice(URN.length);
  if (v.toLowerCase().startsWith(URN)) return URN + v.slice(URN.length);
  return /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : URN + v;
}

/**
 * Group members as `urn:uuid:<UID>` URIs (RFC 6350 §6.6.5): DAVx5 prefixes member UIDs, other
 * writers use bare UIDs or double the prefix; one canonical form keeps memberships comparable.
 */
export function normaliseMemberUris(text: string): string {
  if (!isVcardText(text)) return text;
  return editLines(text, (lines) =>
    lines.map((l) => {
      const n = propName(l);
      if (n !== 'MEMBER' && n !== 'X-ADDRESSBOOKSERVER-MEMBER') return l;
      const { name, params, value } = splitLine(l);
      return `${name}${params}:${memberUri(value)}`;
    }),
  );
}

function uidOf(text: string): string | undefined {
  const line = unfold(text).find((l) => propName(l) === 'UID');
  return line === undefined ? undefined : splitLine(line).value.trim();
}

/**
 * quirks Q24: eM Client adds `urn:uuid:` to a UID and DAVx5 strips it. A replacement whose UID
 * differs from the stored one only by that prefix keeps the stored UID, so the object keeps its identity.
 */
export function keepUidAcrossUrnPrefix(text: string, existing: string | undefined): string {
  if (!existing) return text;
  const old = uidOf(existing);
  const now = uidOf(text);
  if (old === undefined || now === undefined || old === now) return text;
  const bare = (u: string) => (u.toLowerCase().startsWith(URN) ? u.slice(URN.length) : u);
  if (bare(old) !== bare(now)) return text;
  return editLines(text, (lines) => lines.map((l) => (propName(l) === 'UID' ? `${splitLine(l).name}:${old}` : l)));
}
