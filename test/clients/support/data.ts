// Calendar and address data as the clients of the sessions write it (CRLF, their property habits).

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

export interface EventOpts {
  uid: string;
  summary?: string;
  start?: string;
  end?: string;
  /** Extra lines inside the VEVENT (before END:VEVENT). */
  extra?: string[];
  /** Extra lines at VCALENDAR level (after PRODID). */
  calendarExtra?: string[];
  prodid?: string;
  /** A VTIMEZONE block and TZID for DTSTART/DTEND. */
  timezone?: { tzid: string; block: string[] };
}

export function event(o: EventOpts): string {
  const tz = o.timezone ? `;TZID=${o.timezone.tzid}` : '';
  const stamp = o.timezone ? '' : 'Z';
  return crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${o.prodid ?? '-//davgate tests//client session//EN'}`,
    ...(o.calendarExtra ?? []),
    ...(o.timezone?.block ?? []),
    'BEGIN:VEVENT',
    `UID:${o.uid}`,
    'DTSTAMP:20260101T090000Z',
    `DTSTART${tz}:${o.start ?? `20260310T100000${stamp}`}`,
    `DTEND${tz}:${o.end ?? `20260310T110000${stamp}`}`,
    `SUMMARY:${o.summary ?? 'Planning'}`,
    ...(o.extra ?? []),
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
}

/** An invitation as the organiser's server stored it: alice is an attendee. */
export function invitation(uid: string, partstat: string, extra: string[] = []): string {
  return event({
    uid,
    summary: 'Quarterly review',
    extra: [
      'ORGANIZER;CN=Bob Example:mailto:bob@example.com',
      'ATTENDEE;CN=Bob Example;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:bob@example.com',
      `ATTENDEE;CN=Alice Example;PARTSTAT=${partstat};RSVP=TRUE:mailto:alice@example.com`,
      'SEQUENCE:0',
      ...extra,
    ],
  });
}

/** An event with a reminder 15 minutes before. */
export function eventWithAlarm(uid: string, eventExtra: string[] = [], alarmExtra: string[] = []): string {
  return event({
    uid,
    summary: 'Birthday: Carol',
    extra: [
      ...eventExtra,
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:Reminder',
      'TRIGGER:-PT15M',
      ...alarmExtra,
      'END:VALARM',
    ],
  });
}

export interface CardOpts {
  uid: string;
  fn?: string;
  version?: '3.0' | '4.0';
  extra?: string[];
}

export function card(o: CardOpts): string {
  const fn = o.fn ?? 'Jane Doe';
  const [given, family] = fn.split(' ');
  return crlf([
    'BEGIN:VCARD',
    `VERSION:${o.version ?? '3.0'}`,
    `UID:${o.uid}`,
    `FN:${fn}`,
    `N:${family ?? ''};${given};;;`,
    `EMAIL;TYPE=INTERNET:${given.toLowerCase()}@example.com`,
    ...(o.extra ?? []),
    'END:VCARD',
  ]);
}

/** Stable part of a body for comparisons: unfolded lines without DTSTAMP. */
export function lines(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split(/\r\n/)
    .filter((l) => l !== '');
}
