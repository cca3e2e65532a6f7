// The rows of a column-mapped contact → vCard 4.0 (RFC 6350): the contact's columns through their slots,
// its e-mail and phone rows (preferred first), REV from the modified column, then the kept extras. A kept
// property that overlays a mapped one (same plain form) is served in its place, so a client's parameters
// and groups survive; once the legacy UI changes the columns, the plain form is served. Deterministic: the
// same rows render the same bytes (the ETag is a hash of them). The core converts for 3.0 clients.
import ICAL from 'ical.js';
import { vcardText } from '../../../src/lib/vcard-write.ts';
import { icalUtc, naiveToUtc, parseStored } from './local-time.ts';
import type { ColumnsMapping } from './mapping.ts';
import { CARD_FIELDS } from './mapping-card.ts';
import { cardSlots, childSlot, type Jprop, lineOf, type Slot, truthy } from './vcard-slots.ts';

type Row = Record<string, unknown>;

export interface CardData {
  row: Row;
  emails: Row[];
  phones: Row[];
  extras: string | null;
}

const PRODID = '-//davgate//columns//EN';
const ORDER = ['fn', 'n', ...CARD_FIELDS.map((f) => f.toLowerCase()), 'adr'];

export function renderCard(m: ColumnsMapping, d: CardData): string {
  const card = m.card;
  if (!card) throw new Error('not a contacts mapping');
  const slots = cardSlots(card);
  const kept = d.extras
    ? (new ICAL.Component(ICAL.parse(d.extras)).getAllProperties().map((p) => p.toJSON()) as Jprop[])
    : [];
  const childSlots = new Map<string, Slot>();
  if (card.emails) childSlots.set('email', childSlot('email', card.emails));
  if (card.phones) childSlots.set('tel', childSlot('tel', card.phones));
  // Kept properties overlaying a mapped one, by the plain line they stand for; the rest are served as is.
  const overlays = new Map<string, string[]>();
  const plainExtras: string[] = [];
  for (const p of kept) {
    if (p[0] === 'version') continue;
    const slot = slots.get(p[0]) ?? childSlots.get(p[0]);
    const plain = slot?.encode(slot.decode(p));
    if (plain) overlays.set(lineOf(plain), [...(overlays.get(lineOf(plain)) ?? []), lineOf(p)]);
    else plainExtras.push(lineOf(p));
  }
  const rendered: Jprop[] = [];
  for (const name of ORDER) {
    const p = slots.get(name)?.encode(d.row);
    if (p) rendered.push(p);
  }
  if (!slots.get('fn')?.encode(d.row) && !plainExtras.some((l) => /^([^:;]*\.)?FN[:;]/i.test(l)))
    rendered.unshift(['fn', {}, 'text', derivedFn(rendered)]);
  for (const [name, rows, c] of [
    ['email', d.emails, card.emails],
    ['tel', d.phones, card.phones],
  ] as const) {
    const slot = childSlots.get(name);
    if (!slot || !c) continue;
    const sorted = [...rows].sort(
      (a, b) =>
        Number(c.pref ? truthy(b[c.pref]) : 0) - Number(c.pref ? truthy(a[c.pref]) : 0) ||
        String(a[c.value]).localeCompare(String(b[c.value])),
    );
    for (const r of sorted) {
      const p = slot.encode(r);
      if (p) rendered.push(p);
    }
  }
  const lines = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    `PRODID:${PRODID}`,
    lineOf(['uid', {}, 'text', String(d.row[m.uid.column])]),
  ];
  for (const p of rendered) {
    const plain = lineOf(p);
    lines.push(overlays.get(plain)?.shift() ?? plain);
  }
  const modified = m.modified ? parseStored(d.row[m.modified.column]) : undefined;
  if (modified) lines.push(`REV:${icalUtc(naiveToUtc(m.time.zone, modified).utcMs)}`);
  lines.push(...plainExtras, 'END:VCARD');
  return vcardText(lines);
}

/** FN from N (given additional family) when the FN column is empty: 4.0 requires FN (RFC 6350 §6.2.1). */
function derivedFn(rendered: Jprop[]): string {
  const n = rendered.find((p) => p[0] === 'n')?.[3];
  if (!Array.isArray(n)) return '';
  const part = (i: number) => (Array.isArray(n[i]) ? n[i].join(' ') : String(n[i] ?? ''));
  return [part(3), part(1), part(2), part(0), part(4)].filter(Boolean).join(' ');
}
