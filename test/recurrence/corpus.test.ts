// The recurrence corpus (test/recurrence/cases, written by make_cases.py): each case is an .ics and a
// .json of queries with the expected answer — whether a CALDAV:time-range on the component matches
// (RFC 4791 §9.9), the instances CALDAV:expand returns (§9.6.5: RECURRENCE-ID, DTSTART, DTEND in UTC)
// and the busy time free-busy-query reports (§7.10). Every case is checked three ways:
//   1. from the body alone (filter evaluation and expansion with ical.js, no index);
//   2. through the calendar-query and free-busy-query REPORTs on the SQLite store, whose write-time
//      time index answers most of it without parsing (exact spans, fast expand);
//   3. the same on the in-memory reference adapter.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryBackend } from '../../adapters/memory/memory-backend.ts';
import { openSqlite } from '../../adapters/sql/open.ts';
import type { Backend } from '../../src/backend/port.ts';
import type { CollectionInfo, CollectionRef } from '../../src/backend/types.ts';
import { renderCalendarData } from '../../src/caldav/calendar-data.ts';
import { calendarQuery } from '../../src/caldav/calendar-query.ts';
import { timeEnvFor } from '../../src/caldav/calendar-timezone.ts';
import { parseFilter } from '../../src/caldav/filter.ts';
import { matchesFilter } from '../../src/caldav/filter-eval.ts';
import { freeBusyQuery } from '../../src/caldav/free-busy-query.ts';
import { ICAL, parseUtcDateTime, parseVcalendar } from '../../src/caldav/ical.ts';
import { caldavProperties } from '../../src/caldav/props.ts';
import { summarize, testContext } from '../../src/caldav/test-support.ts';
import { spanMatches } from '../../src/caldav/time-index.ts';
import { vcalendarForZone } from '../../src/caldav/timezones.ts';
import { validateCalendarObject } from '../../src/caldav/validate.ts';
import { PropertyRegistry } from '../../src/dav/props/registry.ts';
import { webdavProperties } from '../../src/dav/props/webdav.ts';
import type { Resource } from '../../src/dav/resource.ts';
import { parseXml } from '../../src/dav/xml/parse.ts';
import { textOf } from '../../src/dav/xml/tree.ts';

const DIR = join(import.meta.dirname, 'cases');
const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';
const D = 'xmlns:D="DAV:"';
const COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY'];

type Instance = [string | null, string, string | null] | [string | null, string];
interface Query {
  start: string;
  end: string;
  match?: boolean;
  instances?: Instance[];
  busy?: [string, string][];
}
interface Case {
  file: string;
  title: string;
  component: string;
  source: string;
  calendarTimezone?: string;
  repairs?: string[];
  /** A library limitation the case documents; its test is reported as todo. */
  knownDeviation?: string;
  queries: Query[];
  ics: string;
}

const cases: Case[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({
    file: f.replace(/\.json$/, ''),
    ...JSON.parse(readFileSync(join(DIR, f), 'utf8')),
    ics: readFileSync(join(DIR, f.replace(/\.json$/, '.ics')), 'utf8'),
  }));

function filterXml(c: Case, q: Query): string {
  const tr = `<C:time-range start="${q.start}" end="${q.end}"/>`;
  const inner =
    c.component === 'VALARM'
      ? `<C:comp-filter name="VEVENT"><C:comp-filter name="VALARM">${tr}</C:comp-filter></C:comp-filter>`
      : `<C:comp-filter name="${c.component}">${tr}</C:comp-filter>`;
  return `<C:filter ${C}><C:comp-filter name="VCALENDAR">${inner}</C:comp-filter></C:filter>`;
}

function calendarInfoFor(c: Case, id: string): CollectionInfo {
  const info: CollectionInfo = {
    ref: { owner: 'alice', home: 'calendars', id },
    kind: 'calendar',
    deadProps: {},
    components: COMPONENTS,
  };
  if (c.calendarTimezone) info.timezone = vcalendarForZone(c.calendarTimezone);
  return info;
}

function valueString(p: InstanceType<typeof ICAL.Property> | null): string | null {
  if (!p) return null;
  const s = p.toICALString();
  return s.slice(s.lastIndexOf(':') + 1);
}

/** [RECURRENCE-ID, DTSTART, DTEND] of each expanded component (DTEND from DURATION when absent). */
function instancesOf(text: string, component: string): Instance[] {
  const root = parseVcalendar(text);
  assert.ok(root, 'expanded calendar-data parses');
  assert.equal(root.getAllSubcomponents('vtimezone').length, 0, '§9.6.5: no VTIMEZONE in expanded data');
  const name = component === 'VALARM' ? 'vevent' : component.toLowerCase();
  return root
    .getAllSubcomponents(name)
    .map((e): Instance => {
      assert.ok(!e.hasProperty('rrule') && !e.hasProperty('rdate') && !e.hasProperty('exdate'), 'no recurrence rules');
      const rid = valueString(e.getFirstProperty('recurrence-id'));
      const start = valueString(e.getFirstProperty('dtstart')) as string;
      if (name !== 'vevent') return [rid, start];
      let end = valueString(e.getFirstProperty('dtend'));
      const dur = e.getFirstPropertyValue('duration');
      if (end === null && dur instanceof ICAL.Duration) {
        const t = (e.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>).clone();
        t.addDuration(dur);
        end = t.toICALString();
      }
      return [rid, start, end];
    })
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function expandRequest(q: Query): string {
  return `<C:calendar-data ${C}><C:expand start="${q.start}" end="${q.end}"/></C:calendar-data>`;
}

const sortInstances = (xs: Instance[]) => [...xs].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));

