"""Events on the home page: my next events (members), the agenda (visitors)."""

from django.utils import timezone

from events.models import Event
from events.selectors import registrations_for_member

HOME_EVENTS = 3
FRONT_PAGE_EVENTS = 4


def my_events_panel(user) -> dict:
    return {"registrations": list(registrations_for_member(user)[:HOME_EVENTS])}


def agenda_panel(user) -> dict:
    events = (
        Event.objects.visible_to(user)
        .filter(status=Event.Status.PUBLISHED, starts_at__gte=timezone.now())
        .select_related("site")
        .order_by("starts_at")[:FRONT_PAGE_EVENTS]
    )
    return {"events": list(events)}
