// The answer checks of bench/calendar.ts: the months it queries, the objects, instances and busy
// periods the generated events must yield in each, the REPORT bodies, and parsers for the answers.
import { type Gen, utcString } from './calendar-events.ts';

export function monthRange(k: number): { start: number; end: number } {
  return { start: Date.UTC(2026, k, 1), end: Date.UTC(2026, k + 1, 1) };
}

export function expectedFor(gens: Gen[], r: { start: number; end: number }) {
  const objects = new Set<string>();
  const instances = new Set<string>();
  const busy: [number, number][] = [];
  for (const g of gens) {
    for (const i of g.instances) {
      if (i.start < r.end && i.end > r.start) {
        objects.add(g.name);
        instances.add(`${i.uid}|${i.rid === undefined ? '' : utcString(i.rid)}|${i.allDay ? '' : utcString(i.start)}`);
        if (i.busy) busy.push([Math.max(i.start, r.start), Math.min(i.end, r.end)]);
      }
    }
  }
  busy.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const b of busy) {
    const last = merged[merged.length - 1];
    if (last && b[0] <= last[1]) last[1] = Math.max(last[1], b[1]);
    else merged.push([...b]);
  }
  return { objects, instances, busy: merged };
}

const HREF = /<(?:[\w.-]+:)?href>([^<]*)<\/(?:[\w.-]+:)?href>/g;
const DATA = /<(?:[\w.-]+:)?calendar-data[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?calendar-data>/g;

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#13;/g, '\r')
    .replace(/&amp;/g, '&');
}

export function hrefsOf(xml: string): string[] {
  return [...xml.matchAll(HREF)].map((m) => decodeURIComponent(m[1].split('/').pop() ?? ''));
}

export function expandedInstances(xml: string): Set<string> {
  const out = new Set<string>();
  for (const m of xml.matchAll(DATA)) {
    const text = unescapeXml(m[1]).replace(/\r?\n[ \t]/g, '');
    for (const block of text.split('BEGIN:VEVENT').slice(1)) {
      const uid = /\nUID:(.*?)\r?\n/.exec(`\n${block}`)?.[1];
      const rid = /\nRECURRENCE-ID:(.*?)\r?\n/.exec(`\n${block}`)?.[1] ?? '';
      const start = /\nDTSTART(?:;VALUE=DATE)?:(.*?)\r?\n/.exec(`\n${block}`)?.[1] ?? '';
      out.add(`${uid}|${rid}|${start.length === 8 ? '' : start}`);
    }
  }
  return out;
}

export function query(r: { start: number; end: number }, expand: boolean | 'etag'): string {
  const s = utcString(r.start);
  const e = utcString(r.end);
  const data =
    expand === 'etag'
      ? ''
      : expand
        ? `<C:calendar-data><C:expand start="${s}" end="${e}"/></C:calendar-data>`
        : '<C:calendar-data/>';
  return `<?xml version="1.0" encoding="utf-8"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/>${data}</D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${s}" end="${e}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
}

export function sameSet(a: Set<string>, b: Set<string>): string | undefined {
  const missing = [...a].filter((x) => !b.has(x));
  const extra = [...b].filter((x) => !a.has(x));
  if (!missing.length && !extra.length) return undefined;
  return `missing ${missing.length} (${missing.slice(0, 3).join(', ')}), extra ${extra.length} (${extra.slice(0, 3).join(', ')})`;
}
