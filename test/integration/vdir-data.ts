// Realistic calendar objects and vCards for the sync tests, generated deterministically from an index
// and a revision: the shapes that Apple, Google, Thunderbird and DAVx5 produce (time zones with
// VTIMEZONE, all-day, recurrence with overrides, attendees and alarms; vCard 3.0 with Apple groups and
// photos, vCard 4.0 with urn:uuid UIDs), non-ASCII text and lines folded at 75 octets (RFC 5545 §3.1).
import { createHash } from 'node:crypto';

const CRLF = '\r\n';

/** Folds one content line at 75 octets without splitting a UTF-8 sequence. */
export function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let curBytes = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (curBytes + n > limit) {
      out.push(cur);
      cur = ' ';
      curBytes = 1;
      limit = 75;
    }
    cur += ch;
    curBytes += n;
  }
  out.push(cur);
  return out.join(CRLF);
}

const lines = (ls: string[]) => `${ls.map(fold).join(CRLF)}${CRLF}`;
const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const text = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/([,;])/g, '\\$1');

/** UIDs as clients make them: Apple's upper-case UUIDs, Google's @google.com, plain slugs. */
function uidFor(kind: 'event' | 'contact', i: number): string {
  const h = hex(`${kind}-${i}`, 32);
  switch (i % 3) {
    case 0:
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`.toUpperCase();
    case 1:
      return kind === 'event'
        ? `${h.slice(0, 26)}@google.com`
        : `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    default:
      return `davgate-${kind}-${pad(i, 4)}`;
  }
}

const PEOPLE = [
  ['Zoë', 'Ångström'],
  ['Łukasz', 'Żółć'],
  ['José', 'Nuñez'],
  ['Ольга', 'Петрова'],
  ['太郎', '田中'],
  ['Anne-Marie', "O'Neill"],
  ['Jürgen', 'Groß'],
  ['Siobhán', 'Ní Bhriain'],
  ['Mehmet', 'Yılmaz'],
  ['Chloé', 'Dubois'],
] as const;

const TOPICS = [
  'Sprint review',
  'Zahnarzt',
  'Café with Zoë',
  'Board meeting; Q3',
  'Yoga',
  'Flight LH 400 → JFK',
  'Kita-Fest 🎉',
  '1:1',
];

