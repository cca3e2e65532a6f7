// RFC 6578 §4 sync-token and the CalendarServer getctag (a token that changes with any member change),
// on collections and on homes (quirks Q10/Q20: Apple syncs the calendar home).
import { currentSyncToken } from '../sync/changes.ts';
import { homeSyncToken } from '../sync/home-sync.ts';
import { calserver, dav } from '../xml/names.ts';
import type { PropertyDef } from './registry.ts';

const isSyncable = (r: { type: string }): boolean => r.type === 'collection' || r.type === 'home';

export const syncProperties: PropertyDef[] = [dav('sync-token'), calserver('getctag')].map((name) => ({
  name,
  protected: true,
  allprop: false,
  appliesTo: isSyncable,
  get: async (ctx, res) => {
    if (res.type === 'collection') return [await currentSyncToken(ctx, res.backend, res.info)];
    if (res.type === 'home') return [await homeSyncToken(ctx, res.user, res.home)];
    return undefined;
  },
}));
