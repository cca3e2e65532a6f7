// vCard fixtures for the CardDAV tests: shapes real clients send (Apple 3.0 with item groups and
// a folded PHOTO, Thunderbird/DAVx5 4.0, both group encodings — quirks.md Q23–Q25) and broken ones.

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** iOS/macOS Contacts, vCard 3.0: item groups with X-ABLabel, a folded base64 PHOTO (Q25). */
export const APPLE_V3 = crlf([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//iPhone OS 17.4//EN',
  'N:Müller;Jörg;;Dr.;',
  'FN:Dr. Jörg Müller',
  'ORG:Acme\\, Inc.;Research',
  'item1.EMAIL;type=INTERNET;type=pref:joerg@acme.example',
  'item1.X-ABLabel:_$!<Other>!$_',
  'EMAIL;type=INTERNET;type=HOME:jm@home.example',
  'TEL;type=CELL;type=VOICE;type=pref:+49 170 1234567',
  'item2.ADR;type=WORK;type=pref:;;Hauptstraße 1;Berlin;;10115;Germany',
  'item2.X-ABADR:de',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHR',
  ' ofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAA',
  ' AAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==',
  'NOTE:Met at the conference\\nRoom 4',
  'X-ABUID:6B29FC40-CA47-1067-B31D-00DD010662DA:ABPerson',
  'UID:6B29FC40-CA47-1067-B31D-00DD010662DA',
  'REV:2024-03-01T10:00:00Z',
  'END:VCARD',
]);

/** Thunderbird native CardDAV writes vCard 4.0 (Q23). */
export const THUNDERBIRD_V4 = crlf([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'PRODID:-//Thunderbird//NONSGML Thunderbird 115//EN',
  'UID:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d',
  'FN:Ada Lovelace',
  'N:Lovelace;Ada;;;',
  'EMAIL;PREF=1:ada@analytical.example',
  'EMAIL;TYPE=work:countess@lovelace.example',
  'TEL;VALUE=TEXT;TYPE=cell:+44 20 7946 0000',
  'CATEGORIES:Mathematics,Friends',
  'BDAY;VALUE=DATE:18151210',
  'END:VCARD',
]);

/** DAVx5 vCard 4.0 group (KIND:group + MEMBER, Q24). */
export const DAVX5_GROUP_V4 = crlf([
  'BEGIN:VCARD',
  'VERSION:4.0',
  'PRODID:+//IDN bitfire.at//DAVx5/4.3 ez-vcard/0.11.3',
  'UID:0b5f6c3a-2f3e-4c63-8c2b-9b8f1a7e6d10',
  'KIND:group',
  'FN:Book club',
  'MEMBER:urn:uuid:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d',
  'MEMBER:urn:uuid:6B29FC40-CA47-1067-B31D-00DD010662DA',
  'END:VCARD',
]);

/** Apple vCard 3.0 group (X-ADDRESSBOOKSERVER-KIND, Q24). */
export const APPLE_GROUP_V3 = crlf([
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//AddressBook 6.1//EN',
  'N:Book club;;;;',
  'FN:Book club',
  'X-ADDRESSBOOKSERVER-KIND:group',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:d2a3c7e1-5f4b-4c1e-9d62-0f1e2a3b4c5d',
  'UID:5C1A9E2B-3D4F-4A6B-8C7D-9E0F1A2B3C4D',
  'END:VCARD',
]);

/** A minimal card with the given extra lines (3.0). */
export function card(uid: string, extra: string[] = [], version: '3.0' | '4.0' = '3.0'): string {
  return crlf(['BEGIN:VCARD', `VERSION:${version}`, `UID:${uid}`, `FN:Card ${uid}`, ...extra, 'END:VCARD']);
}

/**
 * The four sample cards of the php carddavclient interop suite (mstilkerich/carddavclient
 * tests/Interop/AddressbookQueryTest.php); their expected query results are the spec we test against.
 */
export const INTEROP_SAMPLES = [
  card('interop-0', [
    'NICKNAME:Jonny0',
    'EMAIL;TYPE=WORK:doe@big.corp',
    'EMAIL;TYPE=HOME:johndoe@example.com',
    'X-CUSTOMPROP;X-CUSTOMPARAM=WORK:foobar',
  ]),
  card('interop-1', [
    'NICKNAME:Jonny1',
    'EMAIL:maxmu@abcd.com',
    'X-CUSTOMPROP;X-CUSTOMPARAM=HOME,WORK;X-SPACEPARAM="HELLO, WORLD":foobar',
  ]),
  card('interop-2', ['NICKNAME:Jonny2', 'TEL;TYPE=HOME:12345', 'TEL:555']),
  card('interop-3', [
    'NICKNAME:Jonny3',
    'item1.EMAIL:foo@ex.com',
    'item1.X-ABLABEL:CustomLabel',
    'IMPP;X-SERVICE-TYPE=Jabber;TYPE=HOME:xmpp:foo@example.com',
  ]),
];

export const BROKEN = {
  noUid: crlf(['BEGIN:VCARD', 'VERSION:4.0', 'FN:No Uid', 'END:VCARD']),
  noVersion: crlf(['BEGIN:VCARD', 'UID:x', 'FN:No Version', 'END:VCARD']),
  version21: crlf(['BEGIN:VCARD', 'VERSION:2.1', 'UID:x', 'N:Old;Card', 'END:VCARD']),
  two: card('a') + card('b'),
  calendar: crlf(['BEGIN:VCALENDAR', 'VERSION:2.0', 'UID:x', 'END:VCALENDAR']),
  unterminated: crlf(['BEGIN:VCARD', 'VERSION:3.0', 'UID:x', 'FN:Cut']),
  badLine: crlf(['BEGIN:VCARD', 'VERSION:3.0', 'UID:x', 'this is not a content line', 'END:VCARD']),
  mismatchedEnd: crlf(['BEGIN:VCARD', 'VERSION:3.0', 'UID:x', 'END:VCALENDAR']),
  empty: '',
};
