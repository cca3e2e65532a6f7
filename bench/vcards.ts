// Deterministic generator of realistic vCards for the benchmark: names from several languages (with
// non-ASCII letters), 1–3 e-mails and phones, postal addresses, organisations and titles, notes with
// escaped characters, birthdays, categories, and for a fifth of the cards a ~5 KB base64 JPEG PHOTO,
// folded at 75 octets the way Apple Contacts and DAVx5 write it. Same seed, same bytes.
import { fold } from '../src/lib/vcard-write.ts';
import { mulberry32 } from '../test/support/prng.ts';

/** mulberry32 (test/support/prng.ts): a small, fast, seedable PRNG (uniform in [0, 1)). */
export const prng = mulberry32;

const GIVEN = (
  'Anna|Ben|Chloé|David|Elif|Fatima|Georg|Hannah|Ibrahim|Jörg|Kenji|Lucía|Mateo|Nadia|Olga|Pierre|' +
  'Quentin|Rosa|Søren|Tomás|Uma|Valentina|Wei|Xavier|Yusuf|Zoë|Agnieszka|Björn|Camille|Dmitri|Emma|' +
  'François|Grace|Hiroshi|Ingrid|José|Katarzyna|Liam|Mei|Noah|Oskar|Priya|Raphaël|Sofia|Thomas|' +
  'Ulrike|Viktor'
).split('|');
const FAMILY = (
  "Müller|Smith|García|Nguyen|Kowalski|Rossi|Dubois|Johansson|Yılmaz|Tanaka|O'Brien|Schmidt|" +
  'Fernández|Andersen|Novák|Silva|van der Berg|Ivanova|Chen|Khan|Martin|Bernard|Jensen|' +
  'Papadopoulos|Horvát|Wójcik|Lefèvre|Østergaard|Kim|Patel|Brown|Wilson|Taylor|Becker|Hoffmann|' +
  'Fischer|Weber|Moreau|Laurent|Costa'
).split('|');
const COMPANIES = (
  'Acme\\, Inc.|Globex GmbH|Initech|Umbrella Research|Stark Industries|Wayne Enterprises|Hooli|' +
  'Vandelay Industries|Soylent Corp.|Tyrell Corporation|Cyberdyne Systems|Aperture Labs|' +
  'Müller & Söhne KG|Nordisk Træ A/S|Boulangerie Dupont|Universidad de Sevilla|City Hospital'
).split('|');
const DEPARTMENTS = 'Research|Sales|Engineering|Finance|Legal|Marketing|Operations|Support'.split('|');
const TITLES = (
  'Engineer|Senior Engineer|Account Manager|Director of Sales|CEO|CTO|Nurse|Professor|Baker|' +
  'Consultant|Designer|Product Manager|Accountant|Lawyer|Teacher'
).split('|');
const STREETS = 'Hauptstraße|Main Street|Rue de la Paix|Calle Mayor|Via Roma|Kongensgade|Elm Avenue'.split('|');
const CITIES: [string, string, string, string][] = [
  ['Berlin', '', '10115', 'Germany'],
  ['München', 'Bayern', '80331', 'Germany'],
  ['Paris', '', '75002', 'France'],
  ['Madrid', '', '28013', 'Spain'],
  ['Roma', 'RM', '00184', 'Italy'],
  ['København', '', '1302', 'Denmark'],
  ['Springfield', 'IL', '62701', 'USA'],
  ['Toronto', 'ON', 'M5H 2N2', 'Canada'],
  ['Tokyo', '', '100-0005', 'Japan'],
];
const DOMAINS = 'example.com|example.org|mail.example|posteo.example|uni.example.edu'.split('|');
const NOTES = [
  'Met at the conference in Lisbon\\, room 4. Interested in the API roadmap.',
  'Prefers e-mail over phone. Call only in emergencies\\; time zone CET.',
  'Birthday gift ideas: books\\, tea\\, hiking gear.\\nKids: Mia (7) and Leo (4).',
  'Former colleague from the Berlin office. Knows everyone at the ministry.',
  'Allergic to nuts. Vegetarian. Loves jazz and long walks.',
  'Landlord. Rent due on the 1st\\; maintenance requests via e-mail only.',
];
const CATEGORIES = 'Work|Friends|Family|VIP|Clients|Suppliers|Sports club'.split('|');

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

