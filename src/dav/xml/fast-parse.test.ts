import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSimpleXml } from './fast-parse.ts';
import { parseXml, parseXmlFully } from './parse.ts';

/** Bodies real clients send, and edge cases of XML 1.0 the single pass must get right or hand over. */
const ACCEPTED = [
  '<?xml version="1.0" encoding="utf-8" ?>\n<D:propfind xmlns:D="DAV:">\n  <D:prop>\n    <D:getetag/>\n  </D:prop>\n</D:propfind>\n',
  "<?xml version='1.0'?><propfind xmlns='DAV:'><allprop/></propfind>",
  '<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop><D:href>/dav/addressbooks/bench/contacts/a%40b.vcf</D:href><D:href>/x/y.vcf</D:href></C:addressbook-multiget>',
  '<a xmlns="x">t&amp;u &#x41;&#66;&lt;&gt;&quot;&apos;<b  c = \'1\' d="&lt;&#x20;"/><!-- c --><![CDATA[x<y&z]]>z</a>',
  '<a xmlns="x"><b>  </b><c></c><d xmlns=""><e/></d></a>',
  '<!-- before --><x:a xmlns:x="urn:x" x:attr="v" plain="p"><x:b xmlns:x="urn:y"/></x:a><!-- after -->\n',
  '<D:set xmlns:D="DAV:"><D:prop><D:displayname xml:lang="de">Müller &amp; Söhne ✓</D:displayname></D:prop></D:set>',
  '<a>text with > and ] and ]] but no end marker</a>',
  '<d:multistatus xmlns:d="DAV:"><d:response><d:propstat><d:prop><card:address-data xmlns:card="urn:ietf:params:xml:ns:carddav">BEGIN:VCARD&#13;\nEND:VCARD&#13;\n</card:address-data></d:prop></d:propstat></d:response></d:multistatus>',
];

/** Documents the single pass must not accept (the full path rejects them or must word the answer). */
const HANDED_OVER = [
  '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
  '<a>&e;</a>',
  '<a>fish & chips</a>',
  '<a><b></a></b>',
  '<a>',
  '<a/><b/>',
  'text<a/>',
  '<a b="1" b="2"/>',
  '<x:a/>',
  '<a xmlns:p=""/>',
  '<a b="x<y"/>',
  '<a\r\n/>',
  '<?pi x?><a/>',
  '<a><!-- a -- b --></a>',
  '<a>]]></a>',
  '<a>&#0;</a>',
  '<a:b:c xmlns:a="x"/>',
  '<ä/>',
  '<a b=1/>',
  '<a b="1"c="2"/>',
  '\ufeff<a/>',
];

describe('parseSimpleXml (single pass for plain request bodies)', () => {
  it('gives the same tree as the full parser for plain bodies', () => {
    for (const doc of ACCEPTED) {
      const fast = parseSimpleXml(doc);
      assert.ok(fast, `not accepted: ${doc}`);
      assert.deepEqual(fast, parseXmlFully(doc), doc);
    }
  });

  it('hands anything unusual or malformed to the full parser, whose errors stay the same', () => {
    for (const doc of HANDED_OVER) {
      assert.equal(parseSimpleXml(doc), undefined, doc);
      let full: unknown;
      let viaParseXml: unknown;
      try {
        full = parseXmlFully(doc);
      } catch (e) {
        full = (e as Error).message;
      }
      try {
        viaParseXml = parseXml(doc);
      } catch (e) {
        viaParseXml = (e as Error).message;
      }
      assert.deepEqual(viaParseXml, full, doc);
    }
  });

  it('nesting beyond 64 levels goes to the full parser (400)', () => {
    const deep = `${'<a>'.repeat(70)}${'</a>'.repeat(70)}`;
    assert.equal(parseSimpleXml(deep), undefined);
    assert.throws(() => parseXml(deep), /too deep/);
  });
});
