// Contact-group flavours in vCard (quirks Q23, Q24): vCard 4 KIND:group + MEMBER (RFC 6350 §6.1.4,
// §6.6.5) and Apple's X-ADDRESSBOOKSERVER-KIND + X-ADDRESSBOOKSERVER-MEMBER; rewriting a group card from
// one to the other. SOGo's VLIST lists, the third flavour, are in vlist.ts.
import { type CardLine, change, components } from './card-lines.ts';

export type GroupFlavour = 'vcard4' | 'apple' | 'vlist';

export function isGroupCard(lines: CardLine[]): boolean {
  return lines.some(
    (l) => (l.name === 'KIND' || l.name === 'X-ADDRESSBOOKSERVER-KIND') && l.value.trim().toLowerCase() === 'group',
  );
}

/** Rewrites a group card into the vCard 4 or Apple encoding (other cards unchanged). */
export function groupFlavourLines(lines: CardLine[], flavour: 'vcard4' | 'apple'): CardLine[] {
  if (!isGroupCard(lines)) return lines;
  const fn = lines.find((l) => l.name === 'FN')?.value ?? '';
  const out: CardLine[] = [];
  for (const l of lines) {
    if (flavour === 'vcard4') {
      if (l.name === 'X-ADDRESSBOOKSERVER-KIND') change(l, { name: 'KIND', value: 'group' });
      else if (l.name === 'X-ADDRESSBOOKSERVER-MEMBER') change(l, { name: 'MEMBER' });
    } else {
      if (l.name === 'KIND') change(l, { name: 'X-ADDRESSBOOKSERVER-KIND', value: 'group' });
      else if (l.name === 'MEMBER') change(l, { name: 'X-ADDRESSBOOKSERVER-MEMBER' });
      else if (l.name === 'N') {
        // Apple shows a group by N, whose family name must equal FN (quirks Q23).
        if (components(l.value)[0] !== fn) change(l, { value: `${fn};;;;` });
      }
    }
    out.push(l);
  }
  if (flavour === 'apple' && !out.some((l) => l.name === 'N')) {
    out.splice(
      out.findIndex((l) => l.name === 'END'),
      0,
      { name: 'N', params: [], value: `${fn};;;;` },
    );
  }
  return out;
}
