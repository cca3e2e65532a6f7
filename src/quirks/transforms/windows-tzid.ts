// quirks Q26: Outlook CalDav Synchronizer writes Windows time-zone names (`TZID=W. Europe Standard
// Time`) and maps them back with TimeZoneInfo.FindSystemTimeZoneById unless its "Use IANA timezones"
// option is on. The CalDAV module maps every TZID to IANA on ingest; these transforms keep the name
// the client wrote as an X-parameter (`X-DAVGATE-TZID`) next to the mapped TZID, and give that
// client its own names back (the VTIMEZONE renamed to match). Every other client gets the object
// without the parameter (src/caldav/annotations.ts).
import { windowsToIana } from '../../caldav/timezones.ts';
import { editLines, propName, splitLine } from '../content-lines.ts';
import { isCalendarText } from './ical.ts';
import { getParam, setParam } from './params.ts';

const ORIGINAL = 'X-DAVGATE-TZID';

/** RFC 5545 §3.2: parameter values with `:`, `;` or `,` are quoted. */
function paramValue(v: string): string {
  return /[:;,]/.test(v) ? `"${v}"` : v;
}

/** On the way in: each TZID parameter naming a Windows zone also gets the name as X-DAVGATE-TZID. */
export function keepWindowsTzids(text: string): string {
  if (!isCalendarText(text) || !/TZID=/i.test(text)) return text;
  return editLines(text, (lines) =>
    lines.map((line) => {
      const { name, params, value } = splitLine(line);
      const tzid = getParam(params, 'TZID');
      if (tzid === undefined || getParam(params, ORIGINAL) !== undefined) return line;
      if (!windowsToIana(tzid.trim())) return line;
      return `${name}${setParam(params, ORIGINAL, `"${tzid.trim()}"`)}:${value}`;
    }),
  );
}

/**
 * On the way out: every TZID the stored object maps from a Windows name gets that name back (all
 * references of the zone, so the object names one zone once), and so does its VTIMEZONE.
 */
export function restoreWindowsTzids(text: string): string {
  if (!text.includes(ORIGINAL)) return text;
  return editLines(text, (lines) => {
    const renamed = new Map<string, string>();
    for (const line of lines) {
      const { params } = splitLine(line);
      const original = getParam(params, ORIGINAL);
      const tzid = getParam(params, 'TZID');
      if (original !== undefined && tzid !== undefined && !renamed.has(tzid)) renamed.set(tzid, original);
    }
    return lines.map((line) => {
      const { name, params, value } = splitLine(line);
      if (propName(line) === 'TZID' && params === '') {
        const original = renamed.get(value.trim());
        return original === undefined ? line : `${name}:${original}`;
      }
      const tzid = getParam(params, 'TZID');
      if (tzid === undefined) return line;
      const original = renamed.get(tzid);
      let p = setParam(params, ORIGINAL, undefined);
      if (original !== undefined) p = setParam(p, 'TZID', paramValue(original));
      return p === params ? line : `${name}${p}:${value}`;
    });
  });
}
