"""Events as iCalendar (see quai/ical.py for the rules every feed follows): stable UID, SEQUENCE
bumped on change, DTSTAMP the last change, cancelled events kept as STATUS:CANCELLED, TZID
Europe/Paris, no secret link inside."""

from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event as IcsEvent

from quai.ical import add_timezones, ical_uid


def event_ics(events) -> bytes:
    paris = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Quai//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.QUAI_SITE_NAME} — agenda")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    starts = []
    for event in events:
        starts.append(event.starts_at.astimezone(paris))
        item = IcsEvent()
        item.add("uid", ical_uid("event", event.pk))
        item.add("sequence", event.sequence)
        item.add("dtstamp", event.updated_at)
        item.add("created", event.created_at)
        item.add("last-modified", event.updated_at)
        item.add("summary", event.title)
        item.add("dtstart", event.starts_at.astimezone(paris))
        item.add("dtend", event.ends_at.astimezone(paris))
        item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
        item.add("url", settings.QUAI_SITE_URL.rstrip("/") + f"/events/{event.pk}/")
        if event.site_id:
            item.add("location", event.site.address or event.site.name)
        calendar.add_component(item)
    add_timezones(calendar, starts)
    return calendar.to_ical()
