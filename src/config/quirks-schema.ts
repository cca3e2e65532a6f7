// The `quirks` section (docs/quirks.md, docs/configuration.md): operators extend or override the
// client profiles without code changes — extra User-Agent patterns per profile, option overrides,
// profiles switched off, options for any agent matching a pattern, a profile forced for a path, and
// the aggregated address book macOS Contacts gets.
import { z } from 'zod';
import { PROFILE_IDS } from '../quirks/registry.ts';

/** A JavaScript regular expression source (no slashes, no flags), matched against the User-Agent. */
const pattern = z
  .string()
  .min(1)
  .refine(
    (s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a valid regular expression' },
  );

const profileId = z.enum(PROFILE_IDS as [string, ...string[]]);

/** QuirkOptions (src/quirks/profile.ts) as configuration. */
export const quirkOptionsSchema = z.strictObject({
  vcardVersion: z.enum(['3.0', '4.0']).optional(),
  groupFlavour: z.enum(['vcard4', 'apple', 'vlist']).optional(),
  aggregatedAddressBook: z.boolean().optional(),
  calendarQueryDepth0AsDepth1: z.boolean().optional(),
  invalidSyncTokenStatus: z.union([z.literal(400), z.literal(403)]).optional(),
  adoptExistingUidOnCreate: z.boolean().optional(),
});

export const quirksSchema = z.strictObject({
  /** false: no client profile is ever applied (every client gets the standard behaviour). */
  enabled: z.boolean().default(true),
  /** Per built-in profile: extra User-Agent patterns (tried before every built-in one) or a replaced pattern, option overrides, or off. */
  profiles: z
    .array(
      z.strictObject({
        id: profileId,
        match: z.array(pattern).default([]),
        /** false: the built-in pattern no longer applies, only `match` (overrides the matcher). */
        builtInMatch: z.boolean().default(true),
        options: quirkOptionsSchema.default({}),
        enabled: z.boolean().default(true),
      }),
    )
    .default([]),
  /** Agents whose User-Agent matches get these options, whatever profile matched (applied after it). */
  rules: z.array(z.strictObject({ userAgent: pattern, options: quirkOptionsSchema })).default([]),
  /** Requests whose path starts with `pathPrefix` get `profile`, whatever their User-Agent. */
  forcePaths: z.array(z.strictObject({ pathPrefix: z.string().startsWith('/'), profile: profileId })).default([]),
  /** The one address book shown to clients with the aggregatedAddressBook option (macOS Contacts). */
  aggregatedAddressBook: z
    .strictObject({
      /** Collection id of the virtual book (hides a real book of that id from those clients). */
      id: z
        .string()
        .regex(/^[A-Za-z0-9._~-]+$/, 'expected a path segment of letters, digits and ._~-')
        .default('all-contacts'),
      displayName: z.string().min(1).default('All Contacts'),
      /** `writable`: the user's own books; `all`: read-only ones (the LDAP directory) too. */
      sources: z.enum(['writable', 'all']).default('writable'),
      /** Book that receives new cards; the first writable book when it does not exist. */
      defaultBook: z.string().min(1).default('contacts'),
    })
    .prefault({}),
});

export type QuirksConfig = z.output<typeof quirksSchema>;
