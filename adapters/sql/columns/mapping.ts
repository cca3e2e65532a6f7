// The declarative mapping of the `columns` profile (issue 5): which table and columns of a legacy
// table-per-entity schema hold which iCalendar (RFC 5545) event properties. Validated with zod at
// start-up; every error names the offending key (e.g. `recurrence.types.weekly: Required`).
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { cardSchema } from './mapping-card.ts';

const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain SQL identifier');

/** A scalar stored in a column, as the legacy schema writes it (enum maps may use numbers or strings). */
const scalar = z.union([z.string(), z.number()]);

/** Stored when the property is absent (for NOT NULL columns); NULL otherwise. */
const absent = scalar.optional();

const codec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), column: ident, absent }).strict(),
  z.object({ type: z.literal('integer'), column: ident, absent }).strict(),
  z.object({ type: z.literal('boolean'), column: ident, absent }).strict(),
  /** A naive datetime in the schema's zone, served as UTC (RFC 5545 §3.8.2.1 COMPLETED must be UTC). */
  z.object({ type: z.literal('datetime'), column: ident }).strict(),
  z
    .object({
      type: z.literal('enum'),
      column: ident,
      /** iCalendar value → stored value; a value outside the map is refused, never guessed. */
      map: z.record(z.string(), scalar),
      absent,
    })
    .strict(),
]);

const PROPERTY_FIELDS = [
  'SUMMARY',
  'DESCRIPTION',
  'LOCATION',
  'CLASS',
  'STATUS',
  'PRIORITY',
  'TRANSP',
  'URL',
  'PERCENT-COMPLETE',
  'COMPLETED',
] as const;

const decomposed = z
  .object({
    kind: z.literal('decomposed'),
    type: ident,
    interval: ident,
    /** Weekday bitmask column (weekly rules only). */
    weekdays: ident.optional(),
    until: ident.optional(),
    count: ident.optional(),
    /** Stored value of each frequency the schema knows; `none` is the value of a non-recurring row. */
    types: z
      .object({
        none: scalar,
        daily: scalar.optional(),
        weekly: scalar.optional(),
        monthly: scalar.optional(),
        yearly: scalar.optional(),
      })
      .strict(),
    /** Bit value per weekday; default SU=1, MO=2, TU=4, WE=8, TH=16, FR=32, SA=64. */
    weekdayBits: z
      .partialRecord(z.enum(['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA']), z.number().int().positive())
      .optional(),
  })
  .strict();

const rruleText = z.object({ kind: z.literal('rrule'), column: ident }).strict();

