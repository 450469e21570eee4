"""A member's bookings as iCalendar (see quai/ical.py for the rules every feed follows).

A moved booking keeps its UID with SEQUENCE bumped; a cancelled or released one stays, marked
STATUS:CANCELLED. Times in Europe/Paris (TZID with its VTIMEZONE); no secret inside.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from coworking.models import Booking
from quai.ical import add_timezones, ical_uid


def bookings_calendar(bookings) -> bytes:
    paris = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Quai//Coworking//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.QUAI_SITE_NAME} — coworking")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    starts = []
    for booking in bookings:
        starts.append(booking.starts_at.astimezone(paris))
        event = Event()
        event.add("uid", ical_uid("booking", booking.pk))
        event.add("sequence", booking.sequence)
        event.add("dtstamp", booking.updated_at)
        event.add("created", booking.created_at)
        event.add("last-modified", booking.updated_at)
        event.add("summary", f"{booking.resource.name} — {booking.resource.site.name}")
        event.add("dtstart", booking.starts_at.astimezone(paris))
        event.add("dtend", booking.ends_at.astimezone(paris))
        event.add("status", "CONFIRMED" if booking.status == Booking.Status.CONFIRMED else "CANCELLED")
        event.add("location", booking.resource.site.address or booking.resource.site.name)
        calendar.add_component(event)
    add_timezones(calendar, starts)
    return calendar.to_ical()
