"""A python-caldav session against davgate, as a calendar app would run it.

Usage: caldav_session.py BASE_URL USER PASSWORD

Discovers the principal from the bare base URL (current-user-principal), creates a calendar, writes,
reads, updates and deletes events and todos, runs a calendar-multiget and syncs by token (RFC 6578).
Prints one JSON document on stdout: what each step observed, for the node test to assert. If a step
raises, the document carries {"error": {"step", "type", "message", "traceback"}} and the exit code is 1.
Written against Debian's python3-caldav 0.11 (DAVClient, Principal, Calendar, objects_by_sync_token).
"""

import json
import sys
import traceback
from datetime import datetime, timezone
from urllib.parse import unquote, urlparse

import caldav
from caldav.lib import error

BASE_URL, USER, PASSWORD = sys.argv[1:4]
CAL_ID = "python-caldav"
CAL_NAME = "Python CalDAV Test"

result = {"steps": []}
current_step = "start"


def step(name):
    global current_step
    current_step = name
    result["steps"].append(name)


def path(url):
    return unquote(urlparse(str(url)).path)


def vcalendar(*body):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//davgate tests//python-caldav session//EN", *body, "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


BERLIN = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def event(uid, summary, start, end, *extra, tz=None):
    if tz:
        times = [f"DTSTART;TZID={tz}:{start}", f"DTEND;TZID={tz}:{end}"]
    elif len(start) == 8:
        times = [f"DTSTART;VALUE=DATE:{start}", f"DTEND;VALUE=DATE:{end}"]
    else:
        times = [f"DTSTART:{start}", f"DTEND:{end}"]
    return vcalendar(
        *(BERLIN if tz == "Europe/Berlin" else []),
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T090000Z",
        *times,
        f"SUMMARY:{summary}",
        "SEQUENCE:0",
        *extra,
        "END:VEVENT",
    )


def todo(uid, summary, due, priority):
    return vcalendar(
        "BEGIN:VTODO",
        f"UID:{uid}",
        "DTSTAMP:20260101T090000Z",
        f"DUE:{due}",
        f"PRIORITY:{priority}",
        f"SUMMARY:{summary}",
        "STATUS:NEEDS-ACTION",
        "END:VTODO",
    )


def summary_of(obj):
    return str(obj.icalendar_component.get("SUMMARY"))


def uid_of(obj):
    return str(obj.icalendar_component.get("UID"))


def fresh(cal, url):
    """The object as the server has it now (a new GET, not python-caldav's cached copy)."""
    return cal.event_by_url(url)


def get_status(client, url):
    return client.request(str(url)).status


