// vCard 3.0 (RFC 2426) ⇄ 4.0 (RFC 6350) conversion and the three contact-group flavours (quirks Q23,
// Q24): vCard 4 KIND:group + MEMBER, Apple X-ADDRESSBOOKSERVER-KIND + X-ADDRESSBOOKSERVER-MEMBER, and
// SOGo's BEGIN:VLIST lists (text/x-vlist). Content lines are parsed one by one with ical.js (the
// parameters and the value type of each property); a line that needs no change is kept byte for
// byte, a changed one is rewritten with its raw value, so escaping and unknown properties survive.
// The mappings follow sabre/vobject's VCardConverter and Cyrus (quirks Q23): PHOTO binary ⇄ data:
// URI, TYPE=pref ⇄ PREF=1, year-less BDAY ⇄ X-APPLE-OMIT-YEAR, ANNIVERSARY ⇄ X-ANNIVERSARY,
// KIND:org ⇄ X-ABSHOWAS:COMPANY, N required and trimmed in 3.0, ADR trimmed to 7 components.
import ICAL from 'ical.js';
import { contentLine, fold, vcardText } from '../lib/vcard-write.ts';
import { logicalLines, valueColon } from './address-data.ts';

export type VcardVersion = '3.0' | '4.0';
export type GroupFlavour = 'vcard4' | 'apple' | 'vlist';

export const VLIST_CONTENT_TYPE = 'text/x-vlist; charset=utf-8';
export const VCARD_CONTENT_TYPE = 'text/vcard; charset=utf-8';

/** One logical content line. `physical` is the original text, dropped once the line is changed. */
export interface CardLine {
  group?: string;
  /** Upper-case property name. */
  name: string;
  /** Parameters in order, upper-case names, decoded values. */
  params: [string, string[]][];
  /** The value as written (escaped as its type requires). */
  value: string;
  physical?: string[];
}

const DESIGN = {
  '3.0': ICAL.design.getDesignSet('vcard3'),
  '4.0': ICAL.design.getDesignSet('vcard'),
};

/** Parses the content lines of one vCard (or VLIST) of `version`; BEGIN/END are lines too. */
export function parseLines(text: string, version: VcardVersion = '3.0'): CardLine[] {
  const out: CardLine[] = [];
  for (const physical of logicalLines(text.replace(/^\uFEFF/, ''))) {
    const unfolded = physical.map((l, i) => (i === 0 ? l : l.slice(1))).join('');
    const colon = valueColon(unfolded);
    const head = colon < 0 ? unfolded : unfolded.slice(0, colon);
    const value = colon < 0 ? '' : unfolded.slice(colon + 1);
    const nameEnd = head.search(/;|$/);
    const qualified = head.slice(0, nameEnd);
    const dot = qualified.lastIndexOf('.');
    const group = dot < 0 ? undefined : qualified.slice(0, dot);
    const name = qualified.slice(dot + 1).toUpperCase();
    const params: [string, string[]][] = [];
    if (nameEnd < head.length) {
      try {
        const parsed = ICAL.parse.property(`X-P${head.slice(nameEnd)}:x`, DESIGN[version]) as [
          string,
          Record<string, string | string[]>,
        ];
        for (const [k, v] of Object.entries(parsed[1])) {
          params.push([k.toUpperCase(), (Array.isArray(v) ? v : [v]).map(String)]);
        }
        // ical.js folds VALUE= into the value type; keep it as the parameter it was.
        const valueParam = /;VALUE=([^;:]+)/i.exec(head.slice(nameEnd));
        if (valueParam) params.push(['VALUE', [valueParam[1]]]);
      } catch {
        // Unparsable parameters: keep the line as it is (it is never rewritten without them).
        out.push({ ...(group ? { group } : {}), name, params: [['X-UNPARSED', []]], value, physical });
        continue;
      }
    }
    out.push({ ...(group ? { group } : {}), name, params, value, physical });
  }
  return out;
}

