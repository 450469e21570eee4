import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import selectors, services
from events.markdown import render_markdown
from events.models import AttendanceScan, Registration
from quai.errors import ConflictError, DomainError
from quai.models import OutboxMessage
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def guest(event, n):
    return services.registration_create(event=event, guest_name=f"Invité {n}", guest_email=f"Invite{n}@Exemple.fr")


def test_full_event_goes_to_waiting_list_and_cancellation_promotes_exactly_one(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        first, second, third, fourth = (guest(event, n) for n in range(4))
    assert [r.status for r in (first, second, third, fourth)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[third.pk] == "confirmed" and statuses[fourth.pk] == "waitlisted"
    assert OutboxMessage.objects.filter(key=f"event-promoted:{third.pk}").exists()
    assert event.registrations.filter(status="confirmed").count() == 2


def test_raising_capacity_promotes_the_waiting_list():
    event = EventFactory(capacity=1)
    guest(event, 1)
    waiting = guest(event, 2)
    event.capacity = 2
    services.event_save(event=event, by=UserFactory(is_staff=True))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert event.sequence == 1


def test_one_active_registration_per_person(member):
    event = EventFactory()
    services.registration_create(event=event, member=member)
    with pytest.raises(ConflictError):
        services.registration_create(event=event, member=member)
    guest(event, 7)
    with pytest.raises(ConflictError):
        services.registration_create(event=event, guest_name="Autre nom", guest_email=" invite7@exemple.FR ")


def test_closed_members_only_and_bad_guest_input_are_refused():
    past = EventFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(DomainError, match="fermées"):
        guest(past, 1)
    private = EventFactory(is_public=False)
    with pytest.raises(DomainError):
        guest(private, 1)
    event = EventFactory()
    with pytest.raises(DomainError) as error:
        services.registration_create(event=event, guest_name="", guest_email="x@example.org")
    assert error.value.field == "name"
    with pytest.raises(DomainError):
        services.registration_create(event=event, guest_name="Jo", guest_email="x@example.org", consent=False)
    assert not Registration.objects.exists()


def test_confirmation_has_ics_and_a_working_cancel_link(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = guest(event, 1)
        waiting = guest(event, 2)
    email = next(m for m in mail.outbox if m.to == ["invite1@exemple.fr"])
    filename, content, mimetype = email.attachments[0]
    assert mimetype == "text/calendar" and "TZID=Europe/Paris" in content and f"UID:event-{event.pk}@" in content
    link = services.cancel_link(registration)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert client.post("/" + path).status_code == 200
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == "cancelled" and waiting.status == "confirmed"
    assert client.get("/" + path[:-3] + "xyz/").status_code == 400


def test_cancel_link_expires_after_the_event():
    event = EventFactory()
    registration = guest(event, 1)
    token = services.cancel_link(registration).rstrip("/").rsplit("/", 1)[-1]
    event.starts_at = timezone.now() - datetime.timedelta(hours=3)
    event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    with pytest.raises(DomainError, match="expiré"):
        services.registration_from_cancel_token(token)


def test_same_nonce_counts_once_and_walk_ins_count_even_when_full(staff):
    event = EventFactory(capacity=1)
    registration = guest(event, 1)
    _scan, created = services.attendance_mark(registration=registration, present=True, nonce="tap-1", by=staff)
    _again, created_again = services.attendance_mark(registration=registration, present=True, nonce="tap-1", by=staff)
    assert (created, created_again) == (True, False)
    assert AttendanceScan.objects.count() == 1
    walk_in = services.walk_in_add(event=event, name="Sans inscription", by=staff)
    assert walk_in.walk_in and walk_in.attended and walk_in.status == "confirmed"
    # The walk-in is not a seat: the next registration still goes to the waiting list, not beyond.
    assert guest(event, 2).status == "waitlisted"


def test_reminder_the_day_before_is_sent_once():
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    event = EventFactory(starts_at=tomorrow, ends_at=tomorrow + datetime.timedelta(hours=2))
    guest(event, 1)
    assert services.event_reminders_send() == 1
    assert services.event_reminders_send() == 0


def test_event_cancellation_tells_everyone(staff):
    event = EventFactory()
    guest(event, 1)
    guest(event, 2)
    services.event_cancel(event=event, by=staff)
    assert OutboxMessage.objects.filter(key__startswith="event-cancelled:").count() == 2


def test_markdown_is_rendered_without_any_script():
    html = render_markdown('**Bonjour** <script>alert(1)</script> <img src=x onerror=alert(1)> [lien](javascript:alert(1))')
    assert "<strong>Bonjour</strong>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_ess1_counts_people_once_and_survives_pseudonymisation(member, staff):
    events = [EventFactory(kind="ess_awareness"), EventFactory(kind="ess_training"), EventFactory(kind="networking")]
    for event in events:
        registration = services.registration_create(event=event, member=member)
        services.attendance_mark(registration=registration, present=True, nonce=f"n{event.pk}", by=staff)
    no_show = guest(events[0], 9)
    assert no_show.attended is None
    until = timezone.now() + datetime.timedelta(days=30)
    assert selectors.ess1_unique_people(until=until) == 1
    member.first_name, member.last_name, member.email = "Anonyme", "", f"erased-{member.pk}@invalid"
    member.save()
    assert selectors.ess1_unique_people(until=until) == 1


def test_room_of_an_event_is_booked_in_coworking_and_cannot_be_double_booked(staff):
    from coworking.models import Booking
    from tests.coworking.factories import ResourceFactory, SiteFactory

    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", zone="")
    start = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + datetime.timedelta(days=3)
    event = services.event_save(event=EventFactory.build(starts_at=start, ends_at=start + datetime.timedelta(hours=2), room=room), by=staff)
    assert Booking.objects.get(pk=event.room_booking_id).label == event.title
    clash = EventFactory.build(starts_at=start + datetime.timedelta(minutes=30), ends_at=start + datetime.timedelta(hours=1), room=room)
    with pytest.raises(ConflictError):
        services.event_save(event=clash, by=staff)
    services.event_cancel(event=event, by=staff)
    assert Booking.objects.get(pk=event.room_booking_id).status == "cancelled"


def test_registration_writes_its_email_unrendered_and_the_delivery_renders_it(django_capture_on_commit_callbacks):
    # The request that registers renders nothing (no template, no .ics): one small outbox row.
    event = EventFactory(title="Atelier vélo", capacity=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = guest(event, 1)
        waiting = guest(event, 2)
    confirmed = OutboxMessage.objects.get(key=f"event-registration:{registration.pk}")
    waitlisted = OutboxMessage.objects.get(key=f"event-registration:{waiting.pk}")
    assert (confirmed.template, confirmed.builder, confirmed.params, confirmed.subject, confirmed.attachments) == (
        "events/confirmed", "events.registration", {"registration": registration.pk, "ics": True}, "", [])
    assert (waitlisted.template, waitlisted.params) == ("events/waitlisted", {"registration": waiting.pk, "ics": False})
    # Delivered: the e-mail shows the event as it is then, and the row keeps what was sent.
    event.title = "Atelier vélo (salle 2)"
    event.save()
    for callback in callbacks:
        callback()
    sent = {m.to[0]: m for m in mail.outbox}
    assert "Atelier vélo (salle 2)" in sent["invite1@exemple.fr"].subject
    assert [a[0] for a in sent["invite1@exemple.fr"].attachments] == ["evenement.ics"]
    assert sent["invite2@exemple.fr"].attachments == []
    confirmed.refresh_from_db()
    assert confirmed.status == OutboxMessage.Status.SENT and confirmed.subject == sent["invite1@exemple.fr"].subject
    token = confirmed.body_text.split("/events/cancel/", 1)[1].split("/", 1)[0]
    assert services.registration_from_cancel_token(token) == registration
