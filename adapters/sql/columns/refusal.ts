// A calendar object or vCard the mapped schema cannot hold without losing meaning (a rule part, a value
// outside an enum map, a time in a repeated hour). Refused whole — nothing is written — and answered by the
// core as 403 with the CalDAV `valid-calendar-data` precondition (RFC 4791 §5.3.2.1) or, for contacts, the
// CardDAV `valid-address-data` one (RFC 6352 §6.3.2.1), and this message.
export class Refusal extends Error {
  /** Clark name of the precondition element the refusal carries. */
  readonly condition: string;
  constructor(message: string, kind: 'calendar' | 'address' = 'calendar') {
    super(message);
    this.condition =
      kind === 'address'
        ? '{urn:ietf:params:xml:ns:carddav}valid-address-data'
        : '{urn:ietf:params:xml:ns:caldav}valid-calendar-data';
  }
}
