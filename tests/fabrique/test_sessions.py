"""Collective sessions book, move and release a room through coworking."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fabrique import services
from quai.errors import ConflictError

pytestmark = pytest.mark.django_db


def test_collective_session_books_moves_and_releases_a_room(staff, cohort):
    from coworking.models import Booking
    from tests.coworking.factories import ResourceFactory, SiteFactory

    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", capacity=12, zone="")
    day = timezone.localdate() + datetime.timedelta(days=7)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(14), tzinfo=tz)
    end = start + datetime.timedelta(hours=3)
    session = services.session_create(cohort=cohort, by=staff, title="Proposition de valeur", starts_at=start,
                                      ends_at=end, room_id=room.pk)
    booking = Booking.objects.get(pk=session.room_booking_id)
    assert booking.status == "confirmed"
    with pytest.raises(ConflictError):  # the room is taken: no second session, no second booking
        services.session_create(cohort=cohort, by=staff, title="Autre", starts_at=start, ends_at=end, room_id=room.pk)
    assert cohort.sessions.count() == 1 and Booking.objects.count() == 1
    services.session_reschedule(session=session, by=staff, starts_at=start + datetime.timedelta(hours=1),
                                ends_at=end + datetime.timedelta(hours=1))
    booking.refresh_from_db()
    assert booking.span.lower == start + datetime.timedelta(hours=1)
    services.session_cancel(session=session, by=staff)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and not cohort.sessions.exists()


def test_staff_plans_a_session_with_a_taken_room_and_gets_a_message(client, staff, cohort):
    from coworking import services as coworking_services
    from tests.coworking.factories import ResourceFactory, SiteFactory

    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", capacity=12, zone="")
    day = timezone.localdate() + datetime.timedelta(days=7)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(14), tzinfo=tz)
    coworking_services.room_reserve_for(resource_id=room.pk, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                        label="Atelier", reserved_by=staff)
    client.force_login(staff)
    data = {"title": "Gouvernance", "starts_at": f"{day}T14:00", "ends_at": f"{day}T17:00", "room": room.pk}
    response = client.post(reverse("fabrique:staff_cohort", args=[cohort.pk]), data)
    assert response.status_code == 400 and "déjà réservée" in response.content.decode()
    assert not cohort.sessions.exists()
    data.update(starts_at=f"{day}T16:00", ends_at=f"{day}T18:00")
    assert client.post(reverse("fabrique:staff_cohort", args=[cohort.pk]), data).status_code == 302
    assert cohort.sessions.get().room_booking_id
