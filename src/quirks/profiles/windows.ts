// Windows 10 Mail/Calendar and Windows Phone (MSFT-WIN-*, MSFT-WP): quirks §0 row 5, Q01, Q12.
import type { QuirkProfile } from '../profile.ts';

export const windows: QuirkProfile = {
  id: 'windows',
  description: 'Windows 10/Phone calendar (MSFT-): REPORT with Depth: 0 on a calendar is answered as Depth: 1',
  evidence: [
    'quirks Q12: calendar-query with Depth: 0 on the calendar; "Without it Windows shows calendars but no events" (sabre-io/dav lib/CalDAV/Plugin.php, sabre-io/dav#727, #737; windowsphone-01-calendar-query-depth0.xml)',
    'quirks §2: "MSFT-WIN-4/10.0.10586 (gzip)", "MSFT-WP/10.0.10240 (gzip)"',
  ],
  match: /^MSFT-(?:WIN|WP)/,
  version: /^MSFT-\w+(?:-\d+)?\/([\d.]+)/,
  options: { calendarQueryDepth0AsDepth1: true },
  // Makes the request standard for the core: every REPORT it sends means the members.
  request: (req) => {
    if (req.method !== 'REPORT' || req.headers.get('depth')?.trim() !== '0') return req;
    const headers = new Headers(req.headers);
    headers.set('Depth', '1');
    return { ...req, headers };
  },
};
