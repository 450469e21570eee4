"""iCal export of bookings: stable UID per booking, times in Europe/Paris (TZID), no secret inside."""

import datetime

from django.conf import settings
from icalendar import Calendar, Event


def bookings_calendar(bookings) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Quai//Coworking//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.QUAI_SITE_NAME} — coworking")
    host = settings.QUAI_SITE_URL.split("//", 1)[-1].split("/", 1)[0]
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("summary", f"{booking.resource.name} — {booking.resource.site.name}")
        event.add("dtstart", booking.starts_at.astimezone(_paris()))
        event.add("dtend", booking.ends_at.astimezone(_paris()))
        event.add("dtstamp", booking.created_at)
        event.add("location", booking.resource.site.address or booking.resource.site.name)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _paris():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)
