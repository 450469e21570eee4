"""iCal for events: stable UID, SEQUENCE bumped on change, TZID Europe/Paris, no secret link inside."""

from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event as IcsEvent


def event_ics(events) -> bytes:
    paris = ZoneInfo(settings.TIME_ZONE)
    host = settings.QUAI_SITE_URL.split("//", 1)[-1].split("/", 1)[0]
    calendar = Calendar()
    calendar.add("prodid", "-//Quai//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.QUAI_SITE_NAME} — agenda")
    for event in events:
        item = IcsEvent()
        item.add("uid", f"event-{event.pk}@{host}")
        item.add("sequence", event.sequence)
        item.add("summary", event.title)
        item.add("dtstart", event.starts_at.astimezone(paris))
        item.add("dtend", event.ends_at.astimezone(paris))
        item.add("dtstamp", event.created_at)
        item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
        item.add("url", settings.QUAI_SITE_URL.rstrip("/") + f"/events/{event.pk}/")
        if event.site_id:
            item.add("location", event.site.address or event.site.name)
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
