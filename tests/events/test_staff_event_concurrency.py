"""Two staff members create events in the same room at the same time: the coworking booking's
exclusion constraint lets one through; the other gets a ConflictError and leaves no event behind."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from coworking.models import Booking
from events import services
from events.models import Event
from quai.errors import ConflictError
from tests.coworking.factories import ResourceFactory, SiteFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_staff_creating_events_in_one_room_at_once_get_one_event_and_one_clear_conflict():
    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", zone="")
    staff = [StaffFactory(email=f"equipe{n}@example.org") for n in range(2)]
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=10), datetime.time(18)))
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def worker(index):
        try:
            barrier.wait()
            services.event_create(
                by=staff[index], title=f"Atelier {index}", kind=Event.Kind.OTHER, starts_at=start,
                ends_at=start + datetime.timedelta(hours=2), capacity=10, room=room,
            )
            outcomes[index] = "created"
        except ConflictError as error:
            outcomes[index] = f"conflict:{error.field}"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict:room", "created"]
    assert Event.objects.count() == 1
    assert Booking.objects.filter(resource=room, status="confirmed").count() == 1
