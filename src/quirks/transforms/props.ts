// Property-value transforms profiles share (the `property` hook): the value element in, a new one out.
import { appleIcal, dav } from '../../dav/xml/names.ts';
import { textOf, type XmlElement } from '../../dav/xml/tree.ts';

const COLOR = appleIcal('calendar-color');
const CONTENT_TYPE = dav('getcontenttype');

const withText = (value: XmlElement, text: string): XmlElement => ({ ...value, children: [text] });

/** quirks Q06: Apple reads calendar colours as #RRGGBBAA; a stored #RRGGBB gets an opaque alpha. */
export function colourWithAlpha(name: string, value: XmlElement): XmlElement {
  if (name !== COLOR) return value;
  const c = textOf(value).trim();
  return /^#[0-9a-f]{6}$/i.test(c) ? withText(value, `${c}FF`) : value;
}

/** quirks Q14: old KDE (Konqueror 3.5) only understands a content type without parameters. */
export function bareContentType(name: string, value: XmlElement): XmlElement {
  if (name !== CONTENT_TYPE) return value;
  const t = textOf(value);
  const bare = t.split(';')[0].trim();
  return bare === t ? value : withText(value, bare);
}

/** quirks Q14: the SOGo-Connector/CardBook lineage expects vCards as text/x-vcard (sabre does this for them). */
export function legacyVcardContentType(name: string, value: XmlElement): XmlElement {
  if (name !== CONTENT_TYPE) return value;
  return /^text\/vcard\b/i.test(textOf(value).trim()) ? withText(value, 'text/x-vcard') : value;
}
