// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `node bench/run.ts --cpu-prof DIR`):
// the functions with the most self time, and self time per file (node_modules by package).
//
//   node bench/profile-top.ts FILE.cpuprofile [--top 30] [--filter SUBSTRING] [--callers FUNCTION]
//
// --callers prints the call stacks (up to 6 frames) that lead to the self time of functions whose label
// contains FUNCTION, heaviest first.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' }, filter: { type: 'string' }, callers: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  console.error('usage: node bench/profile-top.ts FILE.cpuprofile [--top N] [--filter TEXT]');
  process.exit(2);
}

const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the sample stream (timeDeltas are µs between samples).
const self = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0));
}
const totalUs = [...self.values()].reduce((a, b) => a + b, 0);

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  return url.replace(/^file:\/\/.*?\/(src|adapters|bench)\//, '$1/').replace(/^node:/, 'node:');
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  return `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
}

// Inclusive time: self time of every node charged to each distinct function on its stack.
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const node = byId.get(cur);
    if (!node) break;
    const key = label(node);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
for (const [id, us] of self) {
  const node = byId.get(id);
  if (!node) continue;
  selfByFn.set(label(node), (selfByFn.get(label(node)) ?? 0) + us);
  const file = shortUrl(node.callFrame.url) || node.callFrame.functionName;
  selfByFile.set(file, (selfByFile.get(file) ?? 0) + us);
}

const top = Number(values.top);
const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)} %`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const filter = values.filter;
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  const rows = [...m].filter(([k]) => !filter || k.includes(filter)).sort((a, b) => b[1] - a[1]);
  for (const [k, us] of rows.slice(0, top)) console.log(`${ms(us)} ${pct(us)}  ${k}`);
};

console.log(`profile: ${(totalUs / 1e6).toFixed(2)} s of samples`);
if (values.callers) {
  const stacks = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node || !label(node).includes(values.callers)) continue;
    const frames: string[] = [];
    for (let cur = parent.get(id); cur !== undefined && frames.length < 6; cur = parent.get(cur)) {
      const p = byId.get(cur);
      if (p) frames.push(label(p));
    }
    const key = `${label(node)}\n    <- ${frames.join('\n    <- ')}`;
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
  for (const [k, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${ms(us)} ${pct(us)}  ${k}`);
  }
  process.exit(0);
}
show('self time by function', selfByFn);
show('self time by file', selfByFile);
show('inclusive time by function', inclusive);
