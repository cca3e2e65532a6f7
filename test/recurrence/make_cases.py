#!/usr/bin/env python3
"""Writes the recurrence corpus: cases/NN-name.ics plus cases/NN-name.json (queries and expected results).

Expected instance sets of VEVENT cases come from an independent implementation, Debian's
python3-recurring-ical-events 2.0.1 (dateutil rrules over icalendar 4, IANA zones from the system
tzdata), marked "source": "oracle". Where RFC 4791/5545 and that library disagree, or for components it
does not expand (VTODO, VJOURNAL, VFREEBUSY, VALARM), expectations are written by hand from the RFC
text and marked "source": "manual" with a note. The node test (corpus.test.ts) never regenerates them:
run `python3 test/recurrence/make_cases.py` only to add cases, then review the JSON diff.
"""

import datetime as dt
import json
import os
import sys

import icalendar
import recurring_ical_events

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")
UTC = dt.timezone.utc

VIENNA = """BEGIN:VTIMEZONE
TZID:Europe/Vienna
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""

NEW_YORK = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE"""

# Outlook's own rendering of W. Europe Standard Time (quirks Q26): 1601 onsets, current rule only.
OUTLOOK_WEST = """BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""

OUTLOOK_DISPLAY = OUTLOOK_WEST.replace(
    "TZID:W. Europe Standard Time", "TZID:(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
)

ZONES = {"Europe/Vienna": VIENNA, "America/New_York": NEW_YORK}


def vcal(*parts):
    body = "\n".join(p.strip("\n") for p in parts)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//davgate//recurrence corpus//EN\n{body}\nEND:VCALENDAR\n"
    return text.replace("\n", "\r\n")


def comp(name, uid, *lines):
    return "\n".join([f"BEGIN:{name}", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, f"END:{name}"])


def ev(uid, *lines):
    return comp("VEVENT", uid, *lines)


def fmt(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("floating value from the oracle")
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def parse_utc(s):
    return dt.datetime.strptime(s, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def floating_to_utc(value, zone):
    """Floating date-times and dates are read in the calendar's zone (RFC 4791 §7.3)."""
    from zoneinfo import ZoneInfo

    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(zone) if zone else UTC)
        return value
    return value


def day_start(d, zone):
    """An all-day DATE as the instant its day begins in the calendar's zone (UTC without one)."""
    from zoneinfo import ZoneInfo

    return dt.datetime(d.year, d.month, d.day, tzinfo=ZoneInfo(zone) if zone else UTC)