const TZ: Record<string, string[]> = {
  'Europe/Berlin': [
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Berlin',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'TZNAME:CEST',
    'DTSTART:19700329T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'TZNAME:CET',
    'DTSTART:19701025T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
  'America/New_York': [
    'BEGIN:VTIMEZONE',
    'TZID:America/New_York',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:-0500',
    'TZOFFSETTO:-0400',
    'TZNAME:EDT',
    'DTSTART:20070311T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:-0400',
    'TZOFFSETTO:-0500',
    'TZNAME:EST',
    'DTSTART:20071104T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
};

export interface Generated {
  uid: string;
  body: string;
}

/** Event `i` at revision `rev` (0 = as first written; each edit changes summary, description, sequence). */
export function makeEvent(i: number, rev = 0, editor = ''): Generated {
  const uid = uidFor('event', i);
  const day = new Date(Date.UTC(2026, 0, 5) + i * 86_400_000 * 1.5);
  const ymd = `${day.getUTCFullYear()}${pad(day.getUTCMonth() + 1)}${pad(day.getUTCDate())}`;
  const hour = 8 + (i % 9);
  const [first, last] = PEOPLE[i % PEOPLE.length];
  const summary = `${TOPICS[i % TOPICS.length]} #${i}${rev ? ` (rev ${rev}${editor ? ` by ${editor}` : ''})` : ''}`;
  const description = text(
    `Agenda for #${i}:\n1. Status, risks; blockers\n2. Next steps — owner ${first} ${last}\nRevision ${rev}. ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(1 + (i % 3))}`,
  );
  const common = [
    `UID:${uid}`,
    'DTSTAMP:20260101T080000Z',
    `CREATED:20251201T10${pad(i % 60)}00Z`,
    `LAST-MODIFIED:202601${pad(1 + rev)}T120000Z`,
    `SEQUENCE:${rev}`,
    `SUMMARY:${text(summary)}`,
    `DESCRIPTION:${description}`,
  ];
  const variant = i % 6;
  const body: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${['-//Apple Inc.//macOS 15.2//EN', '-//Google Inc//Google Calendar 70.9054//EN', '-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN'][i % 3]}`,
    'CALSCALE:GREGORIAN',
  ];
  if (variant === 1 || variant === 5) body.push(...TZ['Europe/Berlin']);
  if (variant === 4) body.push(...TZ['America/New_York']);
  const vevent = (extra: string[]) => ['BEGIN:VEVENT', ...common, ...extra, 'END:VEVENT'];
  switch (variant) {
    case 0:
      body.push(
        ...vevent([
          `DTSTART:${ymd}T${pad(hour)}0000Z`,
          `DTEND:${ymd}T${pad(hour + 1)}3000Z`,
          `LOCATION:${text(`Room ${i % 12}, Building B; 2nd floor`)}`,
          'CATEGORIES:Work,Meetings',
          'STATUS:CONFIRMED',
        ]),
      );
      break;
    case 1:
      body.push(
        ...vevent([
          `DTSTART;TZID=Europe/Berlin:${ymd}T${pad(hour)}0000`,
          `DTEND;TZID=Europe/Berlin:${ymd}T${pad(hour + 1)}0000`,
          `ORGANIZER;CN="${first} ${last}":mailto:${first.toLowerCase()}@example.org`,
          `ATTENDEE;CN=Alice Example;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:alice@example.com`,
          `ATTENDEE;CN="Bob, the builder";ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com`,
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          'DESCRIPTION:Reminder',
          'TRIGGER:-PT15M',
          'END:VALARM',
        ]),
      );
      break;
    case 2: {
      const end = new Date(day.getTime() + 86_400_000 * (1 + (i % 3)));
      body.push(
        ...vevent([
          `DTSTART;VALUE=DATE:${ymd}`,
          `DTEND;VALUE=DATE:${end.getUTCFullYear()}${pad(end.getUTCMonth() + 1)}${pad(end.getUTCDate())}`,
          'TRANSP:TRANSPARENT',
          'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE',
        ]),
      );
      break;
    }
    case 3:
      body.push(
        ...vevent([
          `DTSTART:${ymd}T${pad(hour)}3000Z`,
          'DURATION:PT45M',
          'RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE',
          `EXDATE:${ymd}T${pad(hour)}3000Z`,
        ]),
      );
      break;
    case 4:
      body.push(
        ...vevent([
          `DTSTART;TZID=America/New_York:${ymd}T${pad(hour)}0000`,
          `DTEND;TZID=America/New_York:${ymd}T${pad(hour + 2)}0000`,
          `URL:https://meet.example.com/${hex(`url-${i}`, 12)}`,
          `LOCATION:${text('Café “Zum Löwen”, Straße 7')}`,
        ]),
      );
      break;
    default: {
      const start = `DTSTART;TZID=Europe/Berlin:${ymd}T${pad(hour)}0000`;
      body.push(...vevent([start, `DTEND;TZID=Europe/Berlin:${ymd}T${pad(hour + 1)}0000`, 'RRULE:FREQ=DAILY;COUNT=5']));
      const next = new Date(day.getTime() + 2 * 86_400_000);
      const nymd = `${next.getUTCFullYear()}${pad(next.getUTCMonth() + 1)}${pad(next.getUTCDate())}`;
      // An overridden instance in the same resource, as Apple and Thunderbird store it.
      body.push(
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'DTSTAMP:20260101T080000Z',
        `RECURRENCE-ID;TZID=Europe/Berlin:${nymd}T${pad(hour)}0000`,
        `DTSTART;TZID=Europe/Berlin:${nymd}T${pad(hour + 2)}0000`,
        `DTEND;TZID=Europe/Berlin:${nymd}T${pad(hour + 3)}0000`,
        `SUMMARY:${text(`${summary} (moved)`)}`,
        `SEQUENCE:${rev}`,
        'END:VEVENT',
      );
    }
  }
  body.push('END:VCALENDAR');
  return { uid, body: lines(body) };
}

/** Deterministic bytes standing in for a small JPEG (what matters is the size and base64 folding). */
function photo(i: number, bytes: number): string {
  const chunks: Buffer[] = [Buffer.from([0xff, 0xd8, 0xff, 0xe0])];
  for (let n = 0; Buffer.concat(chunks).length < bytes; n++)
    chunks.push(createHash('sha256').update(`photo-${i}-${n}`).digest());
  return Buffer.concat(chunks).subarray(0, bytes).toString('base64');
}

