"""Read an iCalendar body with two independent parsers (icalendar and vobject) and check they agree.

A feed that only our own library reads back proves little: calendar apps use other parsers.
"""

import datetime

import icalendar
import vobject


def _utc(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc)
    return value


def _forget_vobject_timezones() -> None:
    """vobject keeps the first VTIMEZONE it ever read for a TZID, for the life of the process:
    forget them, so that each feed is read with its own VTIMEZONE, as a calendar app would."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]


def parse_both(body: bytes) -> list[dict]:
    """The VEVENTs of `body`, as read by both parsers (asserted equal), in the feed's order."""
    first = []
    calendar = icalendar.Calendar.from_ical(body)
    for component in calendar.walk("VEVENT"):
        first.append({
            "uid": str(component["UID"]),
            "sequence": int(component.get("SEQUENCE", 0)),
            "status": str(component.get("STATUS", "")),
            "summary": str(component["SUMMARY"]),
            "dtstamp": _utc(component.decoded("DTSTAMP")),
            "dtstart": _utc(component.decoded("DTSTART")),
            "dtend": _utc(component.decoded("DTEND")),
            "tzid": component["DTSTART"].params.get("TZID"),
        })
    second = []
    _forget_vobject_timezones()
    parsed = vobject.readOne(body.decode("utf-8"))
    for component in getattr(parsed, "vevent_list", []):
        second.append({
            "uid": component.uid.value,
            "sequence": int(component.sequence.value) if hasattr(component, "sequence") else 0,
            "status": component.status.value if hasattr(component, "status") else "",
            "summary": component.summary.value,
            "dtstamp": _utc(component.dtstamp.value),
            "dtstart": _utc(component.dtstart.value),
            "dtend": _utc(component.dtend.value),
            # vobject turns TZID into the tzinfo it builds from the feed's VTIMEZONE.
            "aware": component.dtstart.value.tzinfo is not None and component.dtend.value.tzinfo is not None,
        })
    assert [{k: v for k, v in e.items() if k != "tzid"} | {"aware": True} for e in first] == second, (first, second)
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")  # RFC 5545: CRLF line ends
    return first
