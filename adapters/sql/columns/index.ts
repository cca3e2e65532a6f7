// The `columns` SQL profile (issue 5): a Backend over a legacy table-per-entity schema described by a
// declarative mapping. Collections are per owner (one fixed calendar, or rows of a calendars table);
// objects are rows rendered to iCalendar; writes go back to rows in one transaction. The change feed is
// davgate_changes when its triggers are installed, else the modified column with the soft-delete flag,
// else the core's snapshot fallback (no changesSince).
import { type Backend, BackendError } from '../../../src/backend/port.ts';
import type { CollectionInfo, CollectionRef, HomeKind } from '../../../src/backend/types.ts';
import type { SqlConnection } from '../query/connect.ts';
import { mapDriverError } from '../query/errors.ts';
import { combineEntityBackends } from './entities.ts';
import { feedChanges, feedToken } from './feed.ts';
import { canUseModifiedFeed, modifiedFeedChanges, modifiedFeedToken } from './feed-modified.ts';
import { type ColumnsMapping, sideKind } from './mapping.ts';
import { checkRef, findByName, homeOf, inScope, loadObjects } from './read.ts';
import type { SideStore } from './side.ts';
import { type StateValues, stateSide } from './side-state.ts';
import { sideTable } from './side-table.ts';
import { hasChangeTable } from './triggers.ts';
import { deleteObject, putObject } from './write.ts';

// A configured mapping file may list several entities (`entities:`), so the serve path parses files.
export { type ColumnsMapping, MappingError, parseColumnsMappingFile as parseColumnsMapping } from './mapping.ts';
export type { StateValues } from './side-state.ts';

export interface ColumnsBackendOptions {
  /** Backend id (default `columns:<table>`); also names the state store keys of `extras.store: state`. */
  id?: string;
  /** davgate's state store, for mappings with `extras: { store: state }`. */
  state?: StateValues;
}

/** For commands that open the storage without a state store (e.g. `davgate user`): fails when used. */
const missing = () => Promise.reject(new Error('extras.store: state needs the state store, not opened here'));
const noState: StateValues = { get: missing, set: missing, delete: missing };

/** The best change feed available (docs/sql-columns.md §Change tracking); undefined → snapshot fallback. */
async function pickFeed(conn: SqlConnection, m: ColumnsMapping): Promise<'triggers' | 'modified' | undefined> {
  const table = await hasChangeTable(conn);
  if (m.changes === 'triggers' && !table) {
    throw new Error(
      'mapping says `changes: triggers` but davgate_changes is missing: run `davgate sql install-triggers`',
    );
  }
  if (m.changes === 'triggers' || (m.changes === 'auto' && table)) return 'triggers';
  if (m.changes === 'modified' || (m.changes === 'auto' && canUseModifiedFeed(m))) return 'modified';
  return undefined;
}

/** A backend for one mapped entity, or for several (each serving its own calendar collections). */
export async function createColumnsBackend(
  conn: SqlConnection,
  mapping: ColumnsMapping | readonly ColumnsMapping[],
  opts: ColumnsBackendOptions = {},
): Promise<Backend> {
  const list = Array.isArray(mapping) ? mapping : [mapping as ColumnsMapping];
  const id = opts.id ?? `columns:${list.map((m) => m.table).join('+')}`;
  const state = stateSide(opts.state ?? noState, id);
  const storeOf = (m: ColumnsMapping): SideStore => (sideKind(m) === 'state' ? state : sideTable);
  if (list.length === 1) return createEntityBackend(conn, list[0], storeOf(list[0]), opts);
  const parts = [];
  for (const m of list) parts.push(await createEntityBackend(conn, m, storeOf(m), { id: `columns:${m.table}` }));
  return combineEntityBackends(parts, id);
}

