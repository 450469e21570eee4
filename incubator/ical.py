"""A mentoring session as iCalendar (see quai/ical.py for the rules every feed follows): stable UID
`incubator-session-<id>@…`, TZID Europe/Paris, the place or video link, no secret link inside.
A session logged without a time is an all-day event on its date."""

import datetime

from django.conf import settings
from django.urls import reverse

from quai.ical import ical_uid, single_event_calendar


def mentoring_session_ics(session, *, dtstamp) -> bytes:
    coach = session.coach.get_full_name() if session.coach else ""
    summary = f"{settings.QUAI_SITE_NAME} — {session.project.name}"
    timed = session.starts_at is not None
    return single_event_calendar(
        prodid="-//Quai//Incubateur//FR", uid=ical_uid("incubator-session", session.pk), dtstamp=dtstamp,
        summary=f"{summary} ({coach})" if coach else summary,
        start=session.starts_at if timed else session.date,
        end=session.ends_at if timed else session.date + datetime.timedelta(days=1),
        url=settings.QUAI_SITE_URL.rstrip("/") + reverse("incubator:project", args=[session.project_id]),
        location=session.location,
    )