def run():
    step("discover")
    client = caldav.DAVClient(url=BASE_URL, username=USER, password=PASSWORD)
    principal = client.principal()
    result["discovery"] = {
        "principal": path(principal.url),
        "calendarHomeSet": path(principal.calendar_home_set.url),
        "calendars": sorted([path(c.url), c.get_display_name()] for c in principal.calendars()),
    }

    step("make_calendar")
    cal = principal.make_calendar(name=CAL_NAME, cal_id=CAL_ID, supported_calendar_component_set=["VEVENT", "VTODO"])
    listed = {path(c.url): c for c in principal.calendars()}
    result["created"] = {
        "url": path(cal.url),
        "listed": path(cal.url) in listed,
        "displayName": listed[path(cal.url)].get_display_name() if path(cal.url) in listed else None,
        "components": sorted(cal.get_supported_components()),
    }

    step("initial_sync")
    initial = cal.objects_by_sync_token(load_objects=True)
    result["initialSync"] = {"count": len(list(initial)), "hasToken": bool(initial.sync_token)}

    step("save_events")
    e1 = cal.save_event(event("py-e1@davgate.test", "Planning meeting", "20260302T090000Z", "20260302T100000Z",
                              "LOCATION:Room 4", "DESCRIPTION:Quarterly planning\\, bring numbers"))
    e2 = cal.save_event(event("py-e2@davgate.test", "Dentist", "20260310T143000", "20260310T153000", tz="Europe/Berlin"))
    e3 = cal.save_event(event("py-e3@davgate.test", "Conference", "20260415", "20260418"))
    result["savedEvents"] = sorted(path(e.url) for e in (e1, e2, e3))

    step("read_events")
    by_uid = cal.event_by_uid("py-e1@davgate.test")
    got = fresh(cal, e2.url)
    result["readEvents"] = {
        "byUid": {"url": path(by_uid.url), "summary": summary_of(by_uid), "location": str(by_uid.icalendar_component.get("LOCATION"))},
        "byUrl": {"uid": uid_of(got), "summary": summary_of(got), "tzid": got.icalendar_component.get("DTSTART").params.get("TZID")},
        "all": sorted(uid_of(e) for e in cal.events()),
    }

    step("time_range_search")
    march = cal.search(start=datetime(2026, 3, 1, tzinfo=timezone.utc), end=datetime(2026, 4, 1, tzinfo=timezone.utc), event=True)
    result["timeRange"] = sorted(uid_of(e) for e in march)

    step("update_event")
    e1.icalendar_component["SUMMARY"] = "Planning meeting (moved)"
    e1.icalendar_component["LOCATION"] = "Room 7"
    e1.save()
    after = fresh(cal, e1.url)
    result["updatedEvent"] = {
        "url": path(after.url),
        "summary": summary_of(after),
        "location": str(after.icalendar_component.get("LOCATION")),
        "sequence": int(after.icalendar_component.get("SEQUENCE", -1)),
        "eventCount": len(cal.events()),
    }

    step("todos")
    t1 = cal.save_todo(todo("py-t1@davgate.test", "File taxes", "20260430T170000Z", 1))
    t2 = cal.save_todo(todo("py-t2@davgate.test", "Buy milk", "20260303T180000Z", 5))
    pending_before = sorted(uid_of(t) for t in cal.todos())
    t1.complete(completion_timestamp=datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc))
    done = cal.todo_by_uid("py-t1@davgate.test")
    result["todos"] = {
        "saved": sorted(path(t.url) for t in (t1, t2)),
        "pendingBefore": pending_before,
        "pendingAfter": sorted(uid_of(t) for t in cal.todos()),
        "all": sorted(uid_of(t) for t in cal.todos(include_completed=True)),
        "completedStatus": str(done.icalendar_component.get("STATUS")),
        "completedAt": done.icalendar_component.get("COMPLETED").dt.strftime("%Y%m%dT%H%M%SZ"),
        "eventsStillOnlyEvents": sorted(uid_of(e) for e in cal.events()),
    }

    step("multiget")
    got = cal.calendar_multiget([e1.url, e3.url, t2.url])
    result["multiget"] = sorted([path(o.url), uid_of(o), summary_of(o)] for o in got)

    step("sync_by_token")
    synced = cal.objects_by_sync_token(load_objects=True)
    token_a = synced.sync_token
    full = sorted(path(o.url) for o in synced)
    e2.icalendar_component["SUMMARY"] = "Dentist (rescheduled)"
    e2.save()
    e3.delete()
    t2.delete()
    e4 = cal.save_event(event("py-e4@davgate.test", "Team lunch", "20260320T120000Z", "20260320T130000Z"))
    delta = cal.objects_by_sync_token(token_a)
    updated, deleted = synced.sync()
    token_b = synced.sync_token
    again_updated, again_deleted = synced.sync()
    result["sync"] = {
        "initial": full,
        "tokensDiffer": token_a != token_b,
        "deltaHrefs": sorted(path(o.url) for o in delta),
        "updated": sorted(path(o.url) for o in updated),
        "updatedSummaries": sorted(summary_of(o) for o in updated),
        "deleted": sorted(path(o.url) for o in deleted),
        "afterSync": sorted(path(u) for u in synced.objects_by_url()),
        "noChange": {"updated": len(again_updated), "deleted": len(again_deleted), "sameToken": synced.sync_token == token_b},
        "e4": path(e4.url),
    }

    step("delete_event")
    e1_url = e1.url
    e1.delete()
    try:
        cal.event_by_uid("py-e1@davgate.test")
        found = True
    except error.NotFoundError:
        found = False
    result["deleted"] = {"foundByUid": found, "getStatus": get_status(client, e1_url), "remaining": sorted(uid_of(o) for o in cal.objects(load_objects=True))}

    step("delete_calendar")
    cal.delete()
    result["calendarDeleted"] = {
        "listed": path(cal.url) in [path(c.url) for c in principal.calendars()],
        "propfindStatus": client.propfind(str(cal.url), depth=0).status,
    }
    step("done")


try:
    run()
    code = 0
except Exception as exc:  # report every failure as data: the node test names the step
    result["error"] = {"step": current_step, "type": type(exc).__name__, "message": str(exc)[:2000], "traceback": traceback.format_exc()[-4000:]}
    code = 1
print(json.dumps(result, indent=1, sort_keys=True))
sys.exit(code)
