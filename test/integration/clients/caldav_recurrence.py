"""python-caldav against davgate: a weekly event found two years after its start, expanded by the server.

Usage: caldav_recurrence.py BASE_URL USER PASSWORD

Creates a calendar, saves an unbounded weekly event in Europe/Vienna (Mondays 09:00 from 2026-01-05)
with an EXDATE and an overridden instance two years later (moved to Tuesday 14:00, new summary), then
- date_search() over two weeks of January 2028 (python-caldav asks the server to expand: expand=end);
- the same REPORT as python-caldav builds it, read raw, to see that the server (not the client) expanded;
- a search without expand, which must return the master with its RRULE.
Prints one JSON document (see python-caldav.test.ts for the pattern); exit code 1 with {"error": …} on failure.
Written against Debian's python3-caldav 0.11.
"""

import json
import sys
import traceback
from datetime import datetime, timezone
from urllib.parse import unquote, urlparse

import caldav

BASE_URL, USER, PASSWORD = sys.argv[1:4]
result = {"steps": []}
current_step = "start"


def step(name):
    global current_step
    current_step = name
    result["steps"].append(name)


def path(url):
    return unquote(urlparse(str(url)).path)


WEEKLY = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//davgate tests//python-caldav recurrence//EN",
        "BEGIN:VEVENT",
        "UID:py-weekly@davgate.test",
        "DTSTAMP:20260101T090000Z",
        "DTSTART;TZID=Europe/Vienna:20260105T090000",
        "DTEND;TZID=Europe/Vienna:20260105T100000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "EXDATE;TZID=Europe/Vienna:20280117T090000",
        "SUMMARY:Weekly review",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:py-weekly@davgate.test",
        "DTSTAMP:20260101T090000Z",
        "RECURRENCE-ID;TZID=Europe/Vienna:20280110T090000",
        "DTSTART;TZID=Europe/Vienna:20280111T140000",
        "DTEND;TZID=Europe/Vienna:20280111T150000",
        "SUMMARY:Weekly review (moved)",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


def utc(v):
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return v.strftime("%Y%m%d")


def instances(objects):
    out = []
    for o in objects:
        for c in o.icalendar_instance.walk("VEVENT"):
            rid = c.get("RECURRENCE-ID")
            out.append(
                {
                    "start": utc(c.get("DTSTART").dt),
                    "recurrenceId": utc(rid.dt) if rid is not None else None,
                    "summary": str(c.get("SUMMARY")),
                    "rrule": c.get("RRULE") is not None,
                }
            )
    return sorted(out, key=lambda i: i["start"])


def run():
    step("discover")
    client = caldav.DAVClient(url=BASE_URL, username=USER, password=PASSWORD)
    principal = client.principal()

    step("make_calendar")
    cal = principal.make_calendar(name="Recurrence", cal_id="py-recurrence", supported_calendar_component_set=["VEVENT"])

    step("save_event")
    # The VTIMEZONE is left out on purpose (RFC 7809 §2.2): the server completes it from IANA data.
    ev = cal.save_event(WEEKLY)
    result["saved"] = path(ev.url)
    stored = cal.event_by_url(ev.url).data
    result["storedHasVtimezone"] = "BEGIN:VTIMEZONE" in stored and "TZID:Europe/Vienna" in stored

    start = datetime(2028, 1, 3, tzinfo=timezone.utc)
    end = datetime(2028, 1, 24, tzinfo=timezone.utc)

    step("date_search")
    found = cal.date_search(start, end)
    result["dateSearch"] = {"objects": [path(o.url) for o in found], "instances": instances(found)}

    step("raw_expand")
    built = cal.build_search_xml_query(start=start, end=end, expand=True, comp_class=caldav.Event)
    xml = built[0] if isinstance(built, tuple) else built
    _response, raw = cal._request_report_build_resultlist(xml, caldav.Event)
    data = "".join(o.data or "" for o in raw)
    result["rawExpand"] = {
        "objects": [path(o.url) for o in raw],
        "hasRrule": "RRULE" in data,
        "hasVtimezone": "VTIMEZONE" in data,
        "instances": instances(raw),
    }

    step("search_without_expand")
    plain = cal.search(start=start, end=end, event=True, expand=False)
    result["unexpanded"] = {"objects": [path(o.url) for o in plain], "instances": instances(plain)}

    step("outside")
    result["beforeStart"] = [path(o.url) for o in cal.date_search(datetime(2025, 12, 1, tzinfo=timezone.utc), datetime(2026, 1, 5, tzinfo=timezone.utc))]

    step("cleanup")
    cal.delete()
    step("done")


try:
    run()
    code = 0
except Exception as exc:
    result["error"] = {"step": current_step, "type": type(exc).__name__, "message": str(exc)[:2000], "traceback": traceback.format_exc()[-4000:]}
    code = 1
print(json.dumps(result, indent=1, sort_keys=True))
sys.exit(code)
