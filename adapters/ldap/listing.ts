// What a listing of the directory view is: resource name + etag per entry and the DN → id map that
// members and managers resolve against. Resource names are `<entryUUID|objectGUID>.vcf`.
import type { ObjectRef } from '../../src/backend/types.ts';
import { ID_PATTERN } from './entry-vcard.ts';

export type Kind = 'person' | 'group';

export interface Listed {
  dn: string;
  kind: Kind;
  etag: string;
}

export interface Listing {
  /** When the listing was read or last confirmed unchanged (ms). */
  validatedAt: number;
  /** When it was read from the server. */
  readAt: number;
  probe: string | undefined;
  objects: ObjectRef[];
  byName: Map<string, Listed>;
  byDn: Map<string, string>;
}

export const nameOf = (id: string) => `${id}.vcf`;

export function idOfName(name: string): string | undefined {
  const m = /^(.+)\.vcf$/i.exec(name);
  const id = m?.[1].toLowerCase();
  return id && ID_PATTERN.test(id) ? id : undefined;
}
