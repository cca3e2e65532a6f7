// The QuirkProfile type (DESIGN.md §Central interfaces 6): data plus small pure transforms at fixed
// hooks. Profiles live in src/quirks/profiles/; this is the only folder that reads the User-Agent.
import type { XmlElement } from '../dav/xml/tree.ts';

/** What a request looks like at the request hook: headers may be rewritten. */
export interface QuirkRequest {
  method: string;
  path: string;
  headers: Headers;
}

/** Options profiles set; the core reads them instead of the User-Agent. */
export interface QuirkOptions {
  /** Preferred vCard version when the request does not say. */
  vcardVersion?: '3.0' | '4.0';
  /** Contact-group flavour on the way out. */
  groupFlavour?: 'vcard4' | 'apple' | 'vlist';
  /** Present the user's address books as one aggregated book (quirks Q22). */
  aggregatedAddressBook?: boolean;
  /** Treat Depth: 0 on calendar-query as Depth: 1 (quirks Q12; the core does this for everyone). */
  calendarQueryDepth0AsDepth1?: boolean;
  /** Status for an invalid sync token instead of 403 (quirks Q21: Thunderbird's CardDAV accepts only 400). */
  invalidSyncTokenStatus?: 400 | 403;
  /**
   * `PUT` + `If-None-Match: *` to a new name whose UID another object of the calendar already holds
   * updates that object instead of failing (quirks Q18: Thunderbird accepting an invitation before sync).
   */
  adoptExistingUidOnCreate?: boolean;
}

export interface QuirkProfile {
  id: string;
  /** Human summary and evidence (client behaviour, links to quirks.md entries). */
  description: string;
  evidence: string[];
  /** Matches the User-Agent header. */
  match: RegExp;
  /** Extracts the client version from the User-Agent (first capture group), for logs and hooks. */
  version?: RegExp;
  options: QuirkOptions;
  /** Rewrites the incoming request (headers) before the core sees it. */
  request?(req: QuirkRequest): QuirkRequest;
  /** Rewrites a parsed REPORT body before the handler parses it. */
  query?(report: XmlElement): XmlElement;
  /** Rewrites a property value on the way out. */
  property?(name: string, value: XmlElement): XmlElement;
  /**
   * Rewrites an iCalendar/vCard payload arriving from the client. `existing` is the stored text of
   * the object being replaced, when there is one.
   */
  payloadIn?(contentType: string, body: string, existing?: string): string;
  /** Rewrites an iCalendar/vCard payload going to the client. */
  payloadOut?(contentType: string, body: string): string;
  /**
   * A write to a read-only object that only carries client-side state (alarm acknowledgement):
   * true makes the core answer success without writing (quirks Q32).
   */
  ignorableWrite?(existing: string, incoming: string): boolean;
  /** Last chance to adjust the response (headers, status), error responses included. */
  response?(res: Response, req: QuirkRequest): Response;
}
