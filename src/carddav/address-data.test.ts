import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from '../dav/dav-error.ts';
import { carddav } from '../dav/xml/names.ts';
import { parseXml } from '../dav/xml/parse.ts';
import { assertSupportedAddressData, parseAddressDataRequest, selectProperties } from './address-data.ts';
import { APPLE_V3 } from './fixtures.ts';
import { parseVcard } from './vcard.ts';

const NS = 'xmlns:C="urn:ietf:params:xml:ns:carddav"';
const req = (x: string) => parseAddressDataRequest(parseXml(x));

describe('CARDDAV:address-data request (RFC 6352 §10.4)', () => {
  it('defaults to text/vcard 3.0 and the whole card', () => {
    assert.deepEqual(req(`<C:address-data ${NS}/>`), {
      contentType: 'text/vcard',
      version: '3.0',
      versionGiven: false,
    });
    assert.deepEqual(req(`<C:address-data ${NS}><C:allprop/></C:address-data>`), {
      contentType: 'text/vcard',
      version: '3.0',
      versionGiven: false,
    });
  });

  it('§10.4.2: reads the prop selection with novalue', () => {
    const r = req(
      `<C:address-data ${NS} content-type="text/vcard" version="4.0"><C:prop name="EMAIL"/><C:prop name="PHOTO" novalue="yes"/></C:address-data>`,
    );
    assert.deepEqual(r, {
      contentType: 'text/vcard',
      version: '4.0',
      versionGiven: true,
      props: [
        { name: 'EMAIL', novalue: false },
        { name: 'PHOTO', novalue: true },
      ],
    });
  });

  it('supported-address-data: vCard 3.0 and 4.0 pass, jCard and vCard 2.1 are 403', () => {
    assert.doesNotThrow(() =>
      assertSupportedAddressData({ contentType: 'text/vcard', version: '4.0', versionGiven: true }),
    );
    assert.doesNotThrow(() => assertSupportedAddressData(req(`<C:address-data ${NS} content-type="text/x-vlist"/>`)));
    for (const bad of [
      { contentType: 'application/vcard+json', version: '4.0', versionGiven: true },
      { contentType: 'text/vcard', version: '2.1', versionGiven: true },
    ]) {
      assert.throws(
        () => assertSupportedAddressData(bad),
        (e: unknown) => e instanceof DavError && e.status === 403 && e.condition === carddav('supported-address-data'),
      );
    }
  });
});

describe('selectProperties (RFC 6352 §10.4.2 partial retrieval)', () => {
  it('keeps BEGIN/VERSION/END and every EMAIL whatever its group, verbatim', () => {
    const out = selectProperties(APPLE_V3, [{ name: 'EMAIL', novalue: false }]);
    assert.equal(
      out,
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'item1.EMAIL;type=INTERNET;type=pref:joerg@acme.example',
        'EMAIL;type=INTERNET;type=HOME:jm@home.example',
        'END:VCARD',
        '',
      ].join('\r\n'),
    );
    assert.equal(parseVcard(out).props.length, 3, 'the result is still one parsable vCard');
  });

  it('a grouped name selects only that group; folded lines stay folded', () => {
    const out = selectProperties(APPLE_V3, [
      { name: 'item2.ADR', novalue: false },
      { name: 'photo', novalue: false },
    ]);
    assert.match(out, /\r\nitem2\.ADR;type=WORK;type=pref:;;Hauptstraße 1;Berlin;;10115;Germany\r\n/);
    assert.doesNotMatch(out, /X-ABADR/);
    assert.match(out, /\r\nPHOTO;ENCODING=b;TYPE=JPEG:\/9j\/.*\r\n ofHh0a.*\r\n AAAAAAAA/);
  });

  it('novalue="yes" returns name and parameters with an empty value', () => {
    const out = selectProperties(APPLE_V3, [{ name: 'PHOTO', novalue: true }]);
    assert.match(out, /\r\nPHOTO;ENCODING=b;TYPE=JPEG:\r\nEND:VCARD\r\n$/);
  });

  it('novalue keeps colons inside quoted parameter values', () => {
    const card = 'BEGIN:VCARD\r\nVERSION:4.0\r\nADR;LABEL="Main St: 1";TYPE=home:;;Main St 1;;;;\r\nEND:VCARD\r\n';
    assert.match(selectProperties(card, [{ name: 'ADR', novalue: true }]), /\r\nADR;LABEL="Main St: 1";TYPE=home:\r\n/);
  });
});
