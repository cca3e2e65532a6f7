// The contacts part of a column mapping (`component: VCARD`): which columns of a legacy contacts table
// and its e-mail and phone tables hold which vCard (RFC 6350) properties. Everything else a client sends
// (PHOTO, X-properties, extra parameters) is kept in the mapping's extras (see from-vcard.ts).
import { z } from 'zod';

const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain SQL identifier');
const scalar = z.union([z.string(), z.number()]);

/** Text properties held whole in one column; BDAY in a DATE column (a full date, RFC 6350 §6.2.5). */
export const CARD_FIELDS = ['ORG', 'TITLE', 'ROLE', 'NOTE', 'NICKNAME', 'URL', 'BDAY'] as const;
export type CardField = (typeof CARD_FIELDS)[number];

/** A typed child table (e-mails, phones): one row per property, with its TYPE and PREF. */
const childTable = z
  .object({
    table: ident,
    parent: ident,
    value: ident,
    /** vCard TYPE value (lower case, e.g. work, home, cell) → stored value; the first TYPE in the map is stored. */
    type: z
      .object({ column: ident, map: z.record(z.string(), scalar) })
      .strict()
      .optional(),
    /** Preferred flag (1/0): set from PREF (4.0) or TYPE=pref (3.0). */
    pref: ident.optional(),
  })
  .strict();

export const cardSchema = z
  .object({
    /** FN (RFC 6350 §6.2.1); served from N when the column is empty. */
    fn: ident.optional(),
    /** N (§6.2.2) components, each in its own column; list items are joined with ','. */
    n: z
      .object({
        family: ident.optional(),
        given: ident.optional(),
        additional: ident.optional(),
        prefix: ident.optional(),
        suffix: ident.optional(),
      })
      .strict()
      .optional(),
    /** ORG holds the organisation name (first component); units are kept with the property in the extras. */
    fields: z.partialRecord(z.enum(CARD_FIELDS), ident).default({}),
    /** One ADR (§6.3.1) from columns: the preferred (else first) address; further ones go to the extras. */
    adr: z
      .object({
        pobox: ident.optional(),
        extended: ident.optional(),
        street: ident.optional(),
        locality: ident.optional(),
        region: ident.optional(),
        postcode: ident.optional(),
        country: ident.optional(),
        /** TYPE served with the address (e.g. home); the columns hold no type. */
        type: z.string().optional(),
      })
      .strict()
      .optional(),
    emails: childTable.optional(),
    phones: childTable.optional(),
  })
  .strict();

export type CardMapping = z.output<typeof cardSchema>;
export type ChildTable = z.output<typeof childTable>;