/** Writes lines back: unchanged ones as they were, changed ones folded afresh. */
export function writeLines(lines: CardLine[]): string {
  const out: string[] = [];
  for (const l of lines) {
    if (l.physical) out.push(...l.physical);
    else {
      const params = Object.fromEntries(l.params.map(([k, v]) => [k, v]));
      out.push(fold(contentLine(l.name, params, l.value, l.group)));
    }
  }
  return `${out.join('\r\n')}\r\n`;
}

function param(l: CardLine, name: string): string[] | undefined {
  return l.params.find(([k]) => k === name)?.[1];
}

function setParam(l: CardLine, name: string, values: string[] | undefined): void {
  const i = l.params.findIndex(([k]) => k === name);
  if (values === undefined || values.length === 0) {
    if (i >= 0) l.params.splice(i, 1);
  } else if (i >= 0) l.params[i] = [name, values];
  else l.params.push([name, values]);
  delete l.physical;
}

function change(l: CardLine, patch: Partial<Pick<CardLine, 'name' | 'value'>>): void {
  Object.assign(l, patch);
  delete l.physical;
}

/** Splits a structured value on unescaped `;`. */
export function components(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      cur += ch + value[i + 1];
      i++;
    } else if (ch === ';') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Unescapes a TEXT value (RFC 6350 §3.4). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

