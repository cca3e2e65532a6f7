// The ahead-of-time stripped JavaScript tree (dist/, made by scripts/build-dist.ts): production runs
// it instead of the TypeScript sources, which saves Node's runtime type stripper (18-26 MB RSS,
// docs/performance.md "Memory"). dist/manifest.json records the size and mtime of every source it
// was made from; the tree is used only while all of them are unchanged, so an edited checkout never
// runs stale code (it falls back to src/main.ts until the next build).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const MANIFEST = `${DIST}manifest.json`;

/** `size:mtimeMs` of a file, the freshness key the manifest stores. */
export function stamp(path) {
  const s = statSync(path);
  return `${s.size}:${s.mtimeMs}`;
}

/** The manifest when every source it lists is unchanged, else undefined. */
export function freshManifest() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest?.version !== 1 || typeof manifest.sources !== 'object') return undefined;
  for (const [rel, key] of Object.entries(manifest.sources)) {
    try {
      if (stamp(`${ROOT}${rel}`) !== key) return undefined;
    } catch {
      return undefined;
    }
  }
  return manifest;
}

/** Path of dist/src/main.js when the stripped tree matches the sources, else undefined. */
export function freshDistMain() {
  return freshManifest() ? `${DIST}src/main.js` : undefined;
}
