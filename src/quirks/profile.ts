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
  /** Present the user's address books as one aggregated book. */
  aggregatedAddressBook?: boolean;
  /** Treat Depth: 0 on calendar-query as Depth: 1. */
  calendarQueryDepth0AsDepth1?: boolean;
}

export interface QuirkProfile {
  id: string;
  /** Human summary and evidence (client behaviour, links to quirks.md entries). */
  description: string;
  evidence: string[];
  /** Matches the User-Agent header. */
  match: RegExp;
  options: QuirkOptions;
  /** Rewrites the incoming request (headers) before the core sees it. */
  request?(req: QuirkRequest): QuirkRequest;
  /** Rewrites a parsed REPORT body before the handler parses it. */
  query?(report: XmlElement): XmlElement;
  /** Rewrites a property value on the way out. */
  property?(name: string, value: XmlElement): XmlElement;
  /** Rewrites an iCalendar/vCard payload arriving from the client. */
  payloadIn?(contentType: string, body: string): string;
  /** Rewrites an iCalendar/vCard payload going to the client. */
  payloadOut?(contentType: string, body: string): string;
  /** Last chance to adjust the response (headers). */
  response?(res: Response): Response;
}
