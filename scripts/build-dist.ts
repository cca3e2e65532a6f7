// Writes dist/: src/ and adapters/ (tests left out) with their TypeScript types stripped ahead of
// time by node:module's stripTypeScriptTypes, relative `.ts` imports rewritten to `.js`. Types are
// replaced by whitespace, so line and column numbers in stack traces match the sources.
// scripts/start.sh runs this before starting, and bin/davgate.js runs dist/src/main.js while it
// matches the sources (bin/dist.js); docs/performance.md "Memory" says why.
//
//   node scripts/build-dist.ts            # rebuild
//   node scripts/build-dist.ts --if-stale # only when a source changed since the last build
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative } from 'node:path';
// @ts-expect-error: plain JavaScript shared with bin/davgate.js, no declarations
import { DIST, freshManifest, MANIFEST, ROOT, stamp } from '../bin/dist.js';

const SOURCE_DIRS = ['src', 'adapters'];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') out.push(...sources(rel));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(rel);
    }
  }
  return out;
}

/** `from './x.ts'`, `import('./x.ts')`, `export … from '../x.ts'`: relative specifiers only. */
const RELATIVE_TS = /((?:\bfrom|\bimport)\s*\(?\s*)(['"])(\.\.?\/[^'"\n]*)\.ts\2/g;

export function toJavaScript(source: string): string {
  const js = stripTypeScriptTypes(source, { mode: 'strip' });
  return js.replace(RELATIVE_TS, (_m, lead: string, q: string, spec: string) => `${lead}${q}${spec}.js${q}`);
}

export function buildDist(): { files: number; ms: number } {
  const start = performance.now();
  // Built next to dist/ and swapped in, so a server starting meanwhile never sees half a tree.
  const tmp = `${DIST.replace(/\/$/, '')}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const stamps: Record<string, string> = {};
  const files = SOURCE_DIRS.flatMap(sources);
  for (const rel of files) {
    const from = join(ROOT, rel);
    stamps[rel] = stamp(from);
    const to = join(tmp, rel.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, toJavaScript(readFileSync(from, 'utf8')));
  }
  // src/cli/run.ts reads ../../package.json for the version; package.json also keeps "type": "module".
  stamps['package.json'] = stamp(join(ROOT, 'package.json'));
  writeFileSync(join(tmp, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  writeFileSync(
    join(tmp, relative(DIST, MANIFEST)),
    `${JSON.stringify({ version: 1, node: process.version, sources: stamps }, null, 1)}\n`,
  );
  rmSync(DIST, { recursive: true, force: true });
  renameSync(tmp, DIST);
  return { files: files.length, ms: Math.round(performance.now() - start) };
}

if (import.meta.main) {
  if (process.argv.includes('--if-stale') && freshManifest()) process.exit(0);
  const r = buildDist();
  process.stderr.write(`build-dist: ${r.files} files stripped into dist/ in ${r.ms} ms\n`);
}