const scope = z
  .object({
    /** Column holding the owner (principal name) of the row. */
    owner: ident,
    /** One calendar per owner with this id (the schema has no calendar column). */
    calendar: z
      .object({ id: z.string().regex(/^[A-Za-z0-9._-]+$/), displayName: z.string().optional() })
      .strict()
      .optional(),
    /** Or: a calendar column on the entity, with the calendars table it references. */
    calendarColumn: ident.optional(),
    calendarsTable: z
      .object({ table: ident, key: ident, owner: ident, displayName: ident.optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => (s.calendar ? !s.calendarColumn : !!s.calendarColumn && !!s.calendarsTable), {
    message: 'declare either `calendar` (one per owner) or `calendarColumn` with `calendarsTable`',
  });

export const columnsMappingSchema = z
  .object({
    /**
     * The component each row is: events (DTSTART, DTEND), tasks (optional DTSTART, DUE; RFC 5545 §3.6.2), or
     * contacts (VCARD, RFC 6350: served as an address book; see `card`).
     */
    component: z.enum(['VEVENT', 'VTODO', 'VCARD']).default('VEVENT'),
    table: ident,
    key: z.object({ column: ident, generated: z.boolean().default(true) }).strict(),
    scope,
    href: z.discriminatedUnion('strategy', [
      z.object({ strategy: z.literal('key') }).strict(),
      z.object({ strategy: z.literal('column'), column: ident }).strict(),
    ]),
    uid: z.object({ column: ident }).strict(),
    /** Counter incremented on every write (optimistic locking: UPDATE … WHERE version = ?). */
    version: z.object({ column: ident }).strict().optional(),
    /** Last-modified time, in the schema's time representation (naive local datetime). */
    modified: z.object({ column: ident }).strict().optional(),
    softDelete: z
      .object({ column: ident, deleted: scalar.default(1), live: scalar.default(0) })
      .strict()
      .optional(),
    /** How datetimes are stored: naive wall-clock time in `zone` (or in a per-row zone column), or UTC. */
    time: z
      .object({
        zone: z.string().refine(validZone, 'not an IANA time zone'),
        zoneColumn: ident.optional(),
      })
      .strict(),
    /** DTSTART (required for VEVENT; optional for VTODO, whose column may then hold NULL). */
    start: z.object({ column: ident }).strict().optional(),
    /** DTEND (VEVENT only). */
    end: z.object({ column: ident }).strict().optional(),
    /** DUE (VTODO only). */
    due: z.object({ column: ident }).strict().optional(),
    allDay: z.object({ column: ident }).strict().optional(),
    fields: z.partialRecord(z.enum(PROPERTY_FIELDS), codec).default({}).describe('iCalendar property → column codec'),
    recurrence: z.discriminatedUnion('kind', [decomposed, rruleText]).optional(),
    attendees: z
      .object({
        table: ident,
        parent: ident,
        email: ident,
        name: ident.optional(),
        partstat: z
          .object({ column: ident, map: z.record(z.string(), scalar) })
          .strict()
          .optional(),
        role: z
          .object({ column: ident, map: z.record(z.string(), scalar) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    exdates: z.object({ table: ident, parent: ident, column: ident }).strict().optional(),
    /** Contacts (`component: VCARD`): the columns and child tables of the vCard properties. */
    card: cardSchema.optional(),
    /**
     * Where unmapped properties and components (X-props, VALARM) live: `column`, a column of the table; else
     * `store`: `side-table` (the default, davgate_columns_extra in the same database, written in the row's
     * transaction) or `state` (davgate's state store, for databases where davgate may not create a table;
     * then client-chosen names and the client's last bytes go there too, and losing the store loses them).
     */
    extras: z
      .object({ column: ident.optional(), store: z.enum(['side-table', 'state']).optional() })
      .strict()
      .optional(),
    /**
     * Change feed: `triggers` reads davgate_changes (see `davgate sql install-triggers`); `modified` reads the
     * modified column and soft-delete flag (needs both and a generated key); `snapshot` diffs listings;
     * `auto` takes the first of these the database and mapping allow.
     */
    changes: z.enum(['auto', 'triggers', 'modified', 'snapshot']).default('auto'),
    /**
     * `modified` feed: rows modified this many seconds before the high-water mark are re-examined on every
     * sync, so writes committed late (or with a clock this far behind) are still seen.
     */
    changeWindowSeconds: z.number().int().positive().max(86_400).default(120),
  })
  .strict()
  .superRefine((m, ctx) => {
    const need = (ok: unknown, path: string, message: string) =>
      ok || ctx.addIssue({ code: 'custom', path: [path], message });
    if (m.component === 'VCARD') {
      need(m.card, 'card', 'a contacts (VCARD) mapping needs a `card` section');
      for (const k of ['start', 'end', 'due', 'allDay', 'recurrence', 'attendees', 'exdates'] as const)
        need(!m[k], k, 'contacts (VCARD) have no such column; map vCard properties under `card`');
      need(Object.keys(m.fields).length === 0, 'fields', 'contacts (VCARD) map their properties under `card.fields`');
    } else need(!m.card, 'card', '`card` belongs to contacts: set `component: VCARD`');
    if (m.component === 'VEVENT') {
      need(m.start, 'start', 'an event (VEVENT) mapping needs a start column');
      need(m.end, 'end', 'an event (VEVENT) mapping needs an end column');
      need(!m.due, 'due', 'DUE belongs to tasks: set `component: VTODO`');
    } else if (m.component === 'VTODO') need(!m.end, 'end', 'a task (VTODO) has DUE, not DTEND: use `due`');
    for (const [name, c] of Object.entries(m.fields))
      need((c.type === 'datetime') === (name === 'COMPLETED'), `fields.${name}`, 'only COMPLETED is a datetime field');
    need(!m.recurrence || m.start, 'recurrence', 'a recurrence needs a start column (RRULE is anchored on DTSTART)');
    if (m.extras?.column && m.extras.store)
      ctx.addIssue({
        code: 'custom',
        path: ['extras', 'store'],
        message:
          'give either `extras.column` (a column of the table) or `extras.store` (side-table or state), not both',
      });
    else need(!m.extras || m.extras.column || m.extras.store, 'extras', 'give `column` or `store`');
    if (m.changes !== 'modified') return;
    const missing = [!m.modified && 'modified', !m.softDelete && 'softDelete', !m.key.generated && 'a generated key'];
    for (const what of missing.filter(Boolean))
      ctx.addIssue({ code: 'custom', path: ['changes'], message: `the modified feed needs ${what}` });
  });

export type ColumnsMapping = z.output<typeof columnsMappingSchema>;

/** Where a mapping keeps what its columns cannot hold (names, extras, the client's bytes). */
export const sideKind = (m: ColumnsMapping): 'side-table' | 'state' =>
  m.extras?.store === 'state' ? 'state' : 'side-table';
export type FieldCodec = z.output<typeof codec>;
export type DecomposedRecurrence = z.output<typeof decomposed>;

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Thrown for an invalid mapping; the message lists each problem as `key.path: reason`. */
export class MappingError extends Error {}

/** A mapping file: one entity, or `entities:` listing several (e.g. appointments and tasks). */
const mappingFileSchema = z
  .object({ entities: z.array(columnsMappingSchema).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.entities.forEach((e, i) => {
      const id = e.scope.calendar?.id ?? `table:${e.table}`;
      if (seen.has(id))
        ctx.addIssue({
          code: 'custom',
          path: ['entities', i, 'scope'],
          message: `collection ${id} is served by an earlier entity; each entity needs its own calendar id`,
        });
      seen.add(id);
    });
  })
  .transform((f) => f.entities);

/** Parses and validates a mapping given as YAML text or as an already-parsed object (one entity). */
export function parseColumnsMapping(input: string | unknown): ColumnsMapping {
  return check(columnsMappingSchema, readRaw(input));
}

/** Parses a mapping file: a single entity or `entities: [...]`; returns every entity. */
export function parseColumnsMappingFile(input: string | unknown): ColumnsMapping[] {
  const raw = readRaw(input);
  if (raw && typeof raw === 'object' && 'entities' in raw) return check(mappingFileSchema, raw);
  return [check(columnsMappingSchema, raw)];
}

function readRaw(input: string | unknown): unknown {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = parseYaml(input);
    } catch (e) {
      throw new MappingError(`mapping: not valid YAML: ${(e as Error).message}`);
    }
  }
  return raw;
}

function check<T>(schema: z.ZodType<T>, raw: unknown): T {
  const res = schema.safeParse(raw);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new MappingError(`invalid columns mapping:\n  ${lines.join('\n  ')}`);
  }
  return res.data;
}
