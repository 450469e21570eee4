""""Seats taken" has one home (events.models): confirmed registrations, walk-ins left out. The
services, the agenda, the event page and the API all give the same number."""

import pytest
from django.urls import reverse

from events import selectors, services
from events.models import Event, Registration
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_reader_counts_the_same_seats(client, staff):
    event = EventFactory(capacity=3, title="Atelier compost")
    confirmed = [services.registration_create(event=event, guest_name=f"Invité {n}", guest_email=f"i{n}@exemple.fr") for n in range(3)]
    waiting = services.registration_create(event=event, guest_name="En attente", guest_email="attente@exemple.fr")
    services.registration_cancel(registration=confirmed[0])  # the waiting guest takes the seat
    services.walk_in_add(event=event, name="Passant", by=staff)  # at the door: no seat
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"

    assert event.registrations.seats_taken().count() == 3
    assert Event.objects.with_seats_taken().get(pk=event.pk).seats_taken == 3
    assert selectors.agenda(user=None).get(pk=event.pk).seats_taken == 3
    assert client.get(f"/api/v1/events/{event.pk}/").json()["confirmed_count"] == 3
    assert client.get("/api/v1/events/").json()["results"][0]["confirmed_count"] == 3
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Complet : vous pouvez vous inscrire sur la liste d’attente." in page


def test_a_full_event_puts_the_next_member_on_the_waiting_list_but_not_a_walk_in(staff):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, member=UserFactory())
    walk_in = services.walk_in_add(event=event, name="Passante", by=staff)
    late = services.registration_create(event=event, member=UserFactory())
    assert (walk_in.status, late.status) == ("confirmed", "waitlisted")


def test_a_members_next_events_come_first_past_and_cancelled_ones_left_out(member):
    import datetime

    from django.utils import timezone

    now = timezone.now()

    def event_at(days, hours=2):
        starts_at = now + datetime.timedelta(days=days)
        return EventFactory(title=f"J{days}", starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours))

    later, sooner, ongoing = event_at(9), event_at(3), event_at(-0.05, hours=3)
    past = event_at(-2)
    for event in (later, sooner, ongoing, past):
        services.registration_create(event=event, member=member, now=event.starts_at - datetime.timedelta(days=1))
    cancelled = event_at(1)
    services.registration_cancel(registration=services.registration_create(event=cancelled, member=member))
    assert [r.event.title for r in selectors.registrations_for_member(member)] == [ongoing.title, "J3", "J9"]