function escapeTextValue(value: string): string {
  return value.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

export function versionOf(lines: CardLine[]): VcardVersion | undefined {
  const v = lines.find((l) => l.name === 'VERSION')?.value.trim();
  return v === '3.0' || v === '4.0' ? v : undefined;
}

const MIME_PREFIX: Record<string, string> = { PHOTO: 'image', LOGO: 'image', SOUND: 'audio', KEY: 'application' };

function removeTypeValue(l: CardLine, test: (v: string) => boolean): boolean {
  const types = param(l, 'TYPE');
  if (!types) return false;
  const kept = types.flatMap((t) => t.split(',')).filter((t) => !test(t));
  if (kept.length === types.flatMap((t) => t.split(',')).length) return false;
  setParam(l, 'TYPE', kept.length ? kept : undefined);
  return true;
}

/** '1985-04-12' → '19850412' (and the time part of a date-time), for 4.0's basic format. */
function basicDate(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/.exec(v.trim());
  if (!m) return v;
  return `${m[1]}${m[2]}${m[3]}${m[4] ? m[4].replace(/:/g, '') : ''}`;
}

/** '19850412' → '1985-04-12', the form 3.0 clients (Apple) write. */
function extendedDate(v: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(T(\d{2})(\d{2})(\d{2})(.*))?$/.exec(v.trim());
  if (!m) return v;
  return `${m[1]}-${m[2]}-${m[3]}${m[4] ? `T${m[5]}:${m[6]}:${m[7]}${m[8]}` : ''}`;
}

function to4(lines: CardLine[]): CardLine[] {
  const out: CardLine[] = [];
  const label: CardLine[] = [];
  let sortString: string | undefined;
  const hasKind = lines.some((l) => l.name === 'KIND' || l.name === 'X-ADDRESSBOOKSERVER-KIND');
  for (const l of lines) {
    if (l.name === 'VERSION') continue; // re-added first
    if (param(l, 'CHARSET')) setParam(l, 'CHARSET', undefined);
    if (removeTypeValue(l, (t) => t.toLowerCase() === 'pref') && !param(l, 'PREF')) setParam(l, 'PREF', ['1']);
    switch (l.name) {
      case 'PHOTO':
      case 'LOGO':
      case 'SOUND':
      case 'KEY': {
        const enc = param(l, 'ENCODING')?.[0]?.toLowerCase();
        if (enc === 'b' || enc === 'base64') {
          const type = (param(l, 'TYPE') ?? []).find((t) => !['pref', 'work', 'home'].includes(t.toLowerCase()));
          const sub = (type ?? (l.name === 'KEY' ? 'octet-stream' : 'jpeg')).toLowerCase().replace(/^.*\//, '');
          setParam(l, 'ENCODING', undefined);
          setParam(l, 'TYPE', undefined);
          change(l, { value: `data:${MIME_PREFIX[l.name]}/${sub};base64,${l.value.replace(/\s+/g, '')}` });
        } else if (param(l, 'VALUE')) setParam(l, 'VALUE', undefined);
        break;
      }
      case 'X-ADDRESSBOOKSERVER-KIND':
        change(l, { name: 'KIND', value: l.value.toLowerCase() });
        break;
      case 'X-ADDRESSBOOKSERVER-MEMBER':
        change(l, { name: 'MEMBER' });
        break;
      case 'X-ABSHOWAS':
        if (l.value.trim().toUpperCase() === 'COMPANY' && !hasKind) change(l, { name: 'KIND', value: 'org' });
        break;
      case 'X-ANNIVERSARY':
        change(l, { name: 'ANNIVERSARY', value: basicDate(l.value) });
        break;
      case 'BDAY': {
        const omit = param(l, 'X-APPLE-OMIT-YEAR')?.[0];
        const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(l.value.trim());
        if (omit && m && m[1] === omit) {
          setParam(l, 'X-APPLE-OMIT-YEAR', undefined);
          change(l, { value: `--${m[2]}${m[3]}` });
        } else if (/^\d{4}-\d{2}-\d{2}/.test(l.value.trim())) change(l, { value: basicDate(l.value) });
        break;
      }
      case 'LABEL':
        label.push(l);
        continue;
      case 'SORT-STRING':
        sortString = l.value;
        continue;
      case 'NAME':
      case 'PROFILE':
      case 'AGENT':
        continue;
      case 'MAILER':
      case 'CLASS':
        change(l, { name: `X-${l.name}` });
        break;
    }
    out.push(l);
  }
  // 3.0 LABEL → LABEL parameter of the ADR with the same type (or the first ADR).
  for (const lab of label) {
    const types = (param(lab, 'TYPE') ?? [])
      .map((t) => t.toLowerCase())
      .sort()
      .join(',');
    const adrs = out.filter((l) => l.name === 'ADR');
    const adr =
      adrs.find(
        (a) =>
          (param(a, 'TYPE') ?? [])
            .map((t) => t.toLowerCase())
            .sort()
            .join(',') === types,
      ) ?? adrs[0];
    if (adr && !param(adr, 'LABEL')) setParam(adr, 'LABEL', [unescapeText(lab.value)]);
  }
  if (sortString !== undefined) {
    const n = out.find((l) => l.name === 'N');
    if (n) setParam(n, 'SORT-AS', [unescapeText(sortString)]);
  }
  const begin = out.findIndex((l) => l.name === 'BEGIN');
  out.splice(begin + 1, 0, { name: 'VERSION', params: [], value: '4.0' });
  return out;
}

function to3(lines: CardLine[]): CardLine[] {
  const out: CardLine[] = [];
  const extra: CardLine[] = [];
  for (const l of lines) {
    if (l.name === 'VERSION') {
      out.push({ name: 'VERSION', params: [], value: '3.0' });
      continue;
    }
    const pref = param(l, 'PREF');
    if (pref) {
      setParam(l, 'PREF', undefined);
      setParam(l, 'TYPE', [...(param(l, 'TYPE') ?? []), 'pref']);
    }
    for (const p of ['PID', 'ALTID', 'CALSCALE', 'INDEX', 'LEVEL', 'CC', 'GEO', 'TZ']) {
      if (param(l, p)) setParam(l, p, undefined);
    }
    const valueType = param(l, 'VALUE')?.[0]?.toLowerCase();
    switch (l.name) {
      case 'PHOTO':
      case 'LOGO':
      case 'SOUND':
      case 'KEY': {
        const data = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/is.exec(l.value.trim());
        setParam(l, 'VALUE', undefined);
        const media = param(l, 'MEDIATYPE')?.[0];
        setParam(l, 'MEDIATYPE', undefined);
        if (data) {
          const mime = data[1] || media || `${MIME_PREFIX[l.name]}/jpeg`;
          const b64 = /;base64/i.test(data[2])
            ? data[3]
            : Buffer.from(decodeURIComponent(data[3]), 'latin1').toString('base64');
          setParam(l, 'ENCODING', ['b']);
          setParam(l, 'TYPE', [mime.replace(/^.*\//, '').toUpperCase()]);
          change(l, { value: b64 });
        } else setParam(l, 'VALUE', ['uri']);
        break;
      }
      case 'TEL':
        if (valueType === 'uri' || /^tel:/i.test(l.value)) change(l, { value: l.value.replace(/^tel:/i, '') });
        if (valueType) setParam(l, 'VALUE', undefined);
        break;
      case 'KIND': {
        const kind = l.value.trim().toLowerCase();
        if (kind === 'individual') continue;
        if (kind === 'org') change(l, { name: 'X-ABSHOWAS', value: 'COMPANY' });
        else change(l, { name: 'X-ADDRESSBOOKSERVER-KIND', value: kind });
        break;
      }
      case 'MEMBER':
        change(l, { name: 'X-ADDRESSBOOKSERVER-MEMBER' });
        break;
      case 'ANNIVERSARY':
        setParam(l, 'VALUE', undefined);
        change(l, { name: 'X-ANNIVERSARY', value: extendedDate(l.value) });
        break;
      case 'BDAY': {
        setParam(l, 'VALUE', undefined);
        const m = /^--(\d{2})-?(\d{2})$/.exec(l.value.trim());
        if (m) {
          setParam(l, 'X-APPLE-OMIT-YEAR', ['1604']);
          change(l, { value: `1604-${m[1]}-${m[2]}` });
        } else change(l, { value: extendedDate(l.value) });
        break;
      }
      case 'GENDER':
      case 'LANG':
        change(l, { name: `X-${l.name}` });
        break;
      case 'CLIENTPIDMAP':
      case 'XML':
        continue;
      case 'N': {
        const sortAs = param(l, 'SORT-AS');
        if (sortAs) {
          setParam(l, 'SORT-AS', undefined);
          extra.push({ name: 'SORT-STRING', params: [], value: escapeTextValue(sortAs.join(',')) });
        }
        const c = components(l.value);
        if (c.length > 5) change(l, { value: c.slice(0, 5).join(';') });
        break;
      }
      case 'ADR': {
        const label = param(l, 'LABEL');
        if (label) {
          setParam(l, 'LABEL', undefined);
          const types = param(l, 'TYPE');
          extra.push({ name: 'LABEL', params: types ? [['TYPE', types]] : [], value: escapeTextValue(label[0]) });
        }
        const c = components(l.value);
        if (c.length > 7) change(l, { value: c.slice(0, 7).join(';') });
        break;
      }
      default:
        if (valueType === 'text' && l.name !== 'X-UNPARSED') setParam(l, 'VALUE', undefined);
    }
    if (l.name === 'END') out.push(...extra);
    out.push(l);
  }
  // N is required in 3.0: derive it from FN.
  if (!out.some((l) => l.name === 'N')) {
    const fn = out.find((l) => l.name === 'FN');
    const end = out.findIndex((l) => l.name === 'END');
    out.splice(end, 0, { name: 'N', params: [], value: `${fn ? fn.value : ''};;;;` });
  }
  return out;
}

/** Converts the lines of a vCard to another version (a no-op when it already is). */
export function convertLines(lines: CardLine[], to: VcardVersion): CardLine[] {
  const from = versionOf(lines);
  if (from === to || from === undefined) return lines;
  return to === '4.0' ? to4(lines) : to3(lines);
}

export function isGroupCard(lines: CardLine[]): boolean {
  return lines.some(
    (l) => (l.name === 'KIND' || l.name === 'X-ADDRESSBOOKSERVER-KIND') && l.value.trim().toLowerCase() === 'group',
  );
}

/** Rewrites a group card into the vCard 4 or Apple encoding (other cards unchanged). */
export function groupFlavourLines(lines: CardLine[], flavour: 'vcard4' | 'apple'): CardLine[] {
  if (!isGroupCard(lines)) return lines;
  const fn = lines.find((l) => l.name === 'FN')?.value ?? '';
  const out: CardLine[] = [];
  for (const l of lines) {
    if (flavour === 'vcard4') {
      if (l.name === 'X-ADDRESSBOOKSERVER-KIND') change(l, { name: 'KIND', value: 'group' });
      else if (l.name === 'X-ADDRESSBOOKSERVER-MEMBER') change(l, { name: 'MEMBER' });
    } else {
      if (l.name === 'KIND') change(l, { name: 'X-ADDRESSBOOKSERVER-KIND', value: 'group' });
      else if (l.name === 'MEMBER') change(l, { name: 'X-ADDRESSBOOKSERVER-MEMBER' });
      else if (l.name === 'N') {
        // Apple shows a group by N, whose family name must equal FN (quirks Q23).
        if (components(l.value)[0] !== fn) change(l, { value: `${fn};;;;` });
      }
    }
    out.push(l);
  }
  if (flavour === 'apple' && !out.some((l) => l.name === 'N')) {
    out.splice(
      out.findIndex((l) => l.name === 'END'),
      0,
      { name: 'N', params: [], value: `${fn};;;;` },
    );
  }
  return out;
}

// ---- SOGo VLIST ------------------------------------------------------------------------------

export function isVlist(text: string): boolean {
  return /^\uFEFF?BEGIN:VLIST\s*$/im.test(text.slice(0, 64).split(/\r?\n/)[0] ?? '');
}

/** Another card of the collection, as far as a list needs it. */
export interface MemberCard {
  /** Resource name in the collection (what a VLIST CARD line references). */
  name: string;
  uid: string;
  fn?: string;
  email?: string;
}

/** Finds member cards by UID or by resource name (in the same address book). */
export interface MemberLookup {
  byUid(uids: string[]): Promise<Map<string, MemberCard>>;
  byName(names: string[]): Promise<Map<string, MemberCard>>;
}

/** A member value (`urn:uuid:X`, or a bare UID) → the UID it names. */
export function memberUid(value: string): string {
  return unescapeText(value.trim()).replace(/^urn:uuid:/i, '');
}

/** A group card → SOGo VLIST: each member becomes `CARD;FN=…;EMAIL=…:<resource name>`. */
export async function groupToVlist(lines: CardLine[], lookup?: MemberLookup): Promise<string> {
  const get = (n: string) => lines.find((l) => l.name === n);
  const uid = get('UID')?.value ?? '';
  const members = lines
    .filter((l) => l.name === 'MEMBER' || l.name === 'X-ADDRESSBOOKSERVER-MEMBER')
    .map((l) => memberUid(l.value));
  const found = lookup ? await lookup.byUid(members) : new Map<string, MemberCard>();
  const out = ['BEGIN:VLIST', 'VERSION:1.0', `UID:${uid}`];
  const prodid = get('PRODID');
  if (prodid) out.push(`PRODID:${prodid.value}`);
  out.push(`FN:${get('FN')?.value ?? ''}`);
  const nick = get('NICKNAME');
  if (nick) out.push(`NICKNAME:${nick.value}`);
  const note = get('NOTE');
  if (note) out.push(`DESCRIPTION:${note.value}`);
  for (const m of members) {
    const card = found.get(m);
    const params: Record<string, string | undefined> = { FN: card?.fn, EMAIL: card?.email };
    out.push(contentLine('CARD', params, card?.name ?? `${m}.vcf`));
  }
  out.push('END:VLIST');
  return vcardText(out);
}

/** A SOGo VLIST → a group card of `version` in the natural flavour (4.0 KIND/MEMBER, 3.0 Apple). */
export async function vlistToGroupLines(
  text: string,
  version: VcardVersion,
  lookup?: MemberLookup,
): Promise<CardLine[]> {
  const refs = vlistRefs(text);
  const found = lookup ? await lookup.byName(refs) : new Map<string, MemberCard>();
  return vlistLines(text, version, found);
}

/** The resource names a VLIST's CARD lines reference. */
function vlistRefs(text: string): string[] {
  return parseLines(text, '3.0')
    .filter((l) => l.name === 'CARD')
    .map((l) => unescapeText(l.value.trim()));
}

/**
 * A VLIST as group card text without looking members up (member UIDs taken from the referenced
 * names): what addressbook-query filters match a stored list against.
 */
export function vlistAsCardText(text: string): string {
  return writeLines(vlistLines(text, '4.0', new Map()));
}

function vlistLines(text: string, version: VcardVersion, found: Map<string, MemberCard>): CardLine[] {
  const lines = parseLines(text, '3.0');
  const get = (n: string) => lines.find((l) => l.name === n);
  const refs = lines.filter((l) => l.name === 'CARD').map((l) => unescapeText(l.value.trim()));
  const v4 = version === '4.0';
  const fn = get('FN')?.value ?? '';
  const out: CardLine[] = [
    { name: 'BEGIN', params: [], value: 'VCARD' },
    { name: 'VERSION', params: [], value: version },
    { name: 'UID', params: [], value: get('UID')?.value ?? '' },
  ];
  const prodid = get('PRODID');
  if (prodid) out.push({ name: 'PRODID', params: [], value: prodid.value });
  out.push({ name: v4 ? 'KIND' : 'X-ADDRESSBOOKSERVER-KIND', params: [], value: 'group' });
  out.push({ name: 'FN', params: [], value: fn });
  out.push({ name: 'N', params: [], value: `${fn};;;;` });
  const nick = get('NICKNAME');
  if (nick) out.push({ name: 'NICKNAME', params: [], value: nick.value });
  const desc = get('DESCRIPTION');
  if (desc) out.push({ name: 'NOTE', params: [], value: desc.value });
  for (const ref of refs) {
    const uid = found.get(ref)?.uid ?? ref.replace(/\.vcf$/i, '');
    out.push({ name: v4 ? 'MEMBER' : 'X-ADDRESSBOOKSERVER-MEMBER', params: [], value: `urn:uuid:${uid}` });
  }
  out.push({ name: 'END', params: [], value: 'VCARD' });
  return out;
}

// ---- representation ------------------------------------------------------------------------

/** What a client is to get; undefined members keep the stored form. */
export interface Representation {
  version?: VcardVersion;
  flavour?: GroupFlavour;
}

export interface Represented {
  text: string;
  contentType: string;
  /** The stored bytes unchanged. */
  unchanged: boolean;
}

/**
 * The stored text of an address object as `want` asks: version converted, groups in the flavour
 * asked for. Cards that need no change come back as stored.
 */
export async function represent(
  stored: string,
  storedType: string,
  want: Representation,
  lookup?: MemberLookup,
): Promise<Represented> {
  const same = { text: stored, contentType: storedType, unchanged: true };
  if (isVlist(stored)) {
    if (want.flavour === 'vlist' || (want.flavour === undefined && want.version === undefined)) return same;
    const lines = await vlistToGroupLines(stored, want.version ?? '4.0', lookup);
    const flavoured = want.flavour ? groupFlavourLines(lines, want.flavour) : lines;
    return { text: writeLines(flavoured), contentType: VCARD_CONTENT_TYPE, unchanged: false };
  }
  if (want.version === undefined && want.flavour === undefined) return same;
  // Cheap checks first: most cards are not groups and already have the version asked for.
  const storedVersion = /VERSION:\s*4\.0/i.test(stored) ? '4.0' : /VERSION:\s*3\.0/i.test(stored) ? '3.0' : undefined;
  const maybeGroup = /KIND:\s*group/i.test(stored);
  const needsVersion = want.version !== undefined && storedVersion !== undefined && want.version !== storedVersion;
  if (!needsVersion && (!want.flavour || !maybeGroup)) return same;
  let lines = parseLines(stored, storedVersion ?? '3.0');
  if (!isGroupCard(lines) && !needsVersion) return same;
  if (want.flavour === 'vlist' && isGroupCard(lines)) {
    return { text: await groupToVlist(lines, lookup), contentType: VLIST_CONTENT_TYPE, unchanged: false };
  }
  if (needsVersion && want.version) lines = convertLines(lines, want.version);
  if (want.flavour && want.flavour !== 'vlist') lines = groupFlavourLines(lines, want.flavour);
  const text = writeLines(lines);
  return text === stored ? same : { text, contentType: VCARD_CONTENT_TYPE, unchanged: false };
}
