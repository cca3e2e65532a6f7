// RFC 6578 §4 sync-token and the CalendarServer getctag (a token that changes with any member change).
import { currentSyncToken } from '../sync/changes.ts';
import { calserver, dav } from '../xml/names.ts';
import type { PropertyDef } from './registry.ts';

const isCollection = (r: { type: string }): boolean => r.type === 'collection';

export const syncProperties: PropertyDef[] = [dav('sync-token'), calserver('getctag')].map((name) => ({
  name,
  protected: true,
  allprop: false,
  appliesTo: isCollection,
  get: async (ctx, res) =>
    res.type === 'collection' ? [await currentSyncToken(ctx, res.backend, res.info)] : undefined,
}));
