"""The member's next bookings on the home page."""

from django.utils import timezone

from coworking.models import Subscription
from coworking.selectors import bookings_for_member

HOME_BOOKINGS = 3


def next_bookings_panel(user) -> dict | None:
    bookings = list(bookings_for_member(user)[:HOME_BOOKINGS])
    if not bookings and not Subscription.objects.filter(member=user, ends_on__gte=timezone.localdate()).exists():
        return None  # not a coworker: the agenda and the membership say enough
    return {"bookings": bookings}
