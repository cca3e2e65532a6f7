// RFC 6638 §2.2 schedule-inbox-URL and §2.1 schedule-outbox-URL on principals, pointing at the
// principal's Inbox and Outbox (empty collections: the gateway delivers no scheduling messages and
// advertises no `calendar-auto-schedule`), and CalendarServer's `email-address-set` (the user's
// addresses without `mailto:`). Apple asks for all three in its principal PROPFIND (quirks Q06,
// apple-calendaragent-02-principal-propfind.xml); BusyCal asks for them too.
import type { DavContext } from '../dav/context.ts';
import type { PropertyDef } from '../dav/props/registry.ts';
import type { Resource } from '../dav/resource.ts';
import { caldav, calserver, dav } from '../dav/xml/names.ts';
import { el, type XmlNode } from '../dav/xml/tree.ts';

const isPrincipal = (r: Resource): boolean => r.type === 'principal';

function boxUrl(box: 'inbox' | 'outbox'): PropertyDef['get'] {
  return (ctx: DavContext, res: Resource): XmlNode[] | undefined =>
    res.type === 'principal' ? [el(dav('href'), [ctx.hrefs.scheduleBox(res.user, box)])] : undefined;
}

/** `mailto:alice@example.com` → `alice@example.com`; other URI schemes are not e-mail addresses. */
export function emailAddresses(addresses: string[]): string[] {
  return addresses.filter((a) => /^mailto:/i.test(a)).map((a) => decodeURIComponent(a.slice('mailto:'.length)));
}

export const schedulingProperties: PropertyDef[] = [
  {
    name: caldav('schedule-inbox-URL'),
    protected: true,
    allprop: false,
    appliesTo: isPrincipal,
    get: boxUrl('inbox'),
  },
  {
    name: caldav('schedule-outbox-URL'),
    protected: true,
    allprop: false,
    appliesTo: isPrincipal,
    get: boxUrl('outbox'),
  },
  {
    name: calserver('email-address-set'),
    protected: true,
    allprop: false,
    appliesTo: isPrincipal,
    get: async (ctx, res) => {
      if (res.type !== 'principal') return undefined;
      const emails = emailAddresses(await ctx.users.addresses(res.user));
      return emails.map((e) => el(calserver('email-address'), [e]));
    },
  },
  {
    // RFC 6638 §9.2: where an incoming invitation would be filed; the user's first calendar.
    name: caldav('schedule-default-calendar-URL'),
    protected: true,
    allprop: false,
    appliesTo: (r) => r.type === 'schedule-box' && r.box === 'inbox',
    get: async (ctx, res) => {
      if (res.type !== 'schedule-box') return undefined;
      const all = await ctx.backends.listCollections(res.user, 'calendars');
      const first = all.find((c) => c.info.kind === 'calendar' && !c.info.readonly && !c.backend.readonly);
      return first ? [el(dav('href'), [ctx.hrefs.collection(first.info.ref)])] : undefined;
    },
  },
];
