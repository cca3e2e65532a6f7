// Enforces the dependency rules of DESIGN.md on import statements, beside Biome's noRestrictedImports
// (which matches import text; this resolves paths, and also checks User-Agent reads):
//   core-imports:    src/dav, src/caldav, src/carddav never import adapters/ or src/state/redis (redis*.ts)
//   adapter-imports: adapters import from src/ only src/backend, src/dav/xml, src/auth/password.ts,
//                    src/auth/user-store.ts and pure helpers in src/lib
//   user-agent:      only src/quirks reads the User-Agent header
// Test files (*.test.ts and everything under test/) are exempt: they may wire anything.
// Usage: node scripts/check-boundaries.ts [ROOT]   (exit 1 and one line per violation when any)
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Violation {
  file: string;
  line: number;
  rule: 'core-imports' | 'adapter-imports' | 'user-agent';
  message: string;
}

const CORE = /^src\/(dav|caldav|carddav)\//;
const ADAPTER_ALLOWED_PREFIXES = ['src/backend/', 'src/dav/xml/', 'src/lib/'];
const ADAPTER_ALLOWED_FILES = ['src/auth/password.ts', 'src/auth/user-store.ts'];
const SCANNED_DIRS = ['src', 'adapters'];
const SOURCE_FILE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

export const isTestFile = (file: string) => /\.test\.[cm]?[jt]s$/.test(file) || file.startsWith('test/');

/** Blanks out comments (keeping line breaks) so commented-out code and prose are not checked. */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s*from\s*)?['"]([^'"\n]+)['"]/g,
  /\bimport\s*\(\s*['"`]([^'"`\n]+)['"`]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

/** Module specifiers with the line they appear on. */
export function importsOf(code: string): { specifier: string; line: number }[] {
  const found: { specifier: string; line: number; index: number }[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of code.matchAll(pattern)) {
      const index = (m.index ?? 0) + m[0].lastIndexOf(m[1]);
      found.push({ specifier: m[1], index, line: code.slice(0, index).split('\n').length });
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ specifier, line }) => ({ specifier, line }));
}

const lineOf = (code: string, index: number) => code.slice(0, index).split('\n').length;

/** Checks one file; `file` is relative to the repository root with forward slashes. */
export function checkFile(file: string, text: string): Violation[] {
  if (isTestFile(file)) return [];
  const code = stripComments(text);
  const violations: Violation[] = [];
  for (const { specifier, line } of importsOf(code)) {
    if (!specifier.startsWith('.')) continue; // packages and node: built-ins
    const target = posix.normalize(posix.join(posix.dirname(file), specifier));
    if (CORE.test(file) && (target.startsWith('adapters/') || /^src\/state\/redis(?:\.ts|-[^/]*|\/|$)/.test(target))) {
      violations.push({
        file,
        line,
        rule: 'core-imports',
        message: `imports ${target}: the protocol core reaches data only through src/backend (wired in src/app.ts)`,
      });
    }
    if (
      file.startsWith('adapters/') &&
      target.startsWith('src/') &&
      !ADAPTER_ALLOWED_PREFIXES.some((p) => target.startsWith(p)) &&
      !ADAPTER_ALLOWED_FILES.includes(target)
    ) {
      violations.push({
        file,
        line,
        rule: 'adapter-imports',
        message: `imports ${target}: adapters may import only src/backend, src/dav/xml, src/lib, src/auth/password.ts and src/auth/user-store.ts`,
      });
    }
  }
  if (!file.startsWith('src/quirks/')) {
    for (const m of code.matchAll(/['"`]user-agent['"`]/gi)) {
      violations.push({
        file,
        line: lineOf(code, m.index ?? 0),
        rule: 'user-agent',
        message: 'reads the User-Agent header: only src/quirks may (use the active quirk profiles instead)',
      });
    }
  }
  return violations;
}

async function* sourceFiles(root: string, dir: string): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory() && e.name !== 'node_modules') yield* sourceFiles(root, rel);
    else if (e.isFile() && SOURCE_FILE.test(e.name)) yield rel;
  }
}

/** Checks every source file under src/ and adapters/ of `root`. */
export async function checkTree(root: string): Promise<{ files: number; violations: Violation[] }> {
  let files = 0;
  const violations: Violation[] = [];
  for (const dir of SCANNED_DIRS) {
    for await (const file of sourceFiles(root, dir)) {
      files++;
      violations.push(...checkFile(file, await readFile(join(root, file), 'utf8')));
    }
  }
  return { files, violations };
}

async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { files, violations } = await checkTree(root);
  for (const v of violations) console.error(`${v.file}:${v.line}: [${v.rule}] ${v.message}`);
  const where = relative(process.cwd(), root).split(sep).join('/') || '.';
  if (violations.length > 0) {
    console.error(`boundaries: ${violations.length} violation(s) in ${files} files under ${where}`);
    process.exitCode = 1;
  } else {
    console.log(`boundaries: ${files} files checked, no violations`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