function int(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/ı/g, 'i')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/** A deterministic UUID-shaped UID. */
function uuid(rnd: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16))
      .join('')
      .toUpperCase();
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(rnd, ['8', '9', 'A', 'B'])}${hex(3)}-${hex(12)}`;
}

/** ~5 KB of base64: a JPEG header followed by pseudo-random bytes (incompressible like a real photo). */
function photo(rnd: () => number): string {
  const raw = Buffer.alloc(3840);
  raw.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
  for (let i = 12; i < raw.length - 2; i++) raw[i] = Math.floor(rnd() * 256);
  raw[raw.length - 2] = 0xff;
  raw[raw.length - 1] = 0xd9;
  return raw.toString('base64');
}

function phone(rnd: () => number, country: string): string {
  const digits = (n: number) => Array.from({ length: n }, () => int(rnd, 0, 9)).join('');
  switch (country) {
    case 'Germany':
      return `+49 ${int(rnd, 151, 179)} ${digits(7)}`;
    case 'France':
      return `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`;
    case 'USA':
    case 'Canada':
      return `+1 (${int(rnd, 201, 989)}) 555-${digits(4)}`;
    default:
      return `+${int(rnd, 30, 81)} ${digits(3)} ${digits(6)}`;
  }
}

export interface GeneratedCard {
  uid: string;
  /** Resource name inside the address book, e.g. `4F1C…-….vcf`. */
  name: string;
  text: string;
  hasPhoto: boolean;
}

export interface GenerateOptions {
  seed?: number;
  /** Share of cards with a PHOTO (default 0.2: every fifth card, so exactly 20 %). */
  photoShare?: number;
  /** Offset of the first card's index (distinct UIDs for a second batch). */
  offset?: number;
}

/** One realistic vCard 3.0 (the version Apple clients and most CardDAV sync adapters write). */
export function vcard(index: number, rnd: () => number, withPhoto: boolean): GeneratedCard {
  const given = pick(rnd, GIVEN);
  const family = pick(rnd, FAMILY);
  const uid = uuid(rnd);
  const [city, region, zip, country] = pick(rnd, CITIES);
  const lines: string[] = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'PRODID:-//davgate bench//vcards.ts//EN',
    `N:${family};${given};;;`,
    `FN:${given} ${family}`,
  ];
  if (rnd() < 0.75) {
    lines.push(`ORG:${pick(rnd, COMPANIES)};${pick(rnd, DEPARTMENTS)}`);
    lines.push(`TITLE:${pick(rnd, TITLES)}`);
  }
  const local = `${ascii(given)}.${ascii(family)}${index % 7 === 0 ? index : ''}`;
  const emails = int(rnd, 1, 3);
  for (let i = 0; i < emails; i++) {
    const type = i === 0 ? 'INTERNET;type=WORK;type=pref' : pick(rnd, ['INTERNET;type=HOME', 'INTERNET;type=OTHER']);
    lines.push(`item${i + 1}.EMAIL;type=${type}:${local}${i > 0 ? i : ''}@${pick(rnd, DOMAINS)}`);
    if (i > 0 && rnd() < 0.3) lines.push(`item${i + 1}.X-ABLabel:_$!<Other>!$_`);
  }
  const phones = int(rnd, 1, 3);
  for (let i = 0; i < phones; i++) {
    const type = ['CELL;type=VOICE;type=pref', 'WORK;type=VOICE', 'HOME;type=VOICE'][i];
    lines.push(`TEL;type=${type}:${phone(rnd, country)}`);
  }
  const addresses = rnd() < 0.6 ? int(rnd, 1, 2) : 0;
  for (let i = 0; i < addresses; i++) {
    const street = `${pick(rnd, STREETS)} ${int(rnd, 1, 240)}`;
    lines.push(`ADR;type=${i === 0 ? 'HOME;type=pref' : 'WORK'}:;;${street};${city};${region};${zip};${country}`);
  }
  if (rnd() < 0.4) {
    const m = String(int(rnd, 1, 12)).padStart(2, '0');
    const d = String(int(rnd, 1, 28)).padStart(2, '0');
    lines.push(`BDAY:${int(rnd, 1940, 2005)}-${m}-${d}`);
  }
  if (rnd() < 0.3) lines.push(`URL;type=WORK:https://www.${pick(rnd, DOMAINS)}/~${ascii(family)}`);
  if (rnd() < 0.35) lines.push(`NOTE:${pick(rnd, NOTES)}`);
  if (rnd() < 0.5) lines.push(`CATEGORIES:${pick(rnd, CATEGORIES)}${rnd() < 0.3 ? `,${pick(rnd, CATEGORIES)}` : ''}`);
  if (withPhoto) lines.push(`PHOTO;ENCODING=b;TYPE=JPEG:${photo(rnd)}`);
  const rev = new Date(Date.UTC(2020, 0, 1) + Math.floor(rnd() * 5 * 365 * 86_400_000));
  lines.push(`REV:${rev.toISOString().replace(/\.\d{3}/, '')}`);
  lines.push(`UID:${uid}`);
  lines.push('END:VCARD');
  return { uid, name: `${uid}.vcf`, text: `${lines.map(fold).join('\r\n')}\r\n`, hasPhoto: withPhoto };
}

/** `count` cards; every (1 / photoShare)-th one carries a PHOTO. */
export function generateVcards(count: number, options: GenerateOptions = {}): GeneratedCard[] {
  const offset = options.offset ?? 0;
  const rnd = prng((options.seed ?? 20_240_601) + offset);
  const every = Math.round(1 / (options.photoShare ?? 0.2));
  const out: GeneratedCard[] = [];
  for (let i = 0; i < count; i++) out.push(vcard(offset + i, rnd, (offset + i) % every === 0));
  return out;
}
