// KDE PIM (Akonadi DAV resource, KDAV, Konqueror-era KHTML agents): quirks §0 row 8, Q12, Q14.
// addressbook-query without <filter> is answered as "everything" by the core for every client.
import type { QuirkProfile } from '../profile.ts';
import { bareContentType } from '../transforms/props.ts';

export const kde: QuirkProfile = {
  id: 'kde',
  description: 'KDE Akonadi/KDAV: getcontenttype without parameters (text/calendar, text/vcard)',
  evidence: [
    'quirks §0 row 8: KDAV fixed UA "KDE DAV groupware client" (KDE/kdav davitemfetchjob.cpp); akonadi_davgroupware_resource_<n>/ (tine20 KDE.php)',
    'quirks Q14: EGroupware sends plain text/calendar to KDE because "Konqueror (3.5) dont understand it otherwise" (class.calendar_groupdav.inc.php)',
    'quirks Q12: KDE sometimes sends addressbook-query without <filter> (sabre AddressBookQueryReport.php) — core',
  ],
  match: /akonadi_davgroupware_resource_\d+\/|^KDE DAV groupware client$|Konqueror\/|KHTML\//,
  version: /akonadi_davgroupware_resource_\d+\/([\d.]+)|Konqueror\/([\d.]+)|KHTML\/([\d.]+)/,
  options: {},
  property: bareContentType,
};
