// Byte text (byte-text.ts) must be written exactly as the same text as a string: XML 1.0 §2.4
// escapes, CR as `&#13;` (§2.11), the UTF-8 bytes unchanged otherwise.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../test/support/prng.ts';
import { asStoredText, escapeTextBytes, joinParts } from './byte-text.ts';
import { escapeText } from './escape.ts';
import { carddav, dav } from './names.ts';
import { parseXml } from './parse.ts';
import { bytesEl, el, textOf, type XmlElement } from './tree.ts';
import { FragmentWriter, writeXml } from './write.ts';

const TRICKY = [
  '',
  'BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n',
  'a\rb\r\rc\n\r',
  '\r',
  '\r\r\r\r',
  '&<>',
  'NOTE:a < b && c > d\r\nORG:Müller & Söhne\r\n',
  '&amp; stays &amp;amp;',
  'é日本😀\r\n',
  '<é>&日本;😀\r',
  '"quotes" and \'apostrophes\' are text',
  '\u00a0\u00ff\u0100\u2028\ufeff mid-text BOM',
];

/** The vCard generator's PRNG: same seed, same strings. */
const prng = mulberry32;

const ALPHABET = [
  'a',
  'Z',
  ' ',
  ':',
  ';',
  '\r',
  '\n',
  '\r\n',
  '&',
  '<',
  '>',
  '"',
  'é',
  'ß',
  '日本',
  '😀',
  '\t',
  '#13;',
];

function randomTexts(n: number, seed: number): string[] {
  const rand = prng(seed);
  return Array.from({ length: n }, () => {
    const len = Math.floor(rand() * 40);
    let s = '';
    for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
    return s;
  });
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** What the string path writes for a text. */
const expected = (s: string): Buffer => Buffer.from(escapeText(s), 'utf8');

/** One multistatus-like fragment with the text as a string, or as bytes. */
function fragment(text: string, asBytes: boolean): Buffer {
  const data = asBytes ? bytesEl(carddav('address-data'), enc(text)) : el(carddav('address-data'), [text]);
  const response = el(dav('response'), [
    el(dav('href'), ['/dav/addressbooks/al\u00efce/b/1.vcf']),
    el(dav('propstat'), [el(dav('prop'), [el(dav('getetag'), ['"1"']), data])]),
    el(dav('status'), ['HTTP/1.1 200 OK']),
  ]);
  const writer = new FragmentWriter(new Map([['DAV:', 'd']]));
  const parts: (string | Uint8Array)[] = [];
  writer.write(response, parts);
  writer.write(el(dav('sync-token'), ['urn:x:\r1']), parts);
  return writer.join(parts);
}

describe('escaping text held as UTF-8 bytes (XML 1.0 §2.4, §2.11)', () => {
  it('CRLF, lone CR, markup, multi-byte UTF-8, only CRs, empty: the string escaper byte for byte', () => {
    for (const s of TRICKY) assert.deepEqual(escapeTextBytes(enc(s)), expected(s), JSON.stringify(s));
  });

  it('3,000 generated texts (fixed seed): the string escaper byte for byte', () => {
    for (const s of randomTexts(3000, 0x5eed))
      assert.deepEqual(escapeTextBytes(enc(s)), expected(s), JSON.stringify(s));
  });

  it('a fragment with byte text is the fragment with the same text as a string', () => {
    for (const s of [...TRICKY, ...randomTexts(1000, 42)]) {
      assert.deepEqual(fragment(s, true), fragment(s, false), JSON.stringify(s));
    }
  });

  it('joinParts: runs of strings (non-ASCII too) around byte parts, CRs escaped in both', () => {
    const parts = ['<a>', 'x\r', enc('é&\r\n'), '日\r', '</a>', enc(''), enc('<'), '😀'];
    const text = '<a>x\ré&amp;\r\n日\r</a>&lt;😀';
    assert.deepEqual(joinParts(parts), Buffer.from(text.replace(/\r/g, '&#13;'), 'utf8'));
    assert.deepEqual(joinParts(['<a>\r', 'ü</a>']), Buffer.from('<a>&#13;ü</a>', 'utf8'));
    assert.deepEqual(joinParts([]), Buffer.alloc(0));
  });

  it('a byte element reads as its text and writes as a whole document like a string one', () => {
    const text = 'BEGIN:VCARD\r\nNOTE:a<b & é\r\nEND:VCARD\r\n';
    const bytes = bytesEl(carddav('address-data'), enc(text));
    assert.equal(textOf(bytes), text);
    const doc = (e: XmlElement) => writeXml(el(dav('prop'), [e]));
    assert.equal(doc(bytes), doc(el(carddav('address-data'), [text])));
    assert.equal(textOf(parseXml(doc(bytes)).children[0] as XmlElement), text);
    assert.equal(doc(bytesEl(carddav('address-data'), enc(''))), doc(el(carddav('address-data'), [''])));
  });

  it('children set by a hook win over bytes', () => {
    const e = { ...bytesEl(dav('getcontenttype'), enc('text/vcard; charset=utf-8')), children: ['text/vcard'] };
    assert.equal(textOf(e), 'text/vcard');
    assert.match(writeXml(el(dav('prop'), [e])), /<d:getcontenttype>text\/vcard<\/d:getcontenttype>/);
  });
});

describe('asStoredText: bytes that can be written as they are', () => {
  it('valid UTF-8 is served as stored, the very same bytes', () => {
    const body = enc('BEGIN:VCARD\r\nFN:Zoë 😀\r\nEND:VCARD\r\n');
    assert.equal(asStoredText(body), body);
    const empty = new Uint8Array();
    assert.equal(asStoredText(empty), empty);
  });

  it('invalid UTF-8 and a leading BOM keep the decoding path (TextDecoder repairs and drops them)', () => {
    assert.equal(asStoredText(Uint8Array.from([0x41, 0xc3, 0x28, 0x0d, 0x0a])), undefined);
    assert.equal(asStoredText(Uint8Array.from([0x41, 0xed, 0xa0, 0x80])), undefined, 'an encoded lone surrogate');
    assert.equal(asStoredText(Uint8Array.from([0x41, 0xe2, 0x82])), undefined, 'a cut sequence');
    assert.equal(asStoredText(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41])), undefined);
    const midBom = Uint8Array.from([0x41, 0xef, 0xbb, 0xbf]);
    assert.equal(asStoredText(midBom), midBom);
  });
});
