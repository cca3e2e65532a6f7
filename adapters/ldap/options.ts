// What the LDAP directory adapter is told (already validated and with secrets resolved; the YAML
// schema lives in src/config/schema.ts): where the people and groups are, how attributes map onto
// vCard properties, and the two presets — inetOrgPerson (OpenLDAP, 389-DS) and Active Directory.
import type { LdapConnectionOptions, PartitionSpec } from './connection.ts';

/** vCard fields the mapping fills, each from the listed LDAP attributes (first present wins for single values). */
export interface AttributeMap {
  /** Formatted name: the first attribute present (displayName, then cn). */
  fn: string[];
  familyName: string[];
  givenName: string[];
  nickname: string[];
  /** Every value becomes an EMAIL (the first one preferred). */
  email: string[];
  workPhone: string[];
  mobile: string[];
  fax: string[];
  homePhone: string[];
  pager: string[];
  /** Work address parts (ADR;TYPE=work). */
  street: string[];
  poBox: string[];
  locality: string[];
  region: string[];
  postalCode: string[];
  country: string[];
  organization: string[];
  department: string[];
  title: string[];
  /** URLs; labeledURI values ("uri label") keep only the URI. */
  url: string[];
  /** JPEG photos (binary); the first present becomes PHOTO. */
  photo: string[];
  note: string[];
  /** DN of the person's manager → RELATED;TYPE=x-manager pointing at the manager's card. */
  manager: string[];
  /** Group name (FN of the group card). */
  groupName: string[];
  /** Member DNs of a group (groupOfNames member, groupOfUniqueNames uniqueMember, AD member). */
  groupMembers: string[];
  groupEmail: string[];
  groupNote: string[];
}

export type MappingPreset = 'inetOrgPerson' | 'activeDirectory';

export interface Preset {
  peopleFilter: string;
  groupFilter: string;
  idAttribute: string;
  etagAttributes: string[];
  partition: PartitionSpec;
  changeProbe: ChangeProbe;
  userFilter: string;
  attributes: AttributeMap;
}

/**
 * How to tell cheaply that nothing changed since the last listing: OpenLDAP's `contextCSN` on the
 * naming context (maintained by the syncprov overlay), AD's RootDSE `highestCommittedUSN`; `none`
 * lists every time. `auto` uses the first that the server offers.
 */
export type ChangeProbe = 'auto' | 'contextCSN' | 'highestCommittedUSN' | 'none';

const INET_ORG_PERSON: AttributeMap = {
  fn: ['displayName', 'cn'],
  familyName: ['sn'],
  givenName: ['givenName'],
  nickname: [],
  email: ['mail'],
  workPhone: ['telephoneNumber'],
  mobile: ['mobile'],
  fax: ['facsimileTelephoneNumber'],
  homePhone: ['homePhone'],
  pager: ['pager'],
  street: ['street'],
  poBox: ['postOfficeBox'],
  locality: ['l'],
  region: ['st'],
  postalCode: ['postalCode'],
  country: ['c'],
  organization: ['o'],
  department: ['ou'],
  title: ['title'],
  url: ['labeledURI'],
  photo: ['jpegPhoto'],
  note: ['description'],
  manager: ['manager'],
  groupName: ['cn'],
  groupMembers: ['member', 'uniqueMember'],
  groupEmail: ['mail'],
  groupNote: ['description'],
};

const ACTIVE_DIRECTORY: AttributeMap = {
  ...INET_ORG_PERSON,
  email: ['mail'],
  street: ['streetAddress'],
  country: ['co'],
  organization: ['company'],
  department: ['department'],
  url: ['wWWHomePage'],
  photo: ['thumbnailPhoto', 'jpegPhoto'],
  groupMembers: ['member'],
};

export const PRESETS: Record<MappingPreset, Preset> = {
  inetOrgPerson: {
    peopleFilter: '(objectClass=inetOrgPerson)',
    groupFilter: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))',
    idAttribute: 'entryUUID',
    // entryCSN changes with every write (modifyTimestamp only once a second); servers without it
    // (389-DS) set etagAttributes: [modifyTimestamp].
    etagAttributes: ['entryCSN'],
    partition: { attribute: 'entryCSN', kind: 'csn' },
    changeProbe: 'auto',
    userFilter: '(uid={user})',
    attributes: INET_ORG_PERSON,
  },
  activeDirectory: {
    // Enabled user accounts (bit 2 of userAccountControl is ACCOUNTDISABLE).
    peopleFilter: '(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
    groupFilter: '(objectClass=group)',
    idAttribute: 'objectGUID',
    etagAttributes: ['uSNChanged', 'whenChanged'],
    partition: { attribute: 'uSNChanged', kind: 'integer' },
    changeProbe: 'auto',
    userFilter: '(sAMAccountName={user})',
    attributes: ACTIVE_DIRECTORY,
  },
};

export interface LdapDirectoryOptions {
  connection: LdapConnectionOptions;
  /** Backend id (in sync tokens). */
  id: string;
  /** Collection id in every address book home (the path segment). */
  collection: string;
  displayName: string;
  description?: string;
  baseDn: string;
  scope: 'one' | 'sub';
  peopleFilter: string;
  groups: { enabled: boolean; baseDn: string; scope: 'one' | 'sub'; filter: string };
  idAttribute: string;
  etagAttributes: string[];
  partition?: PartitionSpec;
  changeProbe: ChangeProbe;
  pageSize: number;
  timeLimitSeconds: number;
  attributes: AttributeMap;
  /** Version of the generated cards (the stored form; the core converts per client). */
  vcardVersion: '3.0' | '4.0';
  /**
   * Extra filter per user: `{user}` is the DAV user name, `{attr:NAME}` the values of NAME on the
   * user's own entry (found with `users.filter`); all RFC 4515-escaped. Undefined: everyone sees all.
   */
  perUserFilter?: string;
  /** Finding a user's entry by DAV user name (per-user filter, bind authentication). */
  users: { baseDn: string; scope: 'one' | 'sub'; filter: string };
  /** Even when the change probe says nothing changed, list again after this long. */
  listingMaxAgeSeconds: number;
  /** Memory for generated cards shared by all users (default 256 MiB; 0 disables the cache). */
  cacheMegabytes?: number;
  /** Read the directory into the cache at start-up, so the first clients do not wait (default true). */
  prefetch?: boolean;
}

export function isActiveDirectoryId(idAttribute: string): boolean {
  return idAttribute.toLowerCase() === 'objectguid';
}
