// RFC 6352 §8.6 CARDDAV:addressbook-query: the address objects of an address book (or the one
// object addressed) that match the §10.5 filter, with the requested properties. §8.6.1: with
// `<C:limit><C:nresults>`, a truncated answer carries a 507 response for the Request-URI with
// DAV:number-of-matches-within-limits.
import type { Backend } from '../backend/port.ts';
import type { CollectionInfo, StoredObject } from '../backend/types.ts';
import type { DavContext } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import { hrefOf, statusResponse } from '../dav/multistatus.ts';
import { streamMultistatus } from '../dav/multistatus-stream.ts';
import { type PropRequest, renderOne } from '../dav/props/render.ts';
import type { ReportHandler } from '../dav/reports/registry.ts';
import { objectResource, type Resource } from '../dav/resource.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import { child, el, textOf, type XmlElement } from '../dav/xml/tree.ts';
import { isVlist, vlistAsCardText } from './convert.ts';
import { type AddressbookFilter, parseFilter } from './filter.ts';
import { matchesEverything, matchesFilter } from './filter-eval.ts';
import { addressbookOf } from './multiget.ts';
import { reportPropRequest } from './report-props.ts';
import { isAddressbook, isAddressObject } from './resource-kind.ts';
import { parseVcard, VcardParseError } from './vcard.ts';

export interface AddressbookQuery {
  props: PropRequest;
  filter: AddressbookFilter;
  /** Client limit (§8.6.1 nresults). */
  limit?: number;
}

/** Objects fetched per getObjects call when the backend has no `query`. */
const BATCH = 100;

function parseLimit(body: XmlElement): number | undefined {
  const limit = child(body, carddav('limit'));
  if (!limit) return undefined;
  const nresults = child(limit, carddav('nresults'));
  const n = nresults ? Number(textOf(nresults).trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < 1)
    throw new DavError(400, undefined, 'CARDDAV:limit needs a positive integer nresults');
  return n;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Candidate objects in name order (stable truncation), batch by batch. */
async function* candidates(
  target: Resource,
  info: CollectionInfo,
  backend: Backend,
  filter: AddressbookFilter,
): AsyncGenerator<StoredObject[]> {
  if (target.type === 'object') {
    // Depth 0 on an address object: the object alone.
    yield target.object ? [target.object] : await backend.getObjects(info.ref, [target.ref.name]);
    return;
  }
  // Depth 0 on the collection is answered like Depth 1 (quirks Q12: clients that send 0 mean the members).
  if (backend.query) {
    // The backend narrows with the filter (e.g. an LDAP search filter); its text matching may differ
    // from RFC 4790 collations in detail, so the exact filter is always applied afterwards.
    const r = await backend.query(info.ref, { kind: 'addressbook', addressFilter: filter });
    yield [...r.items].sort(byName);
    return;
  }
  const names: string[] = [];
  for await (const ref of backend.listObjects(info.ref)) names.push(ref.name);
  names.sort();
  for (let i = 0; i < names.length; i += BATCH) {
    yield (await backend.getObjects(info.ref, names.slice(i, i + BATCH))).sort(byName);
  }
}

function matches(ctx: DavContext, filter: AddressbookFilter, o: StoredObject): boolean {
  if (matchesEverything(filter)) return true;
  try {
    const text = new TextDecoder('utf-8').decode(o.body);
    // A stored SOGo list is matched as the group card it stands for (FN, NOTE, MEMBER).
    return matchesFilter(filter, parseVcard(isVlist(text) ? vlistAsCardText(text) : text));
  } catch (e) {
    if (!(e instanceof VcardParseError)) throw e;
    ctx.log.debug('addressbook-query skips an unparsable stored vCard', { name: o.name, error: e.message });
    return false;
  }
}

export const addressbookQuery: ReportHandler<AddressbookQuery> = {
  name: carddav('addressbook-query'),
  appliesTo: (r) => isAddressbook(r) || isAddressObject(r),
  parse(_ctx: DavContext, body: XmlElement): AddressbookQuery {
    return {
      props: reportPropRequest(body),
      filter: parseFilter(child(body, carddav('filter'))),
      limit: parseLimit(body),
    };
  },
  async run(ctx: DavContext, target: Resource, q: AddressbookQuery) {
    const { info, backend } = addressbookOf(target);
    // Each match is rendered as it is found (streamed multistatus); a batch's bodies go with it.
    async function* responses(): AsyncGenerator<XmlElement> {
      let count = 0;
      for await (const batch of candidates(target, info, backend, q.filter)) {
        for (const o of batch) {
          if (!matches(ctx, q.filter, o)) continue;
          if (q.limit !== undefined && count >= q.limit) {
            yield statusResponse(hrefOf(ctx.hrefs, target), 507, [
              el(dav('error'), [el(dav('number-of-matches-within-limits'))]),
              el(dav('responsedescription'), [`Only ${q.limit} matching address objects were returned`]),
            ]);
            return;
          }
          count++;
          yield await renderOne(ctx, objectResource(info, backend, o, o), q.props);
        }
      }
    }
    return streamMultistatus(responses());
  },
};