def oracle(ics, start, end, zone=None):
    """Instances overlapping [start, end): [rid, start, end] (UTC, or dates), sorted, plus busy periods."""
    cal = icalendar.Calendar.from_ical(ics)
    s, e = parse_utc(start), parse_utc(end)
    instances = []
    busy = []
    for c in recurring_ical_events.of(cal).between(s, e):
        ds = floating_to_utc(c.get("DTSTART").dt, zone)
        de = c.get("DTEND").dt if c.get("DTEND") else None
        if de is None and c.get("DURATION"):
            de = ds + c.get("DURATION").dt
        de = floating_to_utc(de, zone) if de is not None else None
        rid = c.get("RECURRENCE-ID")
        recurring = any(x.get("RRULE") or x.get("RDATE") for x in cal.walk("VEVENT"))
        if rid is not None:
            rid_v = fmt(floating_to_utc(rid.dt, zone))
        elif recurring:
            rid_v = fmt(ds)
        else:
            rid_v = None
        instances.append([rid_v, fmt(ds), fmt(de) if de is not None else None])
        transparent = str(c.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
        status = str(c.get("STATUS", "CONFIRMED")).upper()
        if not isinstance(ds, dt.datetime):
            ds, de = day_start(ds, zone), day_start(de if de is not None else ds + dt.timedelta(days=1), zone)
        if de is not None and de > ds and not transparent and status != "CANCELLED":
            kind = "BUSY-TENTATIVE" if status == "TENTATIVE" else "BUSY"
            busy.append([kind, max(ds, s), min(de, e)])
    instances.sort(key=lambda i: (i[1], i[0] or ""))
    return instances, coalesce(busy)


def coalesce(periods):
    out = []
    for kind, a, b in sorted(periods, key=lambda p: (p[0], p[1])):
        if out and out[-1][0] == kind and a <= out[-1][2]:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([kind, a, b])
    out.sort(key=lambda p: (p[1], p[0]))
    return [[k, f"{fmt(a)}/{fmt(b)}"] for k, a, b in out]


CASES = []


def case(name, title, ics, queries, component="VEVENT", source="oracle", zone=None, note=None, repairs=None):
    CASES.append(
        dict(
            name=name,
            title=title,
            ics=ics,
            queries=queries,
            component=component,
            source=source,
            zone=zone,
            note=note,
            repairs=repairs,
        )
    )


def q(start, end, **expect):
    return dict(start=start, end=end, **expect)


# ---------------------------------------------------------------- DST: Europe/Vienna, America/New_York
case(
    "vienna-weekly-spring-dst",
    "weekly 09:00 Europe/Vienna across the 2026-03-29 switch keeps 09:00 local (08:00Z → 07:00Z)",
    vcal(VIENNA, ev("v1", "DTSTART;TZID=Europe/Vienna:20260302T090000", "DTEND;TZID=Europe/Vienna:20260302T100000", "RRULE:FREQ=WEEKLY;COUNT=6", "SUMMARY:Standup")),
    [q("20260301T000000Z", "20260501T000000Z"), q("20260330T060000Z", "20260330T070000Z"), q("20260330T070000Z", "20260330T080000Z")],
)
case(
    "vienna-weekly-autumn-dst",
    "weekly Sunday 02:30 Europe/Vienna: 2026-10-25 02:30 exists twice (first, CEST, is used)",
    vcal(VIENNA, ev("v2", "DTSTART;TZID=Europe/Vienna:20261011T023000", "DTEND;TZID=Europe/Vienna:20261011T030000", "RRULE:FREQ=WEEKLY;COUNT=4")),
    [q("20261001T000000Z", "20261201T000000Z")],
    source="manual",
    note="RFC 5545 §3.3.5: an ambiguous local time means its first occurrence (CEST): 2026-10-25 00:30Z.",
)
case(
    "vienna-daily-spring-gap",
    "daily 02:30 Europe/Vienna: 2026-03-29 02:30 does not exist and is read with the offset before the gap",
    vcal(VIENNA, ev("v3", "DTSTART;TZID=Europe/Vienna:20260327T023000", "DURATION:PT30M", "RRULE:FREQ=DAILY;COUNT=4")),
    [q("20260326T000000Z", "20260401T000000Z")],
    source="manual",
    note="RFC 5545 §3.3.5: a nonexistent local time is interpreted with the UTC offset before the gap (+01:00): 01:30Z.",
)
case(
    "vienna-dtend-exact-duration",
    "recurring 22:00–08:00 overnight Europe/Vienna: DTEND gives every instance the same exact duration (RFC 5545 §3.8.5)",
    vcal(VIENNA, ev("v4", "DTSTART;TZID=Europe/Vienna:20260327T220000", "DTEND;TZID=Europe/Vienna:20260328T080000", "RRULE:FREQ=DAILY;COUNT=3")),
    [q("20260327T000000Z", "20260401T000000Z")],
    source="manual",
    note="10 h exact: the 03-28 22:00 CET instance ends 03-29 09:00 CEST (08:00Z), not 08:00 local.",
)
case(
    "vienna-duration-p1d-nominal",
    "DURATION:P1D across the switch is one calendar day (nominal), 23 hours exactly",
    vcal(VIENNA, ev("v5", "DTSTART;TZID=Europe/Vienna:20260328T120000", "DURATION:P1D")),
    [q("20260329T093000Z", "20260329T110000Z", match=True, instances=[[None, "20260328T110000Z", "20260329T100000Z"]],
       busy=[["BUSY", "20260329T093000Z/20260329T100000Z"]]),
     q("20260329T100000Z", "20260329T110000Z", match=False, instances=[], busy=[])],
    source="manual",
    note="RFC 5545 §3.3.6: days are nominal (12:00 CEST = 10:00Z); the oracle (pytz arithmetic) adds 24 exact hours.",
)
case(
    "vienna-duration-pt24h-exact",
    "DURATION:PT24H across the switch is 24 exact hours (ends 13:00 CEST)",
    vcal(VIENNA, ev("v6", "DTSTART;TZID=Europe/Vienna:20260328T120000", "DURATION:PT24H")),
    [q("20260329T103000Z", "20260329T110000Z", match=True, instances=[[None, "20260328T110000Z", "20260329T110000Z"]],
       busy=[["BUSY", "20260329T103000Z/20260329T110000Z"]]),
     q("20260329T110000Z", "20260329T120000Z", match=False, instances=[], busy=[])],
    source="manual",
    note="RFC 5545 §3.3.6: hours are exact; the oracle adds them on the wall clock (Python aware arithmetic).",
)
case(
    "newyork-daily-spring-dst",
    "daily 08:00 America/New_York across 2026-03-08 (13:00Z → 12:00Z)",
    vcal(NEW_YORK, ev("n1", "DTSTART;TZID=America/New_York:20260306T080000", "DTEND;TZID=America/New_York:20260306T083000", "RRULE:FREQ=DAILY;COUNT=5")),
    [q("20260306T000000Z", "20260312T000000Z"), q("20260308T120000Z", "20260308T123000Z")],
)
case(
    "newyork-weekly-autumn-dst",
    "weekly Thursday 18:00 America/New_York across 2026-11-01",
    vcal(NEW_YORK, ev("n2", "DTSTART;TZID=America/New_York:20261022T180000", "DTEND;TZID=America/New_York:20261022T190000", "RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20261113T000000Z")),
    [q("20261001T000000Z", "20261201T000000Z")],
)
case(
    "newyork-monthly-last-sunday",
    "monthly BYDAY=-1SU 10:00 America/New_York",
    vcal(NEW_YORK, ev("n3", "DTSTART;TZID=America/New_York:20260125T100000", "DTEND;TZID=America/New_York:20260125T110000", "RRULE:FREQ=MONTHLY;BYDAY=-1SU;COUNT=6")),
    [q("20260101T000000Z", "20260801T000000Z"), q("20260329T000000Z", "20260330T000000Z")],
)
case(
    "newyork-late-evening-next-utc-day",
    "21:30 America/New_York is the next UTC day: a UTC-day query finds it there",
    vcal(NEW_YORK, ev("n4", "DTSTART;TZID=America/New_York:20260115T213000", "DTEND;TZID=America/New_York:20260115T223000", "RRULE:FREQ=WEEKLY;COUNT=3")),
    [q("20260115T000000Z", "20260116T000000Z"), q("20260116T000000Z", "20260117T000000Z")],
)
case(
    "vienna-yearly-last-sunday-march",
    "yearly BYMONTH=3;BYDAY=-1SU (the EU switch day itself), 01:30 local",
    vcal(VIENNA, ev("v7", "DTSTART;TZID=Europe/Vienna:20260329T013000", "DURATION:PT2H", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")),
    [q("20260301T000000Z", "20260401T000000Z"), q("20280301T000000Z", "20280401T000000Z")],
    source="manual",
    note="01:30 CET is 00:30Z; PT2H is exact, so the instance ends 02:30Z (04:30 CEST on the wall clock).",
)

# ---------------------------------------------------------------- UNTIL, COUNT, frequencies
case(
    "until-utc-other-zone-inclusive",
    "DTSTART in Europe/Vienna, UNTIL in UTC exactly at an instance: that instance is included",
    vcal(VIENNA, ev("u1", "DTSTART;TZID=Europe/Vienna:20260105T090000", "DTEND;TZID=Europe/Vienna:20260105T093000", "RRULE:FREQ=DAILY;UNTIL=20260108T080000Z")),
    [q("20260101T000000Z", "20260201T000000Z")],
)
case(
    "until-utc-before-local-instance",
    "UNTIL=20260108T075959Z is one second before the 4th instance (09:00 CET = 08:00Z): three instances",
    vcal(VIENNA, ev("u2", "DTSTART;TZID=Europe/Vienna:20260105T090000", "DTEND;TZID=Europe/Vienna:20260105T093000", "RRULE:FREQ=DAILY;UNTIL=20260108T075959Z")),
    [q("20260101T000000Z", "20260201T000000Z")],
)
case(
    "until-newyork-vs-vienna",
    "DTSTART America/New_York with UNTIL given as a Vienna midnight in UTC",
    vcal(NEW_YORK, ev("u3", "DTSTART;TZID=America/New_York:20260601T170000", "DTEND;TZID=America/New_York:20260601T180000", "RRULE:FREQ=WEEKLY;UNTIL=20260621T220000Z")),
    [q("20260501T000000Z", "20260801T000000Z")],
)
case(
    "until-date-allday",
    "all-day DTSTART with a DATE UNTIL (inclusive)",
    vcal(ev("u4", "DTSTART;VALUE=DATE:20260301", "DTEND;VALUE=DATE:20260302", "RRULE:FREQ=WEEKLY;UNTIL=20260315")),
    [q("20260301T000000Z", "20260401T000000Z")],
)
case(
    "count-daily-exdate",
    "daily COUNT=10 with two EXDATEs: eight instances (EXDATE does not add instances)",
    vcal(ev("c1", "DTSTART:20260201T120000Z", "DTEND:20260201T130000Z", "RRULE:FREQ=DAILY;COUNT=10", "EXDATE:20260203T120000Z,20260207T120000Z")),
    [q("20260201T000000Z", "20260301T000000Z"), q("20260203T000000Z", "20260204T000000Z")],
)
case(
    "hourly-interval",
    "FREQ=HOURLY;INTERVAL=6;COUNT=8",
    vcal(ev("c2", "DTSTART:20260410T010000Z", "DURATION:PT1H", "RRULE:FREQ=HOURLY;INTERVAL=6;COUNT=8")),
    [q("20260410T000000Z", "20260412T000000Z"), q("20260411T000000Z", "20260411T060000Z")],
)
case(
    "minutely",
    "FREQ=MINUTELY;INTERVAL=30;COUNT=5",
    vcal(ev("c3", "DTSTART:20260410T090000Z", "DURATION:PT15M", "RRULE:FREQ=MINUTELY;INTERVAL=30;COUNT=5")),
    [q("20260410T091500Z", "20260410T103000Z")],
)
case(
    "weekly-interval-wkst-su",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU (RFC 5545 §3.3.10 WKST example)",
    vcal(ev("c4", "DTSTART:19970805T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU")),
    [q("19970801T000000Z", "19970901T000000Z")],
)
case(
    "weekly-interval-wkst-mo",
    "same rule with WKST=MO gives different dates (RFC 5545 §3.3.10)",
    vcal(ev("c5", "DTSTART:19970805T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO")),
    [q("19970801T000000Z", "19970901T000000Z")],
)
case(
    "dtstart-not-in-rule",
    "DTSTART on a Wednesday with BYDAY=MO: DTSTART still counts as the first instance",
    vcal(ev("c6", "DTSTART:20260107T100000Z", "DTEND:20260107T110000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3")),
    [q("20260101T000000Z", "20260201T000000Z")],
    source="manual",
    note="RFC 5545 §3.8.5.3: DTSTART is always the first instance; the oracle (dateutil) drops it. COUNT counts it.",
)
case(
    "yearly-bymonth-bymonthday",
    "yearly on Jan 1 and Jul 1",
    vcal(ev("c7", "DTSTART:20260101T080000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1;COUNT=5")),
    [q("20260101T000000Z", "20290101T000000Z")],
)
case(
    "yearly-byyearday",
    "yearly BYYEARDAY=100 (10 April, 9 April in leap years)",
    vcal(ev("c8", "DTSTART:20260410T120000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYYEARDAY=100;COUNT=3")),
    [q("20260101T000000Z", "20300101T000000Z")],
)
case(
    "yearly-byweekno",
    "yearly BYWEEKNO=20;BYDAY=MO",
    vcal(ev("c9", "DTSTART:20260511T090000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3")),
    [q("20260101T000000Z", "20300101T000000Z")],
    note="ical.js 2.2 expands BYWEEKNO wrongly (weekly after DTSTART); src/caldav/byweekno.ts corrects it.",
)
case(
    "monthly-second-monday",
    "monthly BYDAY=2MO",
    vcal(ev("c10", "DTSTART:20260112T150000Z", "DURATION:PT1H", "RRULE:FREQ=MONTHLY;BYDAY=2MO;COUNT=4")),
    [q("20260101T000000Z", "20260601T000000Z")],
)

# ---------------------------------------------------------------- leap days, month ends, BYSETPOS
case(
    "leap-day-yearly",
    "yearly from 2024-02-29: only leap years have the date (RFC 5545 §3.3.10 invalid dates ignored)",
    vcal(ev("l1", "DTSTART;VALUE=DATE:20240229", "DTEND;VALUE=DATE:20240301", "RRULE:FREQ=YEARLY")),
    [q("20250101T000000Z", "20280101T000000Z"), q("20280101T000000Z", "20290101T000000Z")],
)
case(
    "leap-day-bymonthday-minus1",
    "monthly BYMONTHDAY=-1 (last day) through February 2028",
    vcal(ev("l2", "DTSTART:20280131T170000Z", "DURATION:PT1H", "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4")),
    [q("20280101T000000Z", "20280601T000000Z")],
)
case(
    "monthly-31st-skips",
    "monthly BYMONTHDAY=31 skips months without a 31st",
    vcal(ev("l3", "DTSTART:20260131T100000Z", "DURATION:PT1H", "RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4")),
    [q("20260101T000000Z", "20261001T000000Z")],
)
case(
    "bysetpos-last-workday",
    "monthly last workday: BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    vcal(ev("s1", "DTSTART:20260130T160000Z", "DURATION:PT1H", "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=6")),
    [q("20260101T000000Z", "20260801T000000Z")],
)
case(
    "bysetpos-second",
    "monthly second Tuesday-or-Thursday: BYDAY=TU,TH;BYSETPOS=2",
    vcal(ev("s2", "DTSTART:20260106T100000Z", "DURATION:PT1H", "RRULE:FREQ=MONTHLY;BYDAY=TU,TH;BYSETPOS=2;COUNT=4")),
    [q("20260101T000000Z", "20260601T000000Z")],
    source="manual",
    note="DTSTART 2026-01-06 is the 2nd TU/TH of January (Jan 1 is a Thursday); Feb: 5th; Mar: 5th; Apr: 7th.",
)
case(
    "bysetpos-yearly-first-weekend-day",
    "yearly in March, first weekend day: BYMONTH=3;BYDAY=SA,SU;BYSETPOS=1",
    vcal(ev("s3", "DTSTART:20260301T090000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=SA,SU;BYSETPOS=1;COUNT=3")),
    [q("20260101T000000Z", "20290101T000000Z")],
)

# ---------------------------------------------------------------- RDATE / EXDATE
case(
    "rdate-datetimes",
    "RDATE date-times add instances with the master's duration",
    vcal(ev("r1", "DTSTART:20260301T100000Z", "DTEND:20260301T103000Z", "RDATE:20260305T140000Z,20260320T080000Z")),
    [q("20260301T000000Z", "20260401T000000Z"), q("20260320T000000Z", "20260321T000000Z")],
)
case(
    "rdate-period",
    "RDATE;VALUE=PERIOD: that instance has the period's own duration (RFC 5545 §3.8.5.2)",
    vcal(ev("r2", "DTSTART:20260301T100000Z", "DTEND:20260301T110000Z", "RDATE;VALUE=PERIOD:20260310T090000Z/20260310T170000Z")),
    [q("20260310T150000Z", "20260310T160000Z"), q("20260301T000000Z", "20260401T000000Z")],
    source="manual",
    note="The oracle gives the RDATE period the master's one-hour duration; RFC 5545 gives it 09:00–17:00.",
)
case(
    "rdate-dates-allday",
    "all-day event with RDATE;VALUE=DATE",
    vcal(ev("r3", "DTSTART;VALUE=DATE:20260401", "DTEND;VALUE=DATE:20260402", "RDATE;VALUE=DATE:20260415,20260501")),
    [q("20260401T000000Z", "20260601T000000Z")],
)
case(
    "exdate-dtstart",
    "EXDATE on DTSTART removes the first instance",
    vcal(ev("r4", "DTSTART:20260601T100000Z", "DTEND:20260601T110000Z", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE:20260601T100000Z")),
    [q("20260601T000000Z", "20260610T000000Z"), q("20260601T000000Z", "20260602T000000Z")],
)
case(
    "exdate-tzid",
    "EXDATE with TZID matches the zoned instance",
    vcal(VIENNA, ev("r5", "DTSTART;TZID=Europe/Vienna:20260601T100000", "DTEND;TZID=Europe/Vienna:20260601T110000", "RRULE:FREQ=WEEKLY;COUNT=4", "EXDATE;TZID=Europe/Vienna:20260608T100000")),
    [q("20260601T000000Z", "20260701T000000Z")],
)

# ---------------------------------------------------------------- overrides
OVR = "DTSTART;TZID=Europe/Vienna:20260302T090000", "DTEND;TZID=Europe/Vienna:20260302T100000", "RRULE:FREQ=WEEKLY;COUNT=6", "SUMMARY:Weekly"
case(
    "override-moved-into-window",
    "an instance outside the window moved into it is found (and the window's own slot stays)",
    vcal(VIENNA, ev("o1", *OVR), ev("o1", "RECURRENCE-ID;TZID=Europe/Vienna:20260316T090000", "DTSTART;TZID=Europe/Vienna:20260311T140000", "DTEND;TZID=Europe/Vienna:20260311T150000", "SUMMARY:Moved in")),
    [q("20260310T000000Z", "20260313T000000Z"), q("20260316T000000Z", "20260317T000000Z")],
)
case(
    "override-moved-out-of-window",
    "an instance moved out of the window is no longer found there",
    vcal(VIENNA, ev("o2", *OVR), ev("o2", "RECURRENCE-ID;TZID=Europe/Vienna:20260309T090000", "DTSTART;TZID=Europe/Vienna:20260320T140000", "DTEND;TZID=Europe/Vienna:20260320T150000", "SUMMARY:Moved out")),
    [q("20260309T000000Z", "20260310T000000Z"), q("20260320T000000Z", "20260321T000000Z"), q("20260301T000000Z", "20260501T000000Z")],
)
case(
    "override-longer",
    "an override with a longer duration overlaps a later range",
    vcal(VIENNA, ev("o3", *OVR), ev("o3", "RECURRENCE-ID;TZID=Europe/Vienna:20260323T090000", "DTSTART;TZID=Europe/Vienna:20260323T090000", "DTEND;TZID=Europe/Vienna:20260323T180000", "SUMMARY:Workshop")),
    [q("20260323T150000Z", "20260323T160000Z")],
)
case(
    "override-cancelled",
    "a cancelled override still exists for time-range and expand, but is free time",
    vcal(VIENNA, ev("o4", *OVR), ev("o4", "RECURRENCE-ID;TZID=Europe/Vienna:20260309T090000", "DTSTART;TZID=Europe/Vienna:20260309T090000", "DTEND;TZID=Europe/Vienna:20260309T100000", "STATUS:CANCELLED", "SUMMARY:Cancelled")),
    [q("20260309T000000Z", "20260310T000000Z"), q("20260301T000000Z", "20260320T000000Z")],
)
case(
    "override-rid-utc",
    "RECURRENCE-ID given in UTC for a zoned master matches the instance by instant",
    vcal(VIENNA, ev("o5", *OVR), ev("o5", "RECURRENCE-ID:20260309T080000Z", "DTSTART:20260309T150000Z", "DTEND:20260309T160000Z", "SUMMARY:UTC override")),
    [q("20260309T000000Z", "20260310T000000Z")],
)
case(
    "override-thisandfuture",
    "RANGE=THISANDFUTURE moves this and every later instance by +2h and renames them",
    vcal(VIENNA, ev("o6", *OVR), ev("o6", "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Vienna:20260323T090000", "DTSTART;TZID=Europe/Vienna:20260323T110000", "DTEND;TZID=Europe/Vienna:20260323T120000", "SUMMARY:Later")),
    [q("20260301T000000Z", "20260501T000000Z"), q("20260330T070000Z", "20260330T080000Z"), q("20260330T090000Z", "20260330T100000Z")],
    source="manual",
    note="The oracle does not implement RANGE=THISANDFUTURE (RFC 5545 §3.8.4.4); shifted by 2 h from 03-23 on.",
)
case(
    "override-orphan",
    "an override whose master is not in the object is one instance",
    vcal(ev("o7", "RECURRENCE-ID:20260402T100000Z", "DTSTART:20260402T120000Z", "DTEND:20260402T130000Z", "SUMMARY:Invitation instance")),
    [q("20260402T000000Z", "20260403T000000Z"), q("20260402T100000Z", "20260402T110000Z")],
    source="manual",
    note="The instance keeps its RECURRENCE-ID in expanded output.",
)

# ---------------------------------------------------------------- unbounded rules, far ranges
case(
    "unbounded-daily-two-years",
    "unbounded daily rule: a range two years out",
    vcal(VIENNA, ev("f1", "DTSTART;TZID=Europe/Vienna:20260105T073000", "DTEND;TZID=Europe/Vienna:20260105T080000", "RRULE:FREQ=DAILY")),
    [q("20280301T000000Z", "20280303T000000Z")],
)
case(
    "unbounded-weekly-far-future",
    "unbounded weekly rule: a range 30 years out (beyond the write-time index horizon)",
    vcal(VIENNA, ev("f2", "DTSTART;TZID=Europe/Vienna:20260105T100000", "DTEND;TZID=Europe/Vienna:20260105T110000", "RRULE:FREQ=WEEKLY;BYDAY=MO")),
    [q("20560101T000000Z", "20560115T000000Z")],
)
case(
    "unbounded-monthly-before-start",
    "a range before DTSTART finds nothing",
    vcal(ev("f3", "DTSTART:20260115T100000Z", "DTEND:20260115T110000Z", "RRULE:FREQ=MONTHLY")),
    [q("20250101T000000Z", "20260101T000000Z")],
)

# ---------------------------------------------------------------- §9.9 VEVENT boundaries
case(
    "boundary-end-equals-range-start",
    "an event ending exactly at the range start does not overlap (end > start)",
    vcal(ev("b1", "DTSTART:20260501T090000Z", "DTEND:20260501T100000Z")),
    [q("20260501T100000Z", "20260501T110000Z"), q("20260501T095959Z", "20260501T110000Z")],
)
case(
    "boundary-start-equals-range-end",
    "an event starting exactly at the range end does not overlap (start < end)",
    vcal(ev("b2", "DTSTART:20260501T110000Z", "DTEND:20260501T120000Z")),
    [q("20260501T100000Z", "20260501T110000Z"), q("20260501T100000Z", "20260501T110001Z")],
)
case(
    "boundary-zero-duration",
    "DTEND = DTSTART: (start <= DTSTART AND end > DTSTART)",
    vcal(ev("b3", "DTSTART:20260501T100000Z", "DTEND:20260501T100000Z")),
    [q("20260501T100000Z", "20260501T110000Z", match=True, instances=[[None, "20260501T100000Z", "20260501T100000Z"]], busy=[]),
     q("20260501T090000Z", "20260501T100000Z", match=False, instances=[], busy=[])],
    source="manual",
    note="§9.9 VEVENT table, DURATION = 0 row.",
)
case(
    "boundary-dtstart-only",
    "DTSTART date-time without DTEND/DURATION: a point in time",
    vcal(ev("b4", "DTSTART:20260501T100000Z")),
    [q("20260501T100000Z", "20260501T100001Z", match=True, instances=[[None, "20260501T100000Z", None]], busy=[]),
     q("20260501T090000Z", "20260501T100000Z", match=False, instances=[], busy=[])],
    source="manual",
    note="§9.9 VEVENT table, DTSTART only row; no busy time.",
)
case(
    "allday-multiday-last-day",
    "a three-day all-day event (floating DATEs) is found on its last day",
    vcal(ev("b5", "DTSTART;VALUE=DATE:20260710", "DTEND;VALUE=DATE:20260713")),
    [q("20260712T120000Z", "20260712T130000Z"), q("20260713T000000Z", "20260714T000000Z")],
)
case(
    "allday-no-dtend",
    "DATE DTSTART alone lasts one day: (start < DTSTART+P1D AND end > DTSTART)",
    vcal(ev("b6", "DTSTART;VALUE=DATE:20260710")),
    [q("20260710T230000Z", "20260711T000000Z", match=True, instances=[[None, "20260710", None]]),
     q("20260711T000000Z", "20260711T010000Z", match=False, instances=[])],
    source="manual",
    note="§9.9 VEVENT table, DTSTART DATE row.",
)
case(
    "allday-calendar-timezone",
    "all-day event in a calendar whose calendar-timezone is Europe/Vienna: the day is Vienna's",
    vcal(ev("b7", "DTSTART;VALUE=DATE:20260710", "DTEND;VALUE=DATE:20260711")),
    [q("20260709T223000Z", "20260709T230000Z"), q("20260710T223000Z", "20260710T230000Z")],
    zone="Europe/Vienna",
    source="manual",
    note="RFC 4791 §7.3: the day runs 2026-07-09T22:00Z–2026-07-10T22:00Z.",
)
case(
    "floating-calendar-timezone-newyork",
    "floating 09:00 read in calendar-timezone America/New_York (13:00Z in summer)",
    vcal(ev("b8", "DTSTART:20260710T090000", "DTEND:20260710T100000", "RRULE:FREQ=DAILY;COUNT=2")),
    [q("20260710T130000Z", "20260710T133000Z", match=True, instances=[["20260710T130000Z", "20260710T130000Z", "20260710T140000Z"]],
       busy=[["BUSY", "20260710T130000Z/20260710T133000Z"]]),
     q("20260710T090000Z", "20260710T100000Z", match=False, instances=[], busy=[])],
    zone="America/New_York",
    source="manual",
    note="RFC 4791 §7.3: floating times in the calendar's zone; the oracle compares them as UTC.",
)
case(
    "floating-no-calendar-timezone",
    "floating time without a calendar-timezone is read as UTC",
    vcal(ev("b9", "DTSTART:20260710T090000", "DTEND:20260710T100000")),
    [q("20260710T090000Z", "20260710T093000Z"), q("20260710T130000Z", "20260710T133000Z")],
    source="manual",
    note="§7.3 leaves the zone to the server when none is known; davgate uses UTC.",
)
case(
    "yearly-birthday-floating",
    "yearly all-day birthday across years",
    vcal(ev("b10", "DTSTART;VALUE=DATE:20200315", "DTEND;VALUE=DATE:20200316", "RRULE:FREQ=YEARLY", "TRANSP:TRANSPARENT")),
    [q("20270301T000000Z", "20270401T000000Z")],
)

# ---------------------------------------------------------------- free-busy status and transparency
case(
    "busy-tentative-transparent",
    "TENTATIVE is BUSY-TENTATIVE; TRANSPARENT is free (§7.10 table)",
    vcal(ev("fb1", "DTSTART:20260601T090000Z", "DTEND:20260601T100000Z", "STATUS:TENTATIVE", "RRULE:FREQ=DAILY;COUNT=2"), ev("fb1", "RECURRENCE-ID:20260602T090000Z", "DTSTART:20260602T090000Z", "DTEND:20260602T100000Z", "TRANSP:TRANSPARENT")),
    [q("20260601T000000Z", "20260603T000000Z")],
)

# ---------------------------------------------------------------- VTODO (§9.9 VTODO table), manual
def todo(uid, *lines):
    return comp("VTODO", uid, *lines)


case("todo-dtstart-due", "VTODO DTSTART+DUE: ((start < DUE) OR (start <= DTSTART)) AND ((end > DTSTART) OR (end >= DUE))",
     vcal(todo("t1", "DTSTART:20260801T090000Z", "DUE:20260801T170000Z")),
     [q("20260801T170000Z", "20260801T180000Z", match=False), q("20260801T160000Z", "20260801T180000Z", match=True),
      q("20260801T080000Z", "20260801T090000Z", match=False)],
     component="VTODO", source="manual")
case("todo-due-only", "VTODO DUE only: (start < DUE) AND (end >= DUE)",
     vcal(todo("t2", "DUE:20260801T170000Z")),
     [q("20260801T160000Z", "20260801T170000Z", match=True), q("20260801T170000Z", "20260801T180000Z", match=False)],
     component="VTODO", source="manual")
case("todo-dtstart-duration", "VTODO DTSTART+DURATION: (start <= DTSTART+DURATION) AND ((end > DTSTART) OR (end >= DTSTART+DURATION))",
     vcal(todo("t3", "DTSTART:20260801T090000Z", "DURATION:PT2H")),
     [q("20260801T110000Z", "20260801T120000Z", match=True), q("20260801T110001Z", "20260801T120000Z", match=False),
      q("20260801T080000Z", "20260801T090000Z", match=False)],
     component="VTODO", source="manual")
case("todo-dtstart-only", "VTODO DTSTART only: (start <= DTSTART) AND (end > DTSTART)",
     vcal(todo("t4", "DTSTART:20260801T090000Z")),
     [q("20260801T090000Z", "20260801T090001Z", match=True), q("20260801T080000Z", "20260801T090000Z", match=False)],
     component="VTODO", source="manual")
case("todo-completed-created", "VTODO COMPLETED+CREATED: ((start <= CREATED) OR (start <= COMPLETED)) AND ((end >= CREATED) OR (end >= COMPLETED))",
     vcal(todo("t5", "CREATED:20260701T000000Z", "COMPLETED:20260705T000000Z")),
     [q("20260705T000000Z", "20260706T000000Z", match=True), q("20260630T000000Z", "20260701T000000Z", match=True),
      q("20260705T000001Z", "20260706T000000Z", match=False), q("20260601T000000Z", "20260630T235959Z", match=False)],
     component="VTODO", source="manual")
case("todo-completed-only", "VTODO COMPLETED only: (start <= COMPLETED) AND (end >= COMPLETED)",
     vcal(todo("t6", "COMPLETED:20260705T120000Z")),
     [q("20260705T000000Z", "20260705T120000Z", match=True), q("20260705T120001Z", "20260706T000000Z", match=False)],
     component="VTODO", source="manual")
case("todo-created-only", "VTODO CREATED only: (end > CREATED)",
     vcal(todo("t7", "CREATED:20260705T120000Z")),
     [q("20300101T000000Z", "20300102T000000Z", match=True), q("20260705T110000Z", "20260705T120000Z", match=False)],
     component="VTODO", source="manual")
case("todo-no-dates", "VTODO with none of the dates matches every range",
     vcal(todo("t8", "SUMMARY:Someday")),
     [q("19900101T000000Z", "19900102T000000Z", match=True)],
     component="VTODO", source="manual")
case("todo-recurring-due", "weekly VTODO with DTSTART and DUE: DUE moves with each instance",
     vcal(todo("t9", "DTSTART:20260803T080000Z", "DUE:20260803T160000Z", "RRULE:FREQ=WEEKLY;COUNT=3")),
     [q("20260810T150000Z", "20260810T153000Z", match=True, instances=[["20260810T080000Z", "20260810T080000Z"]]),
      q("20260812T000000Z", "20260816T000000Z", match=False, instances=[])],
     component="VTODO", source="manual")

# ---------------------------------------------------------------- VJOURNAL, VFREEBUSY, manual
def journal(uid, *lines):
    return comp("VJOURNAL", uid, *lines)


case("journal-date", "VJOURNAL with a DATE: the whole day",
     vcal(journal("j1", "DTSTART;VALUE=DATE:20260901", "SUMMARY:Notes")),
     [q("20260901T230000Z", "20260902T000000Z", match=True), q("20260902T000000Z", "20260903T000000Z", match=False)],
     component="VJOURNAL", source="manual")
case("journal-datetime", "VJOURNAL with a date-time: (start <= DTSTART) AND (end > DTSTART)",
     vcal(journal("j2", "DTSTART:20260901T100000Z")),
     [q("20260901T100000Z", "20260901T110000Z", match=True), q("20260901T090000Z", "20260901T100000Z", match=False)],
     component="VJOURNAL", source="manual")
case("journal-no-dtstart", "VJOURNAL without DTSTART never matches a time-range",
     vcal(journal("j3", "SUMMARY:Undated")),
     [q("19000101T000000Z", "21000101T000000Z", match=False)],
     component="VJOURNAL", source="manual")
case("journal-recurring", "daily VJOURNAL with DATE values",
     vcal(journal("j4", "DTSTART;VALUE=DATE:20260901", "RRULE:FREQ=DAILY;COUNT=3")),
     [q("20260903T120000Z", "20260903T130000Z", match=True, instances=[["20260903", "20260903"]]),
      q("20260904T000000Z", "20260905T000000Z", match=False, instances=[])],
     component="VJOURNAL", source="manual")
case("freebusy-dtstart-dtend", "VFREEBUSY with DTSTART/DTEND: (start <= DTEND) AND (end > DTSTART)",
     vcal(comp("VFREEBUSY", "fb2", "DTSTART:20261001T000000Z", "DTEND:20261002T000000Z", "FREEBUSY:20261001T090000Z/20261001T100000Z")),
     [q("20261002T000000Z", "20261003T000000Z", match=True), q("20261002T000001Z", "20261003T000000Z", match=False)],
     component="VFREEBUSY", source="manual")
case("freebusy-periods", "VFREEBUSY without DTSTART/DTEND is tested period by period",
     vcal(comp("VFREEBUSY", "fb3", "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20261001T090000Z/PT1H,20261001T140000Z/20261001T150000Z")),
     [q("20261001T100000Z", "20261001T140000Z", match=False, busy=[]), q("20261001T093000Z", "20261001T143000Z", match=True,
      busy=[["BUSY-UNAVAILABLE", "20261001T093000Z/20261001T100000Z"], ["BUSY-UNAVAILABLE", "20261001T140000Z/20261001T143000Z"]])],
     component="VFREEBUSY", source="manual")

# ---------------------------------------------------------------- VALARM (nested comp-filter), manual
ALARM = ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "TRIGGER:-PT15M", "END:VALARM"]
case("alarm-recurring-start", "VALARM 15 min before each weekly instance: only the trigger instant counts",
     vcal(ev("a1", "DTSTART:20261102T100000Z", "DTEND:20261102T110000Z", "RRULE:FREQ=WEEKLY;COUNT=3", *ALARM)),
     [q("20261109T094000Z", "20261109T095000Z", match=True), q("20261109T095000Z", "20261109T100000Z", match=False),
      q("20261123T094000Z", "20261123T095000Z", match=False)],
     component="VALARM", source="manual", note="Filter: VCALENDAR > VEVENT > VALARM time-range.")
case("alarm-related-end", "VALARM TRIGGER;RELATED=END:PT0S fires at the end",
     vcal(ev("a2", "DTSTART:20261102T100000Z", "DTEND:20261102T110000Z", "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Done", "TRIGGER;RELATED=END:PT0S", "END:VALARM")),
     [q("20261102T110000Z", "20261102T110001Z", match=True), q("20261102T100000Z", "20261102T110000Z", match=False)],
     component="VALARM", source="manual")

# ---------------------------------------------------------------- repaired time zones (ingest)
case(
    "windows-tzid-outlook",
    "Outlook TZID 'W. Europe Standard Time' is mapped to Europe/Berlin (CLDR) and its VTIMEZONE replaced",
    vcal(OUTLOOK_WEST, ev("w1", 'DTSTART;TZID="W. Europe Standard Time":20260316T100000', 'DTEND;TZID="W. Europe Standard Time":20260316T110000', "RRULE:FREQ=WEEKLY;COUNT=4")),
    [q("20260301T000000Z", "20260501T000000Z")],
    source="manual",
    note="Times as Europe/Berlin: 09:00Z until 03-29, then 08:00Z.",
    repairs=['TZID "W. Europe Standard Time" → "Europe/Berlin"'],
)
case(
    "display-name-tzid-rule-match",
    "an Outlook display-name TZID is resolved by matching its VTIMEZONE rules",
    vcal(OUTLOOK_DISPLAY, ev("w2", 'DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna":20260701T100000', "DURATION:PT1H")),
    [q("20260701T080000Z", "20260701T083000Z", match=True, instances=[[None, "20260701T080000Z", "20260701T090000Z"]])],
    source="manual",
    note="Resolved to a zone with the CET/CEST rules; 10:00 CEST = 08:00Z.",
)
case(
    "missing-vtimezone-newyork",
    "TZID=America/New_York without a VTIMEZONE (RFC 7809 calendar-no-timezone): synthesised from IANA data",
    vcal(ev("m1", "DTSTART;TZID=America/New_York:20260704T200000", "DTEND;TZID=America/New_York:20260704T220000")),
    [q("20260705T000000Z", "20260705T010000Z")],
    repairs=["added VTIMEZONE America/New_York"],
)
case(
    "tzid-trailing-space",
    "TZID with a trailing space (Outlook/Teams) is trimmed",
    vcal(VIENNA.replace("TZID:Europe/Vienna", "TZID:Europe/Vienna "), ev("m2", "DTSTART;TZID=Europe/Vienna :20260704T200000", "DTEND;TZID=Europe/Vienna :20260704T210000")),
    [q("20260704T180000Z", "20260704T183000Z")],
    repairs=['TZID "Europe/Vienna " → "Europe/Vienna"'],
)
case(
    "exdate-date-vs-datetime",
    "EXDATE;VALUE=DATE against a date-time DTSTART removes that day's instance (repaired to DTSTART's time)",
    vcal(VIENNA, ev("m3", "DTSTART;TZID=Europe/Vienna:20260601T100000", "DTEND;TZID=Europe/Vienna:20260601T110000", "RRULE:FREQ=DAILY;COUNT=4", "EXDATE;VALUE=DATE:20260602")),
    [q("20260601T000000Z", "20260610T000000Z")],
    source="manual",
    note="Instances 06-01, 06-03, 06-04 at 08:00Z (10:00 CEST).",
    repairs=["EXDATE dates of VEVENT given DTSTART's time 100000"],
)


# ---------------------------------------------------------------- BYWEEKNO (RFC 5545 §3.3.10)
# ical.js 2.2 expands these wrongly; src/caldav/byweekno.ts filters a FREQ=DAILY superset by week number.
case(
    "byweekno-negative-last-week",
    "yearly BYWEEKNO=-1;BYDAY=TH: Thursday of the last ISO week (week 53 in 2026, 52 after)",
    vcal(ev("k1", "DTSTART:20261231T140000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYWEEKNO=-1;BYDAY=TH;COUNT=4")),
    [q("20260101T000000Z", "20310101T000000Z"), q("20271201T000000Z", "20280101T000000Z")],
)
case(
    "byweekno-53",
    "yearly BYWEEKNO=53;BYDAY=MO only in years with 53 weeks (2020, 2026, then 2032)",
    vcal(ev("k2", "DTSTART:20201228T080000Z", "DURATION:PT30M", "RRULE:FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO;COUNT=3")),
    [q("20200101T000000Z", "20310101T000000Z"), q("20210101T000000Z", "20260601T000000Z")],
)
case(
    "byweekno-week1-in-december",
    "BYWEEKNO=1;BYDAY=MO,FR: week 1's Monday can lie in December of the year before (2029-12-31)",
    vcal(ev("k3", "DTSTART:20260102T090000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO,FR;UNTIL=20310101T000000Z")),
    [q("20260101T000000Z", "20310201T000000Z"), q("20291201T000000Z", "20300201T000000Z")],
)
case(
    "byweekno-wkst-su",
    "BYWEEKNO=2;BYDAY=SU,SA;WKST=SU: weeks start on Sunday (week 1 holds 4 January)",
    vcal(ev("k4", "DTSTART:20260111T100000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYWEEKNO=2;BYDAY=SU,SA;WKST=SU;COUNT=6")),
    [q("20260101T000000Z", "20300101T000000Z")],
)
case(
    "byweekno-wkst-mo-same-rule",
    "the same rule with WKST=MO selects other dates",
    vcal(ev("k5", "DTSTART:20260110T100000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYWEEKNO=2;BYDAY=SU,SA;WKST=MO;COUNT=6")),
    [q("20260101T000000Z", "20300101T000000Z")],
)
case(
    "byweekno-vienna-dst-interval",
    "every other year, Sunday of week 13 10:00 Europe/Vienna (the EU switch day in 2026), UNTIL in UTC",
    vcal(VIENNA, ev("k6", "DTSTART;TZID=Europe/Vienna:20260329T100000", "DTEND;TZID=Europe/Vienna:20260329T110000", "RRULE:FREQ=YEARLY;INTERVAL=2;BYWEEKNO=13;BYDAY=SU;UNTIL=20320101T000000Z")),
    [q("20260101T000000Z", "20340101T000000Z"), q("20280301T000000Z", "20280501T000000Z")],
)
case(
    "byweekno-several-negative-bymonth",
    "BYWEEKNO=1,-2;BYDAY=WE;BYMONTH=12: only the December Wednesdays of those weeks",
    vcal(ev("k7", "DTSTART:20261223T070000Z", "DURATION:PT2H", "RRULE:FREQ=YEARLY;BYWEEKNO=1,-2;BYDAY=WE;BYMONTH=12;COUNT=5")),
    [q("20260101T000000Z", "20320101T000000Z")],
)
case(
    "byweekno-bysetpos",
    "BYWEEKNO=10,11;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1: the last workday of week 11",
    vcal(ev("k8", "DTSTART:20260313T160000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYWEEKNO=10,11;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3")),
    [q("20260101T000000Z", "20300101T000000Z")],
)
case(
    "byweekno-allday",
    "all-day BYWEEKNO=1;BYDAY=MO: dates, including 2029-12-31 (week 1 of 2030)",
    vcal(ev("k9", "DTSTART;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270105", "RRULE:FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;COUNT=4")),
    [q("20270101T000000Z", "20310101T000000Z")],
)
case(
    "byweekno-without-byday",
    "BYWEEKNO=20 without BYDAY recurs on DTSTART's weekday of week 20",
    vcal(ev("k10", "DTSTART:20260513T120000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYWEEKNO=20;COUNT=3")),
    [q("20260101T000000Z", "20290101T000000Z")],
    source="manual",
    note="RFC 5545 §3.3.10: what the rule leaves open comes from DTSTART (a Wednesday), as libical does; the oracle (dateutil) returns all seven days of week 20.",
)

# ---------------------------------------------------------------- manual expectations
MANUAL = {
    "vienna-weekly-autumn-dst": [[
        ["20261011T003000Z", "20261011T003000Z", "20261011T010000Z"],
        ["20261018T003000Z", "20261018T003000Z", "20261018T010000Z"],
        ["20261025T003000Z", "20261025T003000Z", "20261025T010000Z"],
        ["20261101T013000Z", "20261101T013000Z", "20261101T020000Z"],
    ]],
    "vienna-daily-spring-gap": [[
        ["20260327T013000Z", "20260327T013000Z", "20260327T020000Z"],
        ["20260328T013000Z", "20260328T013000Z", "20260328T020000Z"],
        ["20260329T013000Z", "20260329T013000Z", "20260329T020000Z"],
        ["20260330T003000Z", "20260330T003000Z", "20260330T010000Z"],
    ]],
    "vienna-dtend-exact-duration": [[
        ["20260327T210000Z", "20260327T210000Z", "20260328T070000Z"],
        ["20260328T210000Z", "20260328T210000Z", "20260329T070000Z"],
        ["20260329T200000Z", "20260329T200000Z", "20260330T060000Z"],
    ]],
    "vienna-yearly-last-sunday-march": [
        [["20260329T003000Z", "20260329T003000Z", "20260329T023000Z"]],
        [["20280326T003000Z", "20280326T003000Z", "20280326T023000Z"]],
    ],
    "dtstart-not-in-rule": [[
        ["20260107T100000Z", "20260107T100000Z", "20260107T110000Z"],
        ["20260112T100000Z", "20260112T100000Z", "20260112T110000Z"],
        ["20260119T100000Z", "20260119T100000Z", "20260119T110000Z"],
    ]],
    "bysetpos-second": [[
        ["20260106T100000Z", "20260106T100000Z", "20260106T110000Z"],
        ["20260205T100000Z", "20260205T100000Z", "20260205T110000Z"],
        ["20260305T100000Z", "20260305T100000Z", "20260305T110000Z"],
        ["20260407T100000Z", "20260407T100000Z", "20260407T110000Z"],
    ]],
    "rdate-period": [
        [["20260310T090000Z", "20260310T090000Z", "20260310T170000Z"]],
        [["20260301T100000Z", "20260301T100000Z", "20260301T110000Z"], ["20260310T090000Z", "20260310T090000Z", "20260310T170000Z"]],
    ],
    "override-thisandfuture": [
        [
            ["20260302T080000Z", "20260302T080000Z", "20260302T090000Z"],
            ["20260309T080000Z", "20260309T080000Z", "20260309T090000Z"],
            ["20260316T080000Z", "20260316T080000Z", "20260316T090000Z"],
            ["20260323T080000Z", "20260323T100000Z", "20260323T110000Z"],
            ["20260330T070000Z", "20260330T090000Z", "20260330T100000Z"],
            ["20260406T070000Z", "20260406T090000Z", "20260406T100000Z"],
        ],
        [],
        [["20260330T070000Z", "20260330T090000Z", "20260330T100000Z"]],
    ],
    "override-orphan": [
        [["20260402T100000Z", "20260402T120000Z", "20260402T130000Z"]],
        [],
    ],
    "allday-calendar-timezone": [[[None, "20260710", "20260711"]], []],
    "floating-no-calendar-timezone": [[[None, "20260710T090000Z", "20260710T100000Z"]], []],
    "windows-tzid-outlook": [[
        ["20260316T090000Z", "20260316T090000Z", "20260316T100000Z"],
        ["20260323T090000Z", "20260323T090000Z", "20260323T100000Z"],
        ["20260330T080000Z", "20260330T080000Z", "20260330T090000Z"],
        ["20260406T080000Z", "20260406T080000Z", "20260406T090000Z"],
    ]],
    "byweekno-without-byday": [[
        ["20260513T120000Z", "20260513T120000Z", "20260513T130000Z"],
        ["20270519T120000Z", "20270519T120000Z", "20270519T130000Z"],
        ["20280517T120000Z", "20280517T120000Z", "20280517T130000Z"],
    ]],
    "exdate-date-vs-datetime": [[
        ["20260601T080000Z", "20260601T080000Z", "20260601T090000Z"],
        ["20260603T080000Z", "20260603T080000Z", "20260603T090000Z"],
        ["20260604T080000Z", "20260604T080000Z", "20260604T090000Z"],
    ]],
}

# Manual busy expectations where the derived ones would be wrong (cancelled/periods handled by oracle).
MANUAL_BUSY = {
    "rdate-period": [
        [["BUSY", "20260310T150000Z/20260310T160000Z"]],
        [["BUSY", "20260301T100000Z/20260301T110000Z"], ["BUSY", "20260310T090000Z/20260310T170000Z"]],
    ],
    "override-thisandfuture": [
        [["BUSY", "20260302T080000Z/20260302T090000Z"], ["BUSY", "20260309T080000Z/20260309T090000Z"],
         ["BUSY", "20260316T080000Z/20260316T090000Z"], ["BUSY", "20260323T100000Z/20260323T110000Z"],
         ["BUSY", "20260330T090000Z/20260330T100000Z"], ["BUSY", "20260406T090000Z/20260406T100000Z"]],
        [],
        [["BUSY", "20260330T090000Z/20260330T100000Z"]],
    ],
}


def busy_of(instances, start, end, transparent=False, zone=None):
    s, e = parse_utc(start), parse_utc(end)
    out = []
    for _rid, a, b in instances:
        if b is None or transparent:
            continue
        if len(a) == 8:
            a_ = day_start(dt.datetime.strptime(a, "%Y%m%d").date(), zone)
            b_ = day_start(dt.datetime.strptime(b, "%Y%m%d").date(), zone)
        else:
            a_, b_ = parse_utc(a), parse_utc(b)
        if b_ > a_:
            out.append(["BUSY", max(a_, s), min(b_, e)])
    return coalesce(out)


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    for n, c in enumerate(CASES, 1):
        base = f"{n:02d}-{c['name']}"
        with open(os.path.join(OUT, base + ".ics"), "w", newline="") as f:
            f.write(c["ics"])
        queries = []
        for i, qq in enumerate(c["queries"]):
            item = {"start": qq["start"], "end": qq["end"]}
            if c["component"] == "VEVENT" and c["name"] in MANUAL:
                inst = MANUAL[c["name"]][i]
                item["instances"] = inst
                item["match"] = len(inst) > 0
                busy = MANUAL_BUSY.get(c["name"], [None] * 9)[i]
                item["busy"] = busy if busy is not None else busy_of(inst, qq["start"], qq["end"], zone=c["zone"])
            elif c["source"] == "oracle":
                inst, busy = oracle(c["ics"], qq["start"], qq["end"], c["zone"])
                item["instances"] = inst
                item["match"] = len(inst) > 0
                item["busy"] = busy
            for k in ("match", "instances", "busy"):
                if k in qq:
                    item[k] = qq[k]
            queries.append(item)
        meta = {"title": c["title"], "component": c["component"], "source": c["source"], "queries": queries}
        if c["zone"]:
            meta["calendarTimezone"] = c["zone"]
        if c["note"]:
            meta["note"] = c["note"]
        if c["repairs"]:
            meta["repairs"] = c["repairs"]
        if c["note"] and c["note"].startswith("Known deviation"):
            meta["knownDeviation"] = c["note"]
        with open(os.path.join(OUT, base + ".json"), "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
    print(f"{len(CASES)} cases written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
