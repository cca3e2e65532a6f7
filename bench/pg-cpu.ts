// CPU time of a throw-away PostgreSQL (test/support/postgres.ts): the postmaster's children (backends,
// writer, WAL writer, …) from /proc, so the benches can report what PostgreSQL costs per request next to
// the gateway's own CPU — on this 2-vCPU machine they compete for the same cores.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Milliseconds of CPU used so far by the postmaster of `dir` (its data directory's parent) and its children. */
export function postgresCpuMs(dir: string, ticksPerSecond = 100): number {
  const postmaster = readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8')
    .split('\n')[0]
    .trim();
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const f = statFields(pid);
    // After the name: state, ppid, …; utime and stime are fields 14 and 15 (indexes 11 and 12 here).
    if (f && (pid === postmaster || f[1] === postmaster)) ticks += Number(f[11]) + Number(f[12]);
  }
  return (ticks * 1000) / ticksPerSecond;
}
