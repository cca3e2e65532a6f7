// Turning iCalendar wall-clock times into unix seconds the way SabreDAV (sabre/vobject on PHP) does for its
// derived columns: a UTC value is absolute; a TZID that names an IANA zone uses that zone (PHP's own tz
// database, here Intl); an unknown TZID uses the object's VTIMEZONE; floating times and DATE values use the
// server's default zone (PHP date_default_timezone_get, Baïkal's configured time zone).
import ICAL from 'ical.js';
import { isKnownZone, zoneOffsetMs } from '../../../src/lib/zone-clock.ts';

type IcalTime = InstanceType<typeof ICAL.Time>;
type IcalComponent = InstanceType<typeof ICAL.Component>;

/** Offset of `tz` from UTC at the instant `ms`, in ms. */
const offsetAt = (ms: number, tz: string): number => zoneOffsetMs(tz, ms);

/** Epoch ms of a wall-clock time in an IANA zone; a time in a DST gap moves forward, as PHP does. */
export function wallToEpochMs(wall: number, tz: string): number {
  const first = wall - offsetAt(wall, tz);
  const second = wall - offsetAt(first, tz);
  return offsetAt(second, tz) === wall - second ? second : Math.max(first, second);
}

/** Wall-clock fields of an ical.js time as if it were UTC, in ms. */
export function wallMs(t: IcalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.isDate ? 0 : t.hour, t.isDate ? 0 : t.minute, t.isDate ? 0 : t.second);
}

/** Resolves times of one VCALENDAR to epoch ms. */
export class ZoneResolver {
  readonly #defaultZone: string;
  readonly #vtimezones = new Map<string, InstanceType<typeof ICAL.Timezone>>();

  constructor(vcalendar: IcalComponent, defaultZone: string) {
    this.#defaultZone = defaultZone;
    for (const vtz of vcalendar.getAllSubcomponents('vtimezone')) {
      const id = vtz.getFirstPropertyValue('tzid');
      if (typeof id === 'string') this.#vtimezones.set(id, new ICAL.Timezone(vtz));
    }
  }

  /**
   * Epoch ms of `t`. `tzid` is the TZID parameter of the property it came from; `floatingZone` overrides the
   * default zone for floating and DATE values (vobject's EventIterator resolves those in UTC).
   */
  toMs(t: IcalTime, tzid: string | undefined, floatingZone?: string): number {
    const wall = wallMs(t);
    if (!t.isDate && t.zone === ICAL.Timezone.utcTimezone) return wall;
    if (!t.isDate && tzid) {
      if (isKnownZone(tzid)) return wallToEpochMs(wall, tzid);
      const vtz = this.#vtimezones.get(tzid);
      if (vtz) return wall - vtz.utcOffset(t) * 1000;
    }
    return wallToEpochMs(wall, floatingZone ?? this.#defaultZone);
  }

  /** The zone wall-clock arithmetic of `tzid` happens in (for DATE/floating: the given fallback). */
  get defaultZone(): string {
    return this.#defaultZone;
  }
}
