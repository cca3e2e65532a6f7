// python-caldav (Debian's python3-caldav) against the real server: an unbounded weekly event in
// Europe/Vienna saved without its VTIMEZONE (RFC 7809), found by date_search two years after its start,
// expanded by the server (RFC 4791 §9.6.5: UTC instances, RECURRENCE-ID, the override applied, the
// EXDATE honoured), and returned unexpanded when no expand is asked. The Python side is
// clients/caldav_recurrence.py.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type RunningServer, startServer } from '../support/server.ts';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, 'clients/caldav_recurrence.py');

async function findPython(): Promise<string | undefined> {
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      await run(py, ['-c', 'import caldav'], { timeout: 20_000 });
      return py;
    } catch {}
  }
  return undefined;
}

const python = await findPython();
const skip = python ? false : 'python3-caldav is not installed (Debian package "python3-caldav")';

// biome-ignore lint/suspicious/noExplicitAny: the session's JSON is asserted field by field below
type Session = Record<string, any>;

describe('python-caldav: recurrence two years out, server-side expand (RFC 4791 §9.6.5, §9.9)', { skip }, () => {
  let server: RunningServer;
  let s: Session;
  let cal: string;

  before(async () => {
    server = await startServer({ users: ['recur'] });
    const [user] = server.users;
    cal = `${server.prefix}/calendars/${user.name}/py-recurrence/`;
    let stdout: string;
    try {
      ({ stdout } = await run(python!, [SCRIPT, server.baseUrl, user.name, user.password], { timeout: 120_000 }));
    } catch (err) {
      stdout = (err as { stdout?: string }).stdout ?? '';
      if (!stdout.trim().startsWith('{')) throw new Error(`caldav_recurrence.py failed:\n${(err as Error).message}`);
    }
    s = JSON.parse(stdout);
  });

  after(() => server?.stop());

  function part(key: string): Session[string] {
    assert.ok(key in s, `the session stopped before "${key}" (failed in step ${s.error?.step}: ${s.error?.message})`);
    return s[key];
  }

  it('ran every step without an error', () => {
    const e = s.error;
    assert.equal(
      e,
      undefined,
      e && `step ${e.step}: ${e.type}: ${e.message}\n${e.traceback}\n${server.logs().slice(-3000)}`,
    );
    assert.equal(s.steps.at(-1), 'done');
  });

  it('RFC 7809 §2.2: the event saved without VTIMEZONE is stored with one for Europe/Vienna', () => {
    assert.equal(part('saved'), `${cal}py-weekly@davgate.test.ics`);
    assert.equal(part('storedHasVtimezone'), true);
  });

  const expanded = [
    { start: '20280103T080000Z', recurrenceId: '20280103T080000Z', summary: 'Weekly review', rrule: false },
    { start: '20280111T130000Z', recurrenceId: '20280110T080000Z', summary: 'Weekly review (moved)', rrule: false },
  ];

  it('date_search two years after DTSTART finds the weekly event, expanded: the override moved, the EXDATE gone', () => {
    const d = part('dateSearch');
    assert.deepEqual(d.objects, [`${cal}py-weekly@davgate.test.ics`]);
    assert.deepEqual(d.instances, expanded);
  });

  it('§9.6.5: the server itself expanded (no RRULE, no VTIMEZONE in its answer)', () => {
    const r = part('rawExpand');
    assert.deepEqual(r.objects, [`${cal}py-weekly@davgate.test.ics`]);
    assert.equal(r.hasRrule, false);
    assert.equal(r.hasVtimezone, false);
    assert.deepEqual(r.instances, expanded);
  });

  it('without expand the same search returns the master (RRULE) and its override', () => {
    const u = part('unexpanded');
    assert.deepEqual(u.objects, [`${cal}py-weekly@davgate.test.ics`]);
    assert.deepEqual(
      u.instances.map((i: Session) => [i.summary, i.rrule]),
      [
        ['Weekly review', true],
        ['Weekly review (moved)', false],
      ],
    );
  });

  it('§9.9: a range before DTSTART finds nothing', () => {
    assert.deepEqual(part('beforeStart'), []);
  });
});
