// Which form of an address object a request gets (quirks Q23/Q24): the vCard version and the group
// flavour. The request decides first — `address-data` content-type/version in a REPORT or PROPFIND,
// `Accept` on GET — then the client's quirk profile (QuirkOptions.vcardVersion / groupFlavour), and
// when neither says anything the client gets the stored form, exactly what was PUT.
import type { Backend } from '../backend/port.ts';
import type { CollectionRef, StoredObject } from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import type { ObjectResource } from '../dav/resource.ts';
import type { AddressDataRequest } from './address-data.ts';
import { type MemberCard, type MemberLookup, type Representation, represent, type VcardVersion } from './convert.ts';
import { parseVcard } from './vcard.ts';

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part, i) => {
      const [type, ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0)
          params[p.slice(0, eq).trim().toLowerCase()] = p
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, '');
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((r) => r.type !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
}

/** What an `Accept` header asks of an address object (RFC 9110 §12.5.1; RFC 6350 §10.1 version parameter). */
export function representationFromAccept(accept: string | null | undefined): Representation {
  if (!accept) return {};
  for (const r of parseAccept(accept)) {
    if (r.type === 'text/x-vlist') return { flavour: 'vlist' };
    if (r.type === 'text/vcard' || r.type === 'text/x-vcard' || r.type === 'text/directory') {
      const v = r.params.version;
      if (v === '3.0' || v === '4.0') return { version: v };
      if (r.type === 'text/x-vcard') return { version: '3.0' };
      return {};
    }
  }
  return {};
}

/** The representation for a REPORT/PROPFIND `address-data` element. */
export function representationFor(ctx: DavContext, req: AddressDataRequest | undefined): Representation {
  const opts = ctx.quirkOptions;
  if (req?.contentType === 'text/x-vlist') return { flavour: 'vlist' };
  const version = req?.versionGiven ? (req.version as VcardVersion) : opts.vcardVersion;
  return { ...(version ? { version } : {}), ...(opts.groupFlavour ? { flavour: opts.groupFlavour } : {}) };
}

/** The representation for a GET: Accept first, then the profile. */
export function representationForGet(ctx: DavContext): Representation {
  const fromAccept = representationFromAccept(ctx.requestHeaders.get('accept'));
  const opts = ctx.quirkOptions;
  const version = fromAccept.version ?? opts.vcardVersion;
  const flavour = fromAccept.flavour ?? opts.groupFlavour;
  return { ...(version ? { version } : {}), ...(flavour ? { flavour } : {}) };
}

function memberCard(o: StoredObject): MemberCard | undefined {
  try {
    const card = parseVcard(new TextDecoder().decode(o.body));
    if (!card.uid) return undefined;
    const fn = card.props.find((p) => p.name === 'FN')?.text;
    const email = card.props.find((p) => p.name === 'EMAIL')?.text;
    return { name: o.name, uid: card.uid, ...(fn ? { fn } : {}), ...(email ? { email } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Resolves group members among the other cards of the address book: by name `<uid>.vcf` first (how
 * most clients and the LDAP adapter name cards), then the backend's UID index when it has one.
 */
export function memberLookup(backend: Backend, ref: CollectionRef): MemberLookup {
  const byNames = async (names: string[]) => {
    const out = new Map<string, MemberCard>();
    if (names.length === 0) return out;
    for (const o of await backend.getObjects(ref, [...new Set(names)])) {
      const c = memberCard(o);
      if (c) out.set(o.name, c);
    }
    return out;
  };
  return {
    byName: byNames,
    async byUid(uids) {
      const out = new Map<string, MemberCard>();
      const guessed = await byNames(uids.map((u) => `${u}.vcf`));
      for (const c of guessed.values()) out.set(c.uid, c);
      const missing = uids.filter((u) => !out.has(u));
      if (missing.length && backend.findByUid) {
        const names: string[] = [];
        for (const u of missing) {
          const n = await backend.findByUid(ref, u);
          if (n) names.push(n);
        }
        for (const c of (await byNames(names)).values()) out.set(c.uid, c);
      }
      return out;
    },
  };
}

/** The object's text and media type as this request should get them. */
export async function representObject(
  res: ObjectResource,
  object: StoredObject,
  want: Representation,
): Promise<{ text: string; contentType: string; unchanged: boolean }> {
  const text = new TextDecoder('utf-8').decode(object.body);
  return represent(text, object.contentType, want, memberLookup(res.backend, res.collection.ref));
}
