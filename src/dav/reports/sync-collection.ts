// RFC 6578 §3 sync-collection: members changed since a token (404 responses for removed ones),
// `limit` truncation with 507 on the request-URI and a continuation token (§3.6).
import type { DavContext } from '../context.ts';
import { DavError } from '../dav-error.ts';
import { hrefOf, statusResponse } from '../multistatus.ts';
import { streamMultistatus } from '../multistatus-stream.ts';
import { type PropRequest, renderEach } from '../props/render.ts';
import type { ObjectResource, Resource } from '../resource.ts';
import { changesFor } from '../sync/changes.ts';
import { clientCursor } from '../sync/client-cursor.ts';
import { homeChanges } from '../sync/home-sync.ts';
import { decodeToken } from '../sync/token.ts';
import { dav } from '../xml/names.ts';
import { child, el, elements, textOf, type XmlElement } from '../xml/tree.ts';
import type { ReportHandler } from './registry.ts';

interface SyncQuery {
  token: string;
  limit?: number;
  props: PropRequest;
}

export const syncCollectionReport: ReportHandler<SyncQuery> = {
  name: dav('sync-collection'),
  appliesTo: (r) => r.type === 'collection' || r.type === 'home',
  parse(_ctx, body) {
    const token = textOf(child(body, dav('sync-token')) ?? el(dav('sync-token'))).trim();
    const level = child(body, dav('sync-level'));
    // Apple omits sync-level (quirks.md); treat absence as 1. Infinite is not offered (§3.3).
    if (level && textOf(level).trim() !== '1')
      throw new DavError(403, dav('sync-traversal-supported'), 'only sync-level 1');
    let limit: number | undefined;
    const lim = child(body, dav('limit'));
    if (lim) {
      const n = Number.parseInt(textOf(child(lim, dav('nresults')) ?? lim).trim(), 10);
      if (!Number.isFinite(n) || n < 1) throw new DavError(400, dav('limit'), 'bad limit');
      limit = n;
    }
    const prop = child(body, dav('prop'));
    return { token, limit, props: { kind: 'prop', props: prop ? elements(prop) : [] } };
  },
  async run(ctx: DavContext, target: Resource, q) {
    try {
      return await (target.type === 'home' ? syncHome(ctx, target, q) : syncCollection(ctx, target, q));
    } catch (e) {
      // quirks Q21: a profile may need another status (Thunderbird's CardDAV accepts only 400).
      const status = ctx.quirkOptions.invalidSyncTokenStatus;
      if (status && e instanceof DavError && e.condition === dav('valid-sync-token'))
        throw new DavError(status, e.condition, e.message);
      throw e;
    }
  },
};

/** The home's collections changed since the token (home-sync.ts), rendered with the asked properties. */
async function syncHome(ctx: DavContext, target: Resource & { type: 'home' }, q: SyncQuery) {
  const cursor = q.token === '' ? undefined : decodeToken(q.token);
  const delta = await homeChanges(ctx, target.user, target.home, cursor);
  const changed: Resource[] = delta.changed.map(({ info, backend }) => ({ type: 'collection', info, backend }));
  async function* responses(): AsyncGenerator<XmlElement> {
    yield* renderEach(ctx, changed, q.props);
    for (const id of delta.deleted)
      yield statusResponse(ctx.hrefs.collection({ owner: target.user, home: target.home, id }), 404);
  }
  return streamMultistatus(responses(), [el(dav('sync-token'), [delta.token])]);
}

async function syncCollection(ctx: DavContext, target: Resource, q: SyncQuery) {
  if (target.type !== 'collection') throw new DavError(403, dav('supported-report'));
  const cursor = q.token === '' ? undefined : await clientCursor(target.backend, target.info.ref, q.token);
  const delta = await changesFor(ctx, target.backend, target.info, cursor, q.limit);
  const changed: ObjectResource[] = delta.changed.map((ref) => ({
    type: 'object',
    collection: target.info,
    backend: target.backend,
    ref,
  }));
  const ref = target.info.ref;
  // Members whose body a property needs but which were deleted since the change feed was read.
  const vanished: string[] = [];
  async function* responses(): AsyncGenerator<XmlElement> {
    yield* renderEach(ctx, changed, q.props, { onVanished: (r) => vanished.push(r.ref.name) });
    for (const name of delta.deleted) yield statusResponse(ctx.hrefs.object(ref, name), 404);
    for (const name of vanished) yield statusResponse(ctx.hrefs.object(ref, name), 404);
    if (delta.truncated)
      yield statusResponse(hrefOf(ctx.hrefs, target), 507, [
        el(dav('error'), [el(dav('number-of-matches-within-limits'))]),
      ]);
  }
  return streamMultistatus(responses(), [el(dav('sync-token'), [delta.token])]);
}
