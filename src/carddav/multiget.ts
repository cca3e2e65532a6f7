// RFC 6352 §8.7 CARDDAV:addressbook-multiget: the listed address objects with the requested
// properties, in request order; an href that names nothing in the address book gets its own
// 404 response (RFC 4918 §9.1 style). The Depth header is ignored (§8.7).
import type { DavContext } from '../dav/context.ts';
import { DavError } from '../dav/dav-error.ts';
import { statusResponse } from '../dav/multistatus.ts';
import { streamMultistatus } from '../dav/multistatus-stream.ts';
import { type PropRequest, RENDER_BATCH, renderOne } from '../dav/props/render.ts';
import { parseMultigetHrefs } from '../dav/reports/multiget-hrefs.ts';
import type { ReportHandler } from '../dav/reports/registry.ts';
import { objectResource, type Resource } from '../dav/resource.ts';
import { carddav, dav } from '../dav/xml/names.ts';
import type { XmlElement } from '../dav/xml/tree.ts';
import { memberNamer } from './member-href.ts';
import { reportPropRequest } from './report-props.ts';
import { isAddressbook, isAddressObject } from './resource-kind.ts';

export interface MultigetQuery {
  props: PropRequest;
  /** Hrefs as sent, duplicates removed, order kept. */
  hrefs: string[];
}

/** The address book a CardDAV report on `target` works in (the collection itself, or an object's collection). */
export function addressbookOf(target: Resource) {
  if (target.type === 'collection') return { info: target.info, backend: target.backend };
  if (target.type === 'object') return { info: target.collection, backend: target.backend };
  throw new DavError(403, dav('supported-report'), 'CardDAV reports apply to address books and address objects');
}

export const addressbookMultiget: ReportHandler<MultigetQuery> = {
  name: carddav('addressbook-multiget'),
  appliesTo: (r) => isAddressbook(r) || isAddressObject(r),
  parse(ctx: DavContext, body: XmlElement): MultigetQuery {
    const hrefs = parseMultigetHrefs(ctx, body, 'addressbook-multiget');
    return { props: reportPropRequest(body), hrefs };
  },
  async run(ctx: DavContext, target: Resource, q: MultigetQuery) {
    const { info, backend } = addressbookOf(target);
    const names = q.hrefs.map(memberNamer(ctx.hrefs, info.ref));
    // Objects are read a batch of hrefs at a time, rendered and released (streamed multistatus).
    async function* responses(): AsyncGenerator<XmlElement> {
      for (let i = 0; i < q.hrefs.length; i += RENDER_BATCH) {
        const batch = names.slice(i, i + RENDER_BATCH);
        const wanted = [...new Set(batch.filter((n): n is string => n !== undefined))];
        const objects = wanted.length ? await backend.getObjects(info.ref, wanted) : [];
        const byName = new Map(objects.map((o) => [o.name, o]));
        for (let j = 0; j < batch.length; j++) {
          const name = batch[j];
          const o = name === undefined ? undefined : byName.get(name);
          if (!o) yield statusResponse(q.hrefs[i + j], 404);
          else {
            yield await renderOne(ctx, objectResource(info, backend, o, o), q.props);
          }
        }
      }
    }
    return streamMultistatus(responses());
  },
};
