"""A Fabrique session as iCalendar (see quai/ical.py for the rules every feed follows): stable UID
`fabrique-session-<id>@…`, TZID Europe/Paris, the place, no secret link inside."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event as IcsEvent

from quai.ical import add_timezones, ical_uid


def session_ics(session, *, dtstamp) -> bytes:
    paris = ZoneInfo(settings.TIME_ZONE)
    starts_at = session.starts_at.astimezone(paris)
    calendar = Calendar()
    calendar.add("prodid", "-//Quai//Fabrique//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    item = IcsEvent()
    item.add("uid", ical_uid("fabrique-session", session.pk))
    item.add("dtstamp", dtstamp)
    item.add("summary", f"{settings.QUAI_SITE_NAME} — {session.title}")
    item.add("dtstart", starts_at)
    item.add("dtend", session.ends_at.astimezone(paris))
    item.add("status", "CONFIRMED")
    item.add("url", settings.QUAI_SITE_URL.rstrip("/") + reverse("fabrique:home"))
    if session.location:
        item.add("location", session.location)
    calendar.add_component(item)
    add_timezones(calendar, [starts_at])
    return calendar.to_ical()