async function createEntityBackend(
  conn: SqlConnection,
  m: ColumnsMapping,
  store: SideStore,
  opts: { id?: string },
): Promise<Backend> {
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof BackendError) throw e;
      throw mapDriverError(e, conn.dialect);
    }
  };
  await guard(() => store.prepare(conn));
  const feed = await pickFeed(conn, m);

  async function collections(owner: string): Promise<CollectionInfo[]> {
    const info = (id: string, displayName?: string): CollectionInfo =>
      m.component === 'VCARD'
        ? { ref: { owner, home: 'addressbooks', id }, kind: 'addressbook', displayName, deadProps: {} }
        : {
            ref: { owner, home: 'calendars', id },
            kind: 'calendar',
            displayName,
            components: [m.component],
            deadProps: {},
          };
    if (m.scope.calendar) return [info(m.scope.calendar.id, m.scope.calendar.displayName)];
    const t = m.scope.calendarsTable;
    if (!t) return [];
    const rows = await conn.db.selectFrom(t.table).selectAll().where(t.owner, '=', owner).orderBy(t.key).execute();
    return rows.map((r) => info(String(r[t.key]), t.displayName ? String(r[t.displayName] ?? '') : undefined));
  }

  async function requireCollection(ref: CollectionRef): Promise<void> {
    checkRef(m, ref);
    if (!(await collections(ref.owner)).some((c) => c.ref.id === ref.id)) {
      throw new BackendError('not-found', 'no such collection');
    }
  }

  const backend: Backend = {
    id: opts.id ?? `columns:${m.table}`,
    listCollections: (owner: string, home: HomeKind) =>
      guard(async () => (home === homeOf(m) ? collections(owner) : [])),
    getCollection: (ref) =>
      guard(async () =>
        ref.home === homeOf(m) ? (await collections(ref.owner)).find((c) => c.ref.id === ref.id) : undefined,
      ),
    async *listObjects(ref) {
      const all = await guard(async () => {
        await requireCollection(ref);
        return loadObjects(conn.db, m, store, ref);
      });
      for (const o of all) yield { name: o.name, etag: o.etag };
    },
    getObjects: (ref, names) =>
      guard(async () => {
        await requireCollection(ref);
        const wanted = new Set(names);
        const out = [];
        for (const name of wanted) {
          const o = await findByName(conn.db, m, store, ref, name);
          if (o)
            out.push({
              name: o.name,
              etag: o.etag,
              body: o.body,
              contentType: o.contentType,
              lastModified: o.lastModified,
              deadProps: {},
            });
        }
        return out;
      }),
    putObject: (ref, name, input, pre) =>
      guard(async () => {
        await requireCollection(ref);
        return putObject(conn, m, store, ref, name, input, pre);
      }),
    deleteObject: (ref, name, pre) =>
      guard(async () => {
        await requireCollection(ref);
        return deleteObject(conn, m, store, ref, name, pre);
      }),
    findByUid: (ref, uid) =>
      guard(async () => {
        await requireCollection(ref);
        const rows = await inScope(m, ref, conn.db.selectFrom(m.table).select(m.key.column))
          .where(m.uid.column, '=', uid)
          .execute();
        const [o] = await loadObjects(conn.db, m, store, ref, {
          keys: rows.map((r: Record<string, unknown>) => String(r[m.key.column])),
        });
        return o?.name;
      }),
  };
  if (feed === 'modified') {
    backend.changesSince = (ref, since) =>
      guard(async () => {
        await requireCollection(ref);
        return modifiedFeedChanges(conn.db, m, store, ref, since);
      });
    backend.currentToken = (ref) =>
      guard(async () => {
        await requireCollection(ref);
        return modifiedFeedToken(conn.db, m, ref);
      });
  }
  if (feed === 'triggers') {
    backend.changesSince = (ref, since) =>
      guard(async () => {
        await requireCollection(ref);
        return feedChanges(conn.db, m, store, ref, since);
      });
    backend.currentToken = (ref) =>
      guard(async () => {
        await requireCollection(ref);
        return feedToken(conn.db);
      });
  }
  return backend;
}
