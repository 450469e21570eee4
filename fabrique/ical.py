"""A Fabrique session as iCalendar (see quai/ical.py for the rules every feed follows): stable UID
`fabrique-session-<id>@…`, TZID Europe/Paris, the place, no secret link inside."""

from django.conf import settings
from django.urls import reverse

from quai.ical import ical_uid, single_event_calendar


def session_ics(session, *, dtstamp) -> bytes:
    return single_event_calendar(
        prodid="-//Quai//Fabrique//FR", uid=ical_uid("fabrique-session", session.pk), dtstamp=dtstamp,
        summary=f"{settings.QUAI_SITE_NAME} — {session.title}", start=session.starts_at, end=session.ends_at,
        url=settings.QUAI_SITE_URL.rstrip("/") + reverse("fabrique:home"), location=session.location,
    )
