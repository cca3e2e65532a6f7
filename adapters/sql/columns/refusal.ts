// A calendar object the mapped schema cannot hold without losing meaning (a rule part, a value outside an
// enum map, a time in a repeated hour). Refused whole — nothing is written — and answered by the core as
// 403 with the CalDAV `valid-calendar-data` precondition (RFC 4791 §5.3.2.1) and this message.
export class Refusal extends Error {
  /** Clark name of the precondition element the refusal carries. */
  readonly condition = '{urn:ietf:params:xml:ns:caldav}valid-calendar-data';
}
