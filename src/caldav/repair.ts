// Lenient ingest of calendar objects (quirks.md Q28/Q29, RFC 4791 §4.1): repairs that make a client's
// object storable without changing its meaning. Anything repaired is re-serialised, so the stored
// bytes differ and the core omits the PUT ETag (RFC 4791 §5.3.4).
import { randomUUID } from 'node:crypto';
import { ICAL, type IcalComponent } from './ical.ts';

const PRODID = '-//davgate//CalDAV gateway//EN';

/**
 * Repairs `root` in place and returns what was changed (empty when nothing was):
 * - METHOD is removed (§4.1: calendar object resources MUST NOT carry it; iMIP imports do);
 * - VERSION and PRODID are added when missing (RFC 5545 §3.6 requires both);
 * - a missing UID is set to the UID the other components share, or a new one (Q28: once, on write);
 * - a missing DTSTAMP is set to now (Q28).
 */
export function repairCalendarObject(root: IcalComponent, now = new Date()): string[] {
  const changes: string[] = [];
  if (root.hasProperty('method')) {
    root.removeAllProperties('method');
    changes.push('removed METHOD');
  }
  if (!root.hasProperty('version')) {
    root.addPropertyWithValue('version', '2.0');
    changes.push('added VERSION');
  }
  if (!root.hasProperty('prodid')) {
    root.addPropertyWithValue('prodid', PRODID);
    changes.push('added PRODID');
  }
  const comps = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const known = comps.map((c) => c.getFirstPropertyValue('uid')).find((u) => typeof u === 'string' && u.trim() !== '');
  const uid = typeof known === 'string' ? known : randomUUID();
  for (const c of comps) {
    const u = c.getFirstPropertyValue('uid');
    if (typeof u !== 'string' || u.trim() === '') {
      c.updatePropertyWithValue('uid', uid);
      changes.push(`added UID to ${c.name.toUpperCase()}`);
    }
    if (['vevent', 'vtodo', 'vjournal', 'vfreebusy'].includes(c.name) && !c.hasProperty('dtstamp')) {
      c.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
      changes.push(`added DTSTAMP to ${c.name.toUpperCase()}`);
    }
  }
  return changes;
}
