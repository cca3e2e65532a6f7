// What the gateway writes into a stored calendar object for one client only, and removes for every
// other: `X-DAVGATE-TZID`, the time-zone name a client sent before the TZID was mapped to IANA
// (quirks Q26; written and read back by the caldav-synchronizer profile). RFC 5545 §3.2 lets
// servers keep X-parameters; other clients get the object without them (the standard IANA form).
import { Buffer } from 'node:buffer';
import { fold } from '../lib/vcard-write.ts';

export const ANNOTATION_PREFIX = 'X-DAVGATE-';
const MARKER = Buffer.from(ANNOTATION_PREFIX);
/** `;X-DAVGATE-NAME=value` or `;X-DAVGATE-NAME="quoted value"` inside a content line's parameters. */
const PARAM = /;X-DAVGATE-[A-Z0-9-]+=(?:"[^"]*"|[^;:"]*)/gi;

/** Whether stored bytes carry an annotation (a byte search: this runs for every GET). */
export function hasAnnotations(body: Uint8Array): boolean {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).indexOf(MARKER) >= 0;
}

/** The text without gateway annotations; unchanged text when there are none. */
export function stripAnnotations(text: string): string {
  if (!text.includes(ANNOTATION_PREFIX)) return text;
  // Unfold first: an annotation may have been folded across lines; re-fold what changed.
  const lines = text
    .replace(/\r\n|\r/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  const out = lines.map((l) => (l.includes(ANNOTATION_PREFIX) ? fold(l.replace(PARAM, '')) : l));
  return out.join('\r\n');
}

/** CoreHooks.finish for calendar objects: GET bodies without annotations. */
export function finishCalendarBody(body: Uint8Array): Uint8Array | undefined {
  if (!hasAnnotations(body)) return undefined;
  return new TextEncoder().encode(stripAnnotations(new TextDecoder().decode(body)));
}
