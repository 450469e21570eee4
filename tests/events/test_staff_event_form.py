"""Staff create events in the product: a draft by default, a room free at that time booked in
coworking, publish, duplicate; bad input is a form error and nothing is written."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking.models import Booking
from events import selectors, services
from events.models import Event
from quai.errors import ConflictError, DomainError
from quai.models import AuditLog
from tests.coworking.factories import ResourceFactory, SiteFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def evening(days=10, hour=18):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def rooms():
    site = SiteFactory()
    return ResourceFactory(site=site, kind="room", name="Salle Seine", zone=""), ResourceFactory(site=site, kind="room", name="Salle Forêt", zone="")


def create(staff, room=None, start=None, **extra):
    start = start or evening()
    fields = dict(title="Fresque de l’ESS", kind=Event.Kind.ESS_AWARENESS, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                  capacity=20, themes=["emploi", " Emploi ", "climat"], room=room)
    fields.update(extra)
    return services.event_create(by=staff, **fields)


# --- services ----------------------------------------------------------------------------------


def test_event_create_is_a_draft_with_its_room_booked_and_an_audit_row(staff, rooms):
    event = create(staff, room=rooms[0])
    assert event.status == Event.Status.DRAFT
    assert event.themes == ["emploi", "climat"]
    booking = Booking.objects.get(pk=event.room_booking_id)
    assert (booking.resource_id, booking.status, booking.label) == (rooms[0].pk, "confirmed", "Fresque de l’ESS")
    assert list(AuditLog.objects.filter(action="events.event_created").values_list("actor_id", flat=True)) == [staff.pk]
    assert event.registration_is_open() is False


def test_event_create_refuses_a_taken_room_and_writes_nothing(staff, rooms):
    create(staff, room=rooms[0])
    with pytest.raises(ConflictError) as error:
        create(staff, room=rooms[0], start=evening() - datetime.timedelta(minutes=30), title="Autre")
    assert error.value.field == "room"
    assert Event.objects.count() == 1 and Booking.objects.count() == 1
    assert AuditLog.objects.filter(action="events.event_created").count() == 1


def test_event_create_refuses_reversed_dates(staff):
    with pytest.raises(DomainError) as error:
        create(staff, ends_at=evening() - datetime.timedelta(hours=1))
    assert error.value.field == "end"
    assert Event.objects.count() == 0


def test_rooms_free_between_lists_only_rooms_free_then_and_keeps_the_event_own_room(staff, rooms):
    event = create(staff, room=rooms[0])
    start = evening()
    assert list(selectors.rooms_free_between(starts_at=start, ends_at=start + datetime.timedelta(hours=1))) == [rooms[1]]
    assert list(selectors.rooms_free_between(starts_at=start + datetime.timedelta(hours=2), ends_at=start + datetime.timedelta(hours=3))) == [rooms[1], rooms[0]]
    kept = selectors.rooms_free_between(starts_at=start, ends_at=start + datetime.timedelta(hours=1), keep_booking_id=event.room_booking_id)
    assert sorted(room.pk for room in kept) == sorted([rooms[0].pk, rooms[1].pk])


def test_event_update_moves_the_room_booking_and_audits_the_changed_fields(staff, rooms):
    event = create(staff, room=rooms[0])
    later = evening(hour=16)
    event = services.event_update(event=event, by=staff, starts_at=later, ends_at=later + datetime.timedelta(hours=1), capacity=30)
    booking = Booking.objects.get(pk=event.room_booking_id)
    assert (booking.span.lower, booking.span.upper) == (later, later + datetime.timedelta(hours=1))
    assert AuditLog.objects.get(action="events.event_updated").data == {"fields": ["capacity", "ends_at", "starts_at"]}


def test_event_publish_opens_registration_once(staff):
    event = create(staff)
    event = services.event_publish(event=event, by=staff)
    assert event.status == Event.Status.PUBLISHED and event.registration_is_open() is True
    with pytest.raises(ConflictError):
        services.event_publish(event=event, by=staff)
    assert AuditLog.objects.filter(action="events.event_published").count() == 1


def test_event_duplicate_makes_a_draft_a_week_later_with_the_room(staff, rooms):
    source = services.event_publish(event=create(staff, room=rooms[0], description="Venez !", price="Gratuit"), by=staff)
    copy, room_kept = services.event_duplicate(event=source, by=staff)
    assert room_kept is True
    assert copy.pk != source.pk and copy.status == Event.Status.DRAFT
    assert (copy.starts_at, copy.ends_at) == (source.starts_at + datetime.timedelta(days=7), source.ends_at + datetime.timedelta(days=7))
    assert (copy.title, copy.description, copy.price, copy.capacity, copy.themes, copy.room_id) == (
        source.title, "Venez !", "Gratuit", 20, ["emploi", "climat"], rooms[0].pk)
    assert copy.room_booking_id != source.room_booking_id
    assert AuditLog.objects.get(action="events.event_duplicated").data == {"from": source.pk}


def test_event_duplicate_to_a_chosen_date_where_the_room_is_taken_drops_the_room(staff, rooms):
    source = create(staff, room=rooms[0])
    other_day = evening(days=12)
    create(staff, room=rooms[0], start=other_day, title="Déjà là")
    copy, room_kept = services.event_duplicate(event=source, by=staff, starts_at=other_day)
    assert room_kept is False
    assert (copy.room_id, copy.room_booking_id, copy.starts_at) == (None, None, other_day)


# --- pages -------------------------------------------------------------------------------------


def post_data(start, **extra):
    data = {"title": "Atelier CV", "kind": "digital_workshop", "themes": "emploi, numérique", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "capacity": "12", "is_public": "0", "price": "", "room": "",
            "description": "**Apportez** votre CV."}
    data.update(extra)
    return data


def test_staff_event_pages_are_for_staff_only(client, member):
    event = EventFactory()
    client.force_login(member)
    assert client.get(reverse("events:staff_event_create")).status_code == 403
    assert client.post(reverse("events:staff_event_create"), post_data(evening())).status_code == 403
    assert client.post(reverse("events:staff_event_publish", args=[event.pk])).status_code == 403
    assert client.post(reverse("events:staff_event_duplicate", args=[event.pk])).status_code == 403
    assert Event.objects.count() == 1


def test_staff_creates_a_draft_from_the_form(client, staff, rooms):
    client.force_login(staff)
    page = client.get(reverse("events:staff_event_create"))
    assert page.status_code == 200
    assert 'type="datetime-local"' in page.content.decode()
    response = client.post(reverse("events:staff_event_create"), post_data(evening(), room=str(rooms[1].pk)))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("events:staff_event_edit", args=[event.pk])
    assert (event.status, event.is_public, event.capacity, event.themes, event.room_id) == ("draft", False, 12, ["emploi", "numérique"], rooms[1].pk)
    assert timezone.localtime(event.starts_at).hour == 18
    edit = client.get(response["Location"]).content.decode()
    assert f'value="{timezone.localtime(event.starts_at):%Y-%m-%dT%H:%M}"' in edit


def test_reversed_dates_are_a_form_error_and_nothing_is_written(client, staff):
    client.force_login(staff)
    start = evening()
    response = client.post(reverse("events:staff_event_create"), post_data(start, ends_at=(start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 400
    body = response.content.decode()
    assert "La fin doit être après le début." in body and 'class="error-summary"' in body
    assert Event.objects.count() == 0


def test_a_taken_room_is_a_clear_form_error(client, staff, rooms):
    create(staff, room=rooms[0])
    client.force_login(staff)
    response = client.post(reverse("events:staff_event_create"), post_data(evening(), room=str(rooms[0].pk)))
    assert response.status_code == 400
    assert "Cette salle est prise à ces horaires" in response.content.decode()
    assert Event.objects.count() == 1


def test_a_room_outside_opening_hours_is_a_form_error_not_a_500(client, staff, rooms):
    client.force_login(staff)
    response = client.post(reverse("events:staff_event_create"), post_data(evening(hour=19), room=str(rooms[0].pk)))
    assert response.status_code == 400
    assert "hors des horaires d’ouverture" in response.content.decode()
    assert Event.objects.count() == 0 and Booking.objects.count() == 0


def test_room_picker_lists_only_rooms_free_at_the_typed_times(client, staff, rooms):
    create(staff, room=rooms[0])
    client.force_login(staff)
    start = evening()
    body = client.get(reverse("events:staff_event_rooms"), post_data(start), HTTP_HX_REQUEST="true").content.decode()
    assert "Salle Forêt" in body and "Salle Seine" not in body
    body = client.get(reverse("events:staff_event_rooms"), post_data(start - datetime.timedelta(hours=3))).content.decode()
    assert "Salle Forêt" in body and "Salle Seine" in body


def test_staff_edits_publishes_and_duplicates(client, staff):
    event = create(staff)
    client.force_login(staff)
    response = client.post(reverse("events:staff_event_edit", args=[event.pk]), post_data(event.starts_at.astimezone(timezone.get_current_timezone()), title="Atelier CV (complet)"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.status) == ("Atelier CV (complet)", "draft")
    assert client.post(reverse("events:staff_event_publish", args=[event.pk])).status_code == 302
    event.refresh_from_db()
    assert event.status == "published"
    response = client.post(reverse("events:staff_event_duplicate", args=[event.pk]), {"starts_at": ""})
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("events:staff_event_edit", args=[copy.pk])
    assert (copy.status, copy.starts_at) == ("draft", event.starts_at + datetime.timedelta(days=7))


def test_duplicate_with_a_bad_date_is_a_form_error(client, staff):
    event = create(staff)
    client.force_login(staff)
    response = client.post(reverse("events:staff_event_duplicate", args=[event.pk]), {"starts_at": "demain"})
    assert response.status_code == 400
    assert Event.objects.count() == 1


def test_drafts_are_hidden_from_members_and_the_agenda(client, member, staff):
    event = create(staff)
    client.force_login(member)
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404
    assert "Fresque" not in client.get(reverse("events:agenda")).content.decode()


def test_staff_cancel_an_event_frees_its_room(client, staff, rooms):
    event = services.event_publish(event=create(staff, room=rooms[0]), by=staff)
    client.force_login(staff)
    response = client.post(reverse("events:staff_event_cancel", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert Booking.objects.get(pk=event.room_booking_id).status == "cancelled"
    assert AuditLog.objects.filter(action="events.event_cancelled", actor=staff).count() == 1


def test_members_cannot_cancel_an_event(client, member):
    event = EventFactory()
    client.force_login(member)
    assert client.post(reverse("events:staff_event_cancel", args=[event.pk])).status_code == 403
    event.refresh_from_db()
    assert event.status == "published"


def test_staff_event_list_queries_do_not_grow_with_events(client, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    url = reverse("events:staff_events")
    create(staff)
    client.get(url)  # warm-up: the staff second-factor check runs once per session

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for day in range(11, 21):
        event = create(staff, start=evening(days=day), title=f"Atelier {day}")
        services.event_publish(event=event, by=staff)
    assert count() == few


@pytest.mark.parametrize("weekday", range(7))
def test_staff_event_list_holds_this_weeks_events_from_monday_and_every_later_one(weekday):
    """The staff home's "events this week" links to this list: each of the week's events is in it,
    whatever day it is, the past ones too (their door lists are still being closed)."""
    thursday = datetime.date(2026, 11, 26)
    today = thursday + datetime.timedelta(days=weekday - 3)  # Monday 23 … Sunday 29 November 2026
    monday = datetime.date(2026, 11, 23)

    def at(day, hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    last_sunday = EventFactory(title="Dimanche dernier", starts_at=at(monday - datetime.timedelta(days=1), 18),
                               ends_at=at(monday - datetime.timedelta(days=1), 20))
    week = [EventFactory(title=f"Jour {n}", starts_at=at(monday + datetime.timedelta(days=n), 9),
                         ends_at=at(monday + datetime.timedelta(days=n), 11)) for n in range(7)]
    later = EventFactory(title="Lundi prochain", starts_at=at(monday + datetime.timedelta(days=7), 9),
                         ends_at=at(monday + datetime.timedelta(days=7), 11))

    listed = list(selectors.staff_events(now=at(today, 12)))

    # Yesterday's events stay as well (on a Monday: the Sunday evening's door list).
    assert listed == ([last_sunday] if weekday == 0 else []) + [*week, later]
