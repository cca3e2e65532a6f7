#!/usr/bin/env node
// Entry point of the `davgate` command (`npx davgate` in the repository, or the installed bin).
// The code is TypeScript run by Node's type stripping: built in from Node 22.18 / 23.6, behind
// --experimental-strip-types from 22.6. On an older Node, re-run with the Node 24 that
// scripts/ensure-node.sh installs into .tools/node24, if it is there. When dist/ (the same code with
// its types stripped ahead of time, scripts/build-dist.ts) matches the sources, that runs instead.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshDistMain } from './dist.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);

function reexec(node, flags) {
  const child = spawn(node, [...flags, main, ...process.argv.slice(2)], { stdio: 'inherit' });
  // A signal sent to this process only (kill PID) must reach the server too.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    process.exit(code ?? 1);
  });
}

const stripped = freshDistMain();
if (stripped) {
  await import(pathToFileURL(stripped).href);
} else if (process.features.typescript) {
  await import(new URL('../src/main.ts', import.meta.url).href);
} else if (major > 22 || (major === 22 && minor >= 6)) {
  reexec(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning']);
} else {
  const bootstrapped = fileURLToPath(new URL('../.tools/node24/bin/node', import.meta.url));
  if (existsSync(bootstrapped)) {
    reexec(bootstrapped, []);
  } else {
    console.error(
      `davgate needs Node.js 22.18 or newer (this is ${process.version}). ` +
        'Run scripts/ensure-node.sh, or install Node.js 24.',
    );
    process.exit(1);
  }
}
