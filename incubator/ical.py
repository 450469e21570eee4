"""A mentoring session as iCalendar (see quai/ical.py for the rules every feed follows): stable UID
`incubator-session-<id>@…`, TZID Europe/Paris, the place or video link, no secret link inside.
A session logged without a time is an all-day event on its date."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as IcsEvent

from quai.ical import add_timezones, ical_uid


def mentoring_session_ics(session, *, dtstamp) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Quai//Incubateur//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    item = IcsEvent()
    item.add("uid", ical_uid("incubator-session", session.pk))
    item.add("dtstamp", dtstamp)
    coach = session.coach.get_full_name() if session.coach else ""
    summary = f"{settings.QUAI_SITE_NAME} — {session.project.name}"
    item.add("summary", f"{summary} ({coach})" if coach else summary)
    starts_at = session.starts_at
    if starts_at is not None:
        paris = ZoneInfo(settings.TIME_ZONE)
        item.add("dtstart", starts_at.astimezone(paris))
        item.add("dtend", session.ends_at.astimezone(paris))
    else:
        item.add("dtstart", session.date)
        item.add("dtend", session.date + datetime.timedelta(days=1))
    item.add("status", "CONFIRMED")
    item.add("url", settings.QUAI_SITE_URL.rstrip("/") + reverse("incubator:project", args=[session.project_id]))
    if session.location:
        item.add("location", session.location)
    calendar.add_component(item)
    add_timezones(calendar, [starts_at])
    return calendar.to_ical()
