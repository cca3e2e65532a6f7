// Applying a CollectionPatch (PROPPATCH / MKCALENDAR / extended MKCOL, RFC 4918 §9.2, RFC 4791 §5.3.1)
// to a CollectionInfo. Pure: returns a new info, so a failing patch leaves nothing half-applied.
import type { CollectionInfo, CollectionPatch } from '../../src/backend/types.ts';

type SimpleKey = 'displayName' | 'description' | 'components' | 'timezone' | 'color' | 'order';
const SIMPLE_KEYS: SimpleKey[] = ['displayName', 'description', 'components', 'timezone', 'color', 'order'];

export function applyCollectionPatch(info: CollectionInfo, patch: CollectionPatch): CollectionInfo {
  const next: CollectionInfo = structuredClone(info);
  for (const key of SIMPLE_KEYS) {
    if (!(key in patch) || patch[key] === undefined) continue;
    const value = patch[key];
    if (value === null) delete next[key];
    else (next as unknown as Record<string, unknown>)[key] = structuredClone(value);
  }
  for (const [name, value] of Object.entries(patch.deadProps ?? {})) {
    if (value === null) delete next.deadProps[name];
    else next.deadProps[name] = structuredClone(value);
  }
  return next;
}
