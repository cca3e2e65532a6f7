// vCard 3.0 (RFC 2426) or 4.0 (RFC 6350) → the rows of a column-mapped contact: the contact's columns, its
// e-mail and phone rows, and the extras (a 4.0 vCard fragment) holding what no column holds: unmapped
// properties (PHOTO, X-…, further addresses) and mapped properties whose parameters or parts the columns
// cannot hold (kept whole, served while the columns still hold their values). Stored normalised as 4.0.
import ICAL from 'ical.js';
import type { WritePlan } from './from-ical.ts';
import type { ColumnsMapping } from './mapping.ts';
import { Refusal } from './refusal.ts';
import { cardSlots, childSlot, type Jprop, lineOf, paramList, type Slot, slotColumns, to4 } from './vcard-slots.ts';

type Row = Record<string, unknown>;

/** Regenerated on every rendering (REV from the modified column, PRODID, VERSION), never stored. */
const DROPPED = new Set(['version', 'prodid', 'rev', 'uid']);

/** The vCard 4 fragment the extras hold, or null for none. */
export const extrasText = (lines: string[]): string | null =>
  lines.length ? ['BEGIN:VCARD', 'VERSION:4.0', ...lines, 'END:VCARD'].join('\r\n') : null;

export function planCard(m: ColumnsMapping, text: string): WritePlan {
  const card = m.card;
  if (!card) throw new Error('not a contacts mapping');
  let comp: ICAL.Component;
  try {
    comp = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    throw new Refusal(`not a valid vCard: ${(e as Error).message}`, 'address');
  }
  if (comp.name !== 'vcard') throw new Refusal('this address book stores vCards only', 'address');
  const v3 = String(comp.getFirstPropertyValue('version') ?? '').trim() === '3.0';
  const props = comp.getAllProperties().map((p) => {
    const j = p.toJSON() as Jprop;
    return v3 ? to4(j) : j;
  });
  const uid = String(comp.getFirstPropertyValue('uid') ?? '').trim();
  if (!uid) throw new Refusal('a vCard without UID cannot be stored (RFC 6352 §5.1)', 'address');

  const values: Row = { [m.uid.column]: uid };
  for (const c of slotColumns(card)) values[c] = null;
  const slots = cardSlots(card);
  const children: Record<string, { slot: Slot; rows: Row[] }> = {};
  if (card.emails) children.email = { slot: childSlot('email', card.emails), rows: [] };
  if (card.phones) children.tel = { slot: childSlot('tel', card.phones), rows: [] };
  // The address the columns hold: the preferred one, else the first (RFC 6350 §5.3 PREF).
  const adrs = props.filter((p) => p[0] === 'adr');
  const mainAdr = adrs.find((p) => p[1].pref !== undefined || paramList(p, 'type').includes('pref')) ?? adrs[0];

  const used = new Set<string>();
  const extras: string[] = [];
  for (const p of props) {
    const name = p[0];
    if (DROPPED.has(name)) continue;
    const child = children[name];
    const slot = child?.slot ?? (used.has(name) || (name === 'adr' && p !== mainAdr) ? undefined : slots.get(name));
    const row = slot?.decode(p);
    const plain = slot && row && slot.encode(row);
    if (!slot || !row || !plain) {
      extras.push(lineOf(p));
      continue;
    }
    if (child) child.rows.push(row);
    else {
      Object.assign(values, row);
      used.add(name);
    }
    // Parameters, a group or parts the columns cannot hold: the property is kept whole as an overlay.
    if (lineOf(plain) !== lineOf(p)) extras.push(lineOf(p));
  }
  return {
    uid,
    values,
    attendees: [],
    exdates: [],
    emails: children.email?.rows ?? [],
    phones: children.tel?.rows ?? [],
    extras: extrasText(extras),
  };
}
