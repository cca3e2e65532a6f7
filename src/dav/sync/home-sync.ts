// RFC 6578 sync-collection, getctag and sync-token on a calendar or address-book home (quirks Q10:
// Apple syncs the home and "assumes that sync support is enabled only if we say we support it on the
// calendar-home"). The home's members are its top-level collections; a collection counts as changed
// when its own sync token or its properties change. The snapshot feed over the state store does the
// bookkeeping, with one entry per collection id whose "etag" is a digest of that state.
import { createHash } from 'node:crypto';
import { type Backend, BackendError } from '../../backend/port.ts';
import { snapshotChangesSince, snapshotCurrentToken } from '../../backend/snapshot-sync.ts';
import type { CollectionInfo, CollectionRef, HomeKind, ObjectRef } from '../../backend/types.ts';
import { StateUnavailableError } from '../../state/store.ts';
import type { DavContext } from '../context.ts';
import { directChildren } from '../resolve.ts';
import { writeXml } from '../xml/write.ts';
import { currentSyncToken, epochMoved } from './changes.ts';
import { encodeToken, invalidSyncToken, type SyncCursor } from './token.ts';

export interface HomeMember {
  info: CollectionInfo;
  backend: Backend;
}

const refused = (): never => {
  throw new BackendError('forbidden', 'a home listing is read-only');
};

/** The home as the snapshot feed sees it: a "collection" whose objects are its collections. */
class HomeListing implements Backend {
  readonly id: string;
  readonly readonly = true;
  readonly #members: () => Promise<{ member: HomeMember; digest: string }[]>;
  constructor(id: string, members: () => Promise<{ member: HomeMember; digest: string }[]>) {
    this.id = id;
    this.#members = members;
  }
  async *listObjects(): AsyncIterable<ObjectRef> {
    for (const m of await this.#members()) yield { name: m.member.info.ref.id, etag: m.digest };
  }
  listCollections = async (): Promise<CollectionInfo[]> => [];
  getCollection = async (): Promise<CollectionInfo | undefined> => undefined;
  getObjects = async () => [];
  putObject = refused;
  deleteObject = refused;
}

async function digest(ctx: DavContext, m: HomeMember): Promise<string> {
  const { info } = m;
  const token = info.kind === 'plain' ? '' : await currentSyncToken(ctx, m.backend, info);
  const dead = Object.entries(info.deadProps)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => [k, writeXml(v)]);
  const state = [
    token,
    info.kind,
    info.displayName,
    info.description,
    info.color,
    info.order,
    info.components,
    info.timezone,
    info.readonly === true || m.backend.readonly === true,
    dead,
  ];
  return createHash('sha256').update(JSON.stringify(state)).digest('base64url').slice(0, 22);
}

function listing(
  ctx: DavContext,
  user: string,
  home: HomeKind,
): { feed: HomeListing; members: () => Promise<HomeMember[]> } {
  let cached: Promise<{ member: HomeMember; digest: string }[]> | undefined;
  const load = () => {
    cached ??= ctx.backends.listCollections(user, home).then(async (all) => {
      const top = new Set(
        directChildren(
          all.map((a) => a.info),
          undefined,
        ),
      );
      const members = all.filter((a) => top.has(a.info));
      return Promise.all(members.map(async (member) => ({ member, digest: await digest(ctx, member) })));
    });
    return cached;
  };
  // The aggregated address book (quirks Q22) is another view of the same home: its own feed.
  const view = home === 'addressbooks' && ctx.quirkOptions.aggregatedAddressBook ? 'home+aggregate' : 'home';
  return { feed: new HomeListing(view, load), members: async () => (await load()).map((m) => m.member) };
}

const homeRef = (user: string, home: HomeKind): CollectionRef => ({ owner: user, home, id: '' });

/** The home's sync token (also its getctag). */
export async function homeSyncToken(ctx: DavContext, user: string, home: HomeKind): Promise<string> {
  const { feed } = listing(ctx, user, home);
  const epoch = await ctx.state.epoch();
  const t = await snapshotCurrentToken(feed, homeRef(user, home), ctx.state);
  // A token computed across a store restart would name a state the new epoch never had.
  if (await epochMoved(ctx, epoch))
    throw new StateUnavailableError('the state store changed its epoch during the request');
  return encodeToken({ b: feed.id, t, e: epoch });
}

/** Collections changed and ids removed since a cursor (undefined = initial sync), and the new token. */
export async function homeChanges(
  ctx: DavContext,
  user: string,
  home: HomeKind,
  cursor: SyncCursor | undefined,
): Promise<{ changed: HomeMember[]; deleted: string[]; token: string }> {
  const { feed, members } = listing(ctx, user, home);
  const epoch = await ctx.state.epoch();
  if (cursor && (cursor.b !== feed.id || cursor.e !== epoch || cursor.f !== undefined)) throw invalidSyncToken();
  const cs = await snapshotChangesSince(feed, homeRef(user, home), ctx.state, cursor ? cursor.t : null);
  if (cs === 'invalid-token') throw invalidSyncToken();
  // The cursor belonged to the epoch that just ended: void (clients then resync).
  if (await epochMoved(ctx, epoch)) throw invalidSyncToken();
  const byId = new Map((await members()).map((m) => [m.info.ref.id, m]));
  return {
    changed: cs.changed.map((c) => byId.get(c.name)).filter((m): m is HomeMember => m !== undefined),
    deleted: cs.deleted,
    token: encodeToken({ b: feed.id, t: cs.token, e: epoch }),
  };
}
