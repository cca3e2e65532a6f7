// Shared by the `extras: { store: state }` suites: the worked example's mapping with its side data in the
// state store, the app over a fresh SQLite legacy database, DAV helpers, and a state store that fails on
// demand (for the failure cases).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { parse } from 'yaml';
import { parseColumnsMapping } from '../../adapters/sql/columns/mapping.ts';
import { SIDE_TABLE } from '../../adapters/sql/columns/side-table.ts';
import type { StateStore } from '../../src/state/store.ts';
import { StateUnavailableError } from '../../src/state/store.ts';
import { parseMultistatus } from '../support/xml-assert.ts';
import type { Server } from './databases.ts';
import { type Feed, ics, legacyApp } from './legacy-app.ts';

export const CAL = '/dav/calendars/alice/calendar/';

const yaml = parse(readFileSync(new URL('./appointments.yaml', import.meta.url), 'utf8'));
/** appointments.yaml with `extras: { store: state }`, through the mapping parser. */
export const stateMapping = parseColumnsMapping({ ...yaml, extras: { store: 'state' } });

/** Where the record of row `key` lives (backend id `legacy`, table appointments; side-state.ts). */
export const recKey = (key: string | number) => `dg:columns:legacy:appointments:rec:${key}`;

export { ics };

/** An event with what the schema has no column for: an X-property, ORGANIZER and a VALARM. */
export const withAlarm = (uid: string, summary = 'Standup', trigger = '-PT10M', color = 'teal') =>
  ics([
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Europe/Berlin:20260601T090000',
    'DTEND;TZID=Europe/Berlin:20260601T100000',
    `SUMMARY:${summary}`,
    `X-CLIENT-COLOR;X-P=1:${color}`,
    'ORGANIZER;CN=Alice:mailto:alice@example.com',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Reminder',
    `TRIGGER:${trigger}`,
    'X-WR-ALARMUID:a1',
    'END:VALARM',
  ]);

export const alarmOf = (trigger: string) =>
  new RegExp(
    `BEGIN:VALARM\\r\\nACTION:DISPLAY\\r\\nDESCRIPTION:Reminder\\r\\nTRIGGER:${trigger}\\r\\nX-WR-ALARMUID:a1\\r\\nEND:VALARM`,
  );

/** The app over a fresh legacy database whose mapping keeps side data in `state`. */
export async function stateApp(server: Server, state: StateStore, feed: Feed = 'modified') {
  const { db, backend, t } = await legacyApp(server, stateMapping, feed, { state });
  const put = (name: string, body: string, headers: Record<string, string> = {}) =>
    t.request('PUT', `${CAL}${name}`, { body, headers: { 'Content-Type': 'text/calendar', ...headers } });
  const get = (name: string) => t.request('GET', `${CAL}${name}`);
  const hrefs = async () => {
    const r = await t.request('PROPFIND', CAL, {
      body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>',
      headers: { Depth: '1' },
    });
    assert.equal(r.status, 207, r.text);
    return parseMultistatus(r.text)
      .responses.map((x) => x.href)
      .filter((h) => h !== CAL)
      .sort();
  };
  const rows = async () =>
    (
      await sql<{ id: unknown; uid: string; title: string; version: unknown }>`
        SELECT id, uid, title, version FROM appointments ORDER BY id`.execute(db.conn.db)
    ).rows.map((r) => ({ id: Number(r.id), uid: r.uid, title: r.title, version: Number(r.version) }));
  const sideTableExists = async () => (await db.conn.db.introspection.getTables()).some((tb) => tb.name === SIDE_TABLE);
  return { db, backend, t, put, get, hrefs, rows, sideTableExists };
}

/** A memory (or any) state store that throws StateUnavailableError while `failing` says so. */
export function flaky(inner: StateStore) {
  let failing: ((op: string, key: string) => boolean) | undefined;
  let afterSet: ((key: string) => void) | undefined;
  const check = (op: string, key: string) => {
    if (failing?.(op, key)) throw new StateUnavailableError(`injected failure: ${op} ${key}`, 7);
  };
  const store: StateStore = {
    epoch: () => inner.epoch(),
    getSnapshot: (k) => inner.getSnapshot(k),
    commitSnapshot: (k, c) => inner.commitSnapshot(k, c),
    changesSince: (k, s) => inner.changesSince(k, s),
    async get(k) {
      check('get', k);
      return inner.get(k);
    },
    async set(k, v, ttl) {
      check('set', k);
      await inner.set(k, v, ttl);
      afterSet?.(k);
    },
    async delete(k) {
      check('delete', k);
      await inner.delete(k);
    },
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return {
    store,
    /** Fail calls for which `when` is true (undefined: none). */
    fail(when: ((op: string, key: string) => boolean) | undefined) {
      failing = when;
    },
    /** Runs after each set that landed; a throw there is a reply lost after the store took the write. */
    onSet(fn: ((key: string) => void) | undefined) {
      afterSet = fn;
    },
  };
}
