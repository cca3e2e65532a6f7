// CardBook, the Thunderbird address-book add-on with its own CardDAV code ("Thunderbird CardBook/…").
import type { QuirkProfile } from '../profile.ts';
import { legacyVcardContentType } from '../transforms/props.ts';

export const thunderbirdCardbook: QuirkProfile = {
  id: 'thunderbird-cardbook',
  description: 'CardBook (Thunderbird add-on): vCards listed as text/x-vcard, as the SOGo-Connector lineage expects',
  evidence: [
    'quirks §0 row 6: "Thunderbird CardBook/102.6.1" (OX test), "Thunderbird CardBook/33.2 Lightning/6.2.3.1" (emersion/hydroxide#44) — classified before Lightning',
    'quirks Q14: sabre rewrites getcontenttype to text/x-vcard when the UA contains Thunderbird, for the SOGo Connector (sabre-io/dav lib/CardDAV/Plugin.php propFindLate)',
  ],
  match: /CardBook\//,
  version: /CardBook\/([\d.]+)/,
  options: {},
  property: legacyVcardContentType,
};
