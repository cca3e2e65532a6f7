// macOS Contacts (AddressBook, AddressBookCore, CardDAVPlugin, CFNetwork/Darwin agents): it uses
// only the first address book of a home, so the home shows one aggregated book (quirks Q22).
import type { QuirkProfile } from '../profile.ts';
import { APPLE_EVIDENCE, APPLE_OPTIONS, appleHooks } from './apple-shared.ts';

export const appleContacts: QuirkProfile = {
  id: 'apple-contacts',
  description:
    'macOS Contacts (AddressBook/AddressBookCore, CFNetwork/Darwin): one aggregated address book merging the ' +
    "user's books, new cards written to the default book; vCard 3.0 with Apple groups",
  evidence: [
    'quirks Q22: "OS X unfortunately supports just one addressbook" (sabre-io/dav#846, #392; nextcloud/server#20860; Baikal#1072, #1364)',
    'quirks Q22: Open-Xchange aggregates for userAgentForAggregatedCollection ".*CFNetwork.*Darwin.*|.*AddressBook.*CardDAVPlugin.*Mac_OS_X.*|.*Mac OS X.*AddressBook.*|.*macOS.*AddressBook.*" (CardDAVProperty.java)',
    ...APPLE_EVIDENCE,
  ],
  // The Open-Xchange default, plus the 10.6 "Address%20Book" agent (which also carries CFNetwork/Darwin).
  match: /CFNetwork.*Darwin|AddressBook.*CardDAVPlugin.*Mac_OS_X|Mac[ _]OS[ _]X.*AddressBook|macOS.*AddressBook/,
  version: /^(?:Mac[ _+]OS[ _+]X|macOS)\/([\d.]+)|Mac_OS_X\/([\d.]+)/,
  options: { ...APPLE_OPTIONS, aggregatedAddressBook: true },
  ...appleHooks,
};
