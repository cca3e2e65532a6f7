// vCard 3.0 (RFC 2426) ⇄ 4.0 (RFC 6350) conversion of content lines (quirks Q23). The mappings follow
// sabre/vobject's VCardConverter and Cyrus: PHOTO binary ⇄ data: URI, TYPE=pref ⇄ PREF=1, year-less
// BDAY ⇄ X-APPLE-OMIT-YEAR, ANNIVERSARY ⇄ X-ANNIVERSARY, KIND:org ⇄ X-ABSHOWAS:COMPANY, N required and
// trimmed in 3.0, ADR trimmed to 7 components.
import {
  type CardLine,
  change,
  components,
  escapeTextValue,
  param,
  setParam,
  unescapeText,
  type VcardVersion,
  versionOf,
} from './card-lines.ts';

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