describe('recurrence corpus: evaluation from the body (RFC 4791 §9.9, §9.6.5; RFC 5545 §3.8.5)', () => {
  it(`has at least 60 cases (${cases.length})`, () => {
    assert.ok(cases.length >= 60);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.title}`, { todo: c.knownDeviation }, () => {
      const info = calendarInfoFor(c, 'body');
      const v = validateCalendarObject(c.ics, info);
      for (const r of c.repairs ?? [])
        assert.ok(v.repairs.includes(r), `repair "${r}" in ${JSON.stringify(v.repairs)}`);
      const root = parseVcalendar(v.text);
      assert.ok(root);
      const env = timeEnvFor(info);
      for (const q of c.queries) {
        const what = `${q.start}..${q.end}`;
        const filter = parseFilter(parseXml(filterXml(c, q)));
        const got = matchesFilter(filter, root, env);
        if (q.match !== undefined) assert.equal(got, q.match, `time-range match ${what}`);
        // The write-time index never misses a match, and decides exactly when it says so.
        const ti = v.timeIndex;
        if (ti && c.component !== 'VALARM') {
          const s = parseUtcDateTime(q.start);
          const e = parseUtcDateTime(q.end) as number;
          const hit = ti.spans.some((sp) => spanMatches(sp, s, e));
          const complete = ti.completeUntil === undefined || ti.completeUntil > e;
          if (got && complete) assert.ok(hit, `index finds the match ${what}`);
          if (ti.exact && complete) assert.equal(hit, got, `exact index agrees ${what}`);
        }
        if (q.instances && c.component !== 'VALARM' && c.component !== 'VFREEBUSY') {
          const req = {
            expand: { start: parseUtcDateTime(q.start) as number, end: parseUtcDateTime(q.end) as number },
          };
          const out = renderCalendarData(v.text, req, env);
          assert.deepEqual(instancesOf(out, c.component), sortInstances(q.instances), `expanded instances ${what}`);
        }
      }
    });
  }
});

function backendSuite(
  name: string,
  make: () => Promise<{ backend: Backend; close(): unknown }> | { backend: Backend; close(): unknown },
) {
  describe(`recurrence corpus through the REPORTs on the ${name} backend (time index, fast expand)`, () => {
    let backend: Backend;
    let close: () => unknown;
    const infos = new Map<string, CollectionInfo>();
    const failed = new Map<string, unknown>();

    before(async () => {
      ({ backend, close } = await make());
      for (const [i, c] of cases.entries()) {
        const info = calendarInfoFor(c, `c${i}`);
        const admin = backend.admin;
        assert.ok(admin);
        const created = await admin.createCollection(info.ref, 'calendar', {
          components: COMPONENTS,
          timezone: info.timezone ?? null,
        });
        infos.set(c.file, created);
        let v: ReturnType<typeof validateCalendarObject>;
        try {
          v = validateCalendarObject(c.ics, created);
        } catch (e) {
          failed.set(c.file, e);
          continue;
        }
        await backend.putObject(
          created.ref,
          `${c.file}.ics`,
          {
            body: new TextEncoder().encode(v.text),
            contentType: 'text/calendar; charset=utf-8',
            uid: v.uid,
            componentType: v.componentType,
            timeIndex: v.timeIndex,
          },
          {},
        );
      }
    });
    after(() => close());

    for (const c of cases) {
      it(`${c.file}: ${c.title}`, { todo: c.knownDeviation }, async () => {
        if (failed.has(c.file)) throw failed.get(c.file);
        const info = infos.get(c.file) as CollectionInfo;
        const target: Resource = { type: 'collection', info, backend };
        const ctx = testContext({
          backend,
          depth: '1',
          props: new PropertyRegistry().register(...webdavProperties, ...caldavProperties),
        });
        for (const q of c.queries) {
          const what = `${q.start}..${q.end}`;
          const wantData = q.instances !== undefined && c.component !== 'VALARM' && c.component !== 'VFREEBUSY';
          const body = `<C:calendar-query ${D} ${C}><D:prop><D:getetag/>${wantData ? expandRequest(q) : ''}</D:prop>${filterXml(c, q)}</C:calendar-query>`;
          const rs = summarize(await calendarQuery.run(ctx, target, calendarQuery.parse(ctx, parseXml(body))));
          if (q.match !== undefined) assert.equal(rs.length, q.match ? 1 : 0, `REPORT finds the object ${what}`);
          if (wantData && rs.length) {
            const data = textOf(rs[0].props['{urn:ietf:params:xml:ns:caldav}calendar-data'].value);
            assert.deepEqual(instancesOf(data, c.component), sortInstances(q.instances ?? []), `expanded ${what}`);
          }
          if (q.busy && (c.component === 'VEVENT' || c.component === 'VFREEBUSY')) {
            const fbBody = `<C:free-busy-query ${C}><C:time-range start="${q.start}" end="${q.end}"/></C:free-busy-query>`;
            const res = await freeBusyQuery.run(ctx, target, freeBusyQuery.parse(ctx, parseXml(fbBody)));
            const lines = String(res.body)
              .split('\r\n')
              .filter((l) => l.startsWith('FREEBUSY'))
              .map((l) => {
                const m = /^FREEBUSY(?:;FBTYPE=([A-Z-]+))?:(.*)$/.exec(l) as RegExpExecArray;
                return [m[1] ?? 'BUSY', m[2]];
              });
            assert.deepEqual(lines, q.busy, `free-busy ${what}`);
          }
        }
      });
    }
  });
}

backendSuite('SQLite', async () => {
  const s = await openSqlite(':memory:');
  return { backend: s.backend, close: () => s.close() };
});
backendSuite('memory', () => ({ backend: new MemoryBackend(), close: () => {} }));

export type { CollectionRef };
