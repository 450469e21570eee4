"""The staff home's "bookings today" card: the day's confirmed bookings, found by their start."""

import datetime

import pytest

from coworking.indicators import card_bookings_today
from coworking.models import Booking, Resource
from coworking.time import local_dt
from tests.coworking.factories import ResourceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def book(resource, start: datetime.datetime, hours: float, **fields) -> Booking:
    return Booking.objects.create(resource=resource, member=UserFactory(), span=(start, start + datetime.timedelta(hours=hours)), **fields)


def test_bookings_today_counts_the_bookings_overlapping_the_day_by_kind_with_their_check_ins():
    desk, other_desk = ResourceFactory(), ResourceFactory()
    room = ResourceFactory(kind=Resource.Kind.ROOM)
    book(desk, local_dt(DAY, datetime.time(9)), 4, checked_in_at=local_dt(DAY, datetime.time(9, 5)))
    book(desk, local_dt(DAY, datetime.time(14)), 4)
    book(other_desk, local_dt(DAY - datetime.timedelta(days=1), datetime.time(20)), 6)  # from the evening before: counts
    book(room, local_dt(DAY, datetime.time(23, 30)), 1)  # starts today, ends tomorrow: counts
    # Not today: ended at midnight, started tomorrow, cancelled, started the day before and ended before midnight.
    book(room, local_dt(DAY - datetime.timedelta(days=1), datetime.time(22)), 2)
    book(room, local_dt(DAY + datetime.timedelta(days=1), datetime.time(9)), 2)
    book(room, local_dt(DAY, datetime.time(10)), 1, status=Booking.Status.CANCELLED)
    book(other_desk, local_dt(DAY - datetime.timedelta(days=1), datetime.time(9)), 9)

    card = card_bookings_today(DAY)

    assert card["value"] == 4
    assert str(card["detail"]) == "postes 3 (1 arrivés) · salles 1 (0 arrivés)"
    # The same set as "confirmed bookings whose span overlaps the day" (the GiST query it replaces).
    assert Booking.objects.active().overlapping(local_dt(DAY, datetime.time(0)), local_dt(DAY + datetime.timedelta(days=1), datetime.time(0))).count() == 4