/** Contact `i` at revision `rev` (each edit changes the phone number, note and title). */
export function makeContact(i: number, rev = 0, editor = ''): Generated {
  const uid = uidFor('contact', i);
  const [first, last] = PEOPLE[i % PEOPLE.length];
  const given = `${first}${i >= PEOPLE.length ? ` ${Math.floor(i / PEOPLE.length)}` : ''}`;
  const mail = `${
    first
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase() || 'contact'
  }.${i}@example.org`;
  const phone = `+49 30 ${pad(1000 + i * 7 + rev * 13, 6)}`;
  const note = text(
    `Met at conference #${i % 17}; likes coffee, not tea.\nRevision ${rev}${editor ? ` by ${editor}` : ''}.`,
  );
  const title = `${['Engineer', 'Designer', 'Manager', 'Chef de projet', 'Geschäftsführerin'][i % 5]}${rev ? ` (rev ${rev})` : ''}`;
  if (i % 2 === 0) {
    // vCard 3.0 as Apple Contacts and DAVx5 write it.
    const v = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'PRODID:-//Apple Inc.//iPhone OS 18.2//EN',
      `N:${text(last)};${text(given)};;;`,
      `FN:${text(`${given} ${last}`)}`,
      `ORG:${text(`Example ${['GmbH', 'Ltd.', 'S.A.', 'Inc.'][i % 4]}`)};R&D`,
      `TITLE:${text(title)}`,
      `EMAIL;type=INTERNET;type=WORK;type=pref:${mail}`,
      `TEL;type=CELL;type=VOICE;type=pref:${phone}`,
      `item1.ADR;type=HOME;type=pref:;;${text(`Hauptstraße ${i}`)};Berlin;;10115;Germany`,
      'item1.X-ABADR:de',
      `item2.URL;type=pref:https://example.org/people/${i}`,
      'item2.X-ABLabel:_$!<HomePage>!$_',
      `BDAY:19${pad(60 + (i % 40))}-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`,
      `NOTE:${note}`,
      'CATEGORIES:Friends,Work',
    ];
    if (i % 5 === 0) v.push(`PHOTO;ENCODING=b;TYPE=JPEG:${photo(i, 1500 + (i % 7) * 300)}`);
    v.push(`REV:2026-01-${pad(1 + rev)}T12:00:00Z`, `UID:${uid}`, 'END:VCARD');
    return { uid, body: lines(v) };
  }
  // vCard 4.0 (RFC 6350) as Thunderbird and Nextcloud write it.
  const v = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    'PRODID:-//Mozilla.org/NONSGML Thunderbird 128//EN',
    'KIND:individual',
    `UID:${uid}`,
    `FN:${text(`${given} ${last}`)}`,
    `N:${text(last)};${text(given)};;;`,
    `EMAIL;TYPE=work;PREF=1:${mail}`,
    `TEL;VALUE=uri;TYPE="voice,cell":tel:${phone.replace(/ /g, '-')}`,
    `TITLE:${text(title)}`,
    `ANNIVERSARY:2010${pad(1 + (i % 12))}${pad(1 + (i % 28))}`,
    `GENDER:${['F', 'M', 'O', 'N', 'U'][i % 5]}`,
    `LANG;PREF=1:${['de', 'en', 'fr', 'ja', 'ru'][i % 5]}`,
    `NOTE:${note}`,
  ];
  if (i % 5 === 0) v.push(`PHOTO:data:image/jpeg;base64,${photo(i, 1200)}`);
  v.push(`REV:202601${pad(1 + rev)}T120000Z`, 'END:VCARD');
  return { uid, body: lines(v) };
}

/** The UID of a calendar object or vCard (first UID property, unfolded). */
export function uidOf(body: string): string | undefined {
  const m = /^UID:(.*)$/m.exec(body.replace(/\r?\n[ \t]/g, ''));
  return m?.[1].trim();
}

/** Line endings do not survive XML (§2.11 of XML 1.0 turns CRLF into LF), so folders compare without them. */
export function sameText(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}
