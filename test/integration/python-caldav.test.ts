// python-caldav (Debian's python3-caldav) against the real server: discovery from the bare base URL,
// MKCALENDAR, events and todos written, read, updated and deleted, calendar-multiget (RFC 4791 §7.9),
// calendar-query with a time range (§7.8) and sync by token (RFC 6578). The Python session lives in
// clients/caldav_session.py and prints what it saw as JSON; this file asserts it element by element.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type RunningServer, startServer } from '../support/server.ts';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, 'clients/caldav_session.py');

/** Debian's interpreter first (a pyenv or venv python3 earlier on PATH lacks the Debian module). */
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

describe('python-caldav 0.11 session (RFC 4791, RFC 6578, RFC 6764)', { skip }, () => {
  let server: RunningServer;
  let s: Session;
  let home: string;
  let cal: string;
  const obj = (name: string) => `${cal}${name}@davgate.test.ics`;

  before(async () => {
    server = await startServer({ users: ['pyuser'] });
    const [user] = server.users;
    home = `${server.prefix}/calendars/${user.name}/`;
    cal = `${home}python-caldav/`;
    const started = Date.now();
    let stdout: string;
    try {
      ({ stdout } = await run(python!, [SCRIPT, server.baseUrl, user.name, user.password], { timeout: 120_000 }));
    } catch (err) {
      // Exit 1 still prints the JSON with the failing step; anything else is a crash of the script.
      stdout = (err as { stdout?: string }).stdout ?? '';
      if (!stdout.trim().startsWith('{')) throw new Error(`caldav_session.py failed:\n${(err as Error).message}`);
    }
    s = JSON.parse(stdout);
    console.log(`python-caldav session: ${Date.now() - started} ms, steps: ${s.steps.join(' → ')}`);
  });

  after(() => server?.stop());

  /** One part of the session's report; absent when the session stopped at an earlier step. */
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

  it('RFC 6764 / RFC 5397: discovers the principal and calendar home from the base URL', () => {
    assert.deepEqual(part('discovery'), {
      principal: `${server.prefix}/principals/pyuser/`,
      calendarHomeSet: home,
      calendars: [[`${home}calendar/`, 'Calendar']],
    });
  });

  it('RFC 4791 §5.3.1: MKCALENDAR with a display name and VEVENT+VTODO', () => {
    assert.deepEqual(part('created'), {
      url: cal,
      listed: true,
      displayName: 'Python CalDAV Test',
      components: ['VEVENT', 'VTODO'],
    });
    assert.deepEqual(part('initialSync'), { count: 0, hasToken: true });
  });

  it('RFC 4791 §5.3.2: events are stored where the client put them and read back by UID and by URL', () => {
    assert.deepEqual(part('savedEvents'), [obj('py-e1'), obj('py-e2'), obj('py-e3')]);
    assert.deepEqual(part('readEvents').byUid, { url: obj('py-e1'), summary: 'Planning meeting', location: 'Room 4' });
    assert.deepEqual(part('readEvents').byUrl, {
      uid: 'py-e2@davgate.test',
      summary: 'Dentist',
      tzid: 'Europe/Berlin',
    });
    assert.deepEqual(part('readEvents').all, ['py-e1@davgate.test', 'py-e2@davgate.test', 'py-e3@davgate.test']);
  });

  it('RFC 4791 §9.9: a time-range query finds the March events only (UTC and Europe/Berlin), not the all-day April one', () => {
    assert.deepEqual(part('timeRange'), ['py-e1@davgate.test', 'py-e2@davgate.test']);
  });

  it('an updated event replaces the old one in place', () => {
    const u = part('updatedEvent');
    assert.equal(u.url, obj('py-e1'));
    assert.equal(u.summary, 'Planning meeting (moved)');
    assert.equal(u.location, 'Room 7');
    assert.ok(u.sequence >= 1, `SEQUENCE ${u.sequence} kept from the client's PUT`);
    assert.equal(u.eventCount, 3, 'no duplicate after the update');
  });

  it('todos: saved, listed as pending, completed, and kept apart from events', () => {
    assert.deepEqual(part('todos'), {
      saved: [obj('py-t1'), obj('py-t2')],
      pendingBefore: ['py-t1@davgate.test', 'py-t2@davgate.test'],
      pendingAfter: ['py-t2@davgate.test'],
      all: ['py-t1@davgate.test', 'py-t2@davgate.test'],
      completedStatus: 'COMPLETED',
      completedAt: '20260305T120000Z',
      eventsStillOnlyEvents: ['py-e1@davgate.test', 'py-e2@davgate.test', 'py-e3@davgate.test'],
    });
  });

  it('RFC 4791 §7.9: calendar-multiget returns each requested object with its current data', () => {
    assert.deepEqual(part('multiget'), [
      [obj('py-e1'), 'py-e1@davgate.test', 'Planning meeting (moved)'],
      [obj('py-e3'), 'py-e3@davgate.test', 'Conference'],
      [obj('py-t2'), 'py-t2@davgate.test', 'Buy milk'],
    ]);
  });

  it('RFC 6578 §3.5: sync by token reports the changed, new and deleted members; a re-sync reports nothing', () => {
    const y = part('sync');
    assert.deepEqual(y.initial, [obj('py-e1'), obj('py-e2'), obj('py-e3'), obj('py-t1'), obj('py-t2')]);
    assert.equal(y.e4, obj('py-e4'));
    assert.deepEqual(y.deltaHrefs, [obj('py-e2'), obj('py-e3'), obj('py-e4'), obj('py-t2')]);
    assert.deepEqual(y.updated, [obj('py-e2'), obj('py-e4')]);
    assert.deepEqual(y.updatedSummaries, ['Dentist (rescheduled)', 'Team lunch']);
    assert.deepEqual(y.deleted, [obj('py-e3'), obj('py-t2')]);
    assert.deepEqual(y.afterSync, [obj('py-e1'), obj('py-e2'), obj('py-e4'), obj('py-t1')]);
    assert.equal(y.tokensDiffer, true, 'the token moves when the collection changes');
    assert.deepEqual(y.noChange, { updated: 0, deleted: 0, sameToken: true });
  });

  it('DELETE removes an event: gone from queries, GET answers 404', () => {
    assert.deepEqual(part('deleted'), {
      foundByUid: false,
      getStatus: 404,
      remaining: ['py-e2@davgate.test', 'py-e4@davgate.test', 'py-t1@davgate.test'],
    });
  });

  it('DELETE of the calendar removes it from the home', () => {
    assert.deepEqual(part('calendarDeleted'), { listed: false, propfindStatus: 404 });
  });
});
