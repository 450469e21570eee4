"""What every iCalendar feed of Quai shares (RFC 5545): UIDs, the window, the HTTP answer.

- UIDs are `<kind>-<id>@QUAI_ICAL_DOMAIN`: stable for the life of the deployment, whatever host a
  request arrives on, so a calendar app updates the event it holds instead of adding a twin.
- A change keeps the UID and bumps SEQUENCE; DTSTAMP and LAST-MODIFIED are the row's last change;
  a cancellation stays in the feed as STATUS:CANCELLED (an event that merely disappears stays as a
  ghost in most calendar apps).
- VTIMEZONEs cover the feed's dates only (see `add_timezones`).
- Feeds hold the last 12 months and the future, and are answered `Cache-Control: private` (a
  personal feed must never sit in a shared cache, nor on disk: `private, no-store`).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from icalendar import Calendar
from icalendar import Event as IcsEvent

FEED_MAX_AGE_SECONDS = 300


def ical_uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{settings.QUAI_ICAL_DOMAIN}"


def feed_window_start(now: datetime.datetime) -> datetime.datetime:
    """Twelve months before `now` (29 February falls back to the 28th)."""
    try:
        return now.replace(year=now.year - 1)
    except ValueError:
        return now.replace(year=now.year - 1, day=28)


def add_timezones(calendar, moments) -> None:
    """Add the VTIMEZONE of every TZID used, covering only the feed's dates (plus a year).

    icalendar's default (1970–2038, transitions as long RDATE lists) is misread by dateutil's
    parser, which vobject and many servers use: summer times came out an hour off. A VTIMEZONE
    limited to the dates in the feed is read right by both parsers the tests use.
    """
    moments = [moment for moment in moments if moment is not None]
    if not moments:
        return
    first = min(moments).date() - datetime.timedelta(days=1)
    last = max(moments).date() + datetime.timedelta(days=366)
    calendar.add_missing_timezones(first_date=first, last_date=last)


def calendar_response(body: bytes, *, filename: str | None = None, personal: bool = False) -> HttpResponse:
    """`personal`: a member's own feed, reached by its secret URL: never stored anywhere
    (`private, no-store`). Otherwise `private` with a short freshness for calendar apps."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if personal:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, private=True, max_age=FEED_MAX_AGE_SECONDS)
    return response


def single_event_calendar(*, prodid: str, uid: str, dtstamp, summary: str, start, end, url: str, location: str = "") -> bytes:
    """One event as a whole calendar (a session's "add to my calendar" file): `start`/`end` are aware
    datetimes (shown in Europe/Paris) or dates (an all-day event)."""
    if isinstance(start, datetime.datetime):
        paris = ZoneInfo(settings.TIME_ZONE)
        start, end = start.astimezone(paris), end.astimezone(paris)
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    item = IcsEvent()
    item.add("uid", uid)
    item.add("dtstamp", dtstamp)
    item.add("summary", summary)
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("status", "CONFIRMED")
    item.add("url", url)
    if location:
        item.add("location", location)
    calendar.add_component(item)
    add_timezones(calendar, [start if isinstance(start, datetime.datetime) else None])
    return calendar.to_ical()
