// The RFC 6352 §10.5 addressbook-query filter as plain data, so a backend's optional `query` can
// narrow candidates server-side (e.g. the LDAP adapter turns it into an RFC 4515 filter). The core
// (src/carddav/filter.ts) parses the XML into this shape and always applies it exactly afterwards.

/** RFC 4790 collations CardDAV offers (RFC 6352 §8.3). */
export type AddressCollation = 'i;ascii-casemap' | 'i;octet' | 'i;unicode-casemap';

export type AddressMatchType = 'equals' | 'contains' | 'starts-with' | 'ends-with';

/** anyof / allof (RFC 6352 §10.5, §10.5.1). */
export type AddressTest = 'anyof' | 'allof';

export interface AddressTextMatch {
  text: string;
  collation: AddressCollation;
  matchType: AddressMatchType;
  negate: boolean;
}

export type AddressParamFilter =
  | { kind: 'param-defined'; name: string }
  | { kind: 'param-not-defined'; name: string }
  | { kind: 'param-text'; name: string; match: AddressTextMatch };

export type AddressPropFilter =
  /** An empty prop-filter: the property exists. */
  | { kind: 'prop-defined'; name: string }
  | { kind: 'prop-not-defined'; name: string }
  | {
      kind: 'prop-test';
      name: string;
      test: AddressTest;
      textMatches: AddressTextMatch[];
      paramFilters: AddressParamFilter[];
    };

export interface AddressFilter {
  test: AddressTest;
  /** Empty matches every card. */
  propFilters: AddressPropFilter[];
}
