"""Event calendars (the event's .ics and the public agenda feed), read by two independent parsers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event
from tests.events.factories import EventFactory
from tests.icalendars import parse_both

pytestmark = pytest.mark.django_db


def test_event_ics_keeps_its_uid_bumps_sequence_and_dtstamp_is_the_last_change(client, staff, settings):
    settings.QUAI_ICAL_DOMAIN = "quai.example.org"
    event = EventFactory(title="Café ESS")
    [before] = parse_both(client.get(reverse("events:ics", args=[event.pk])).content)
    assert (before["uid"], before["sequence"], before["status"], before["summary"]) == (
        f"event-{event.pk}@quai.example.org", 0, "CONFIRMED", "Café ESS")
    event.starts_at += datetime.timedelta(hours=1)
    event.ends_at += datetime.timedelta(hours=1)
    services.event_save(event=event, by=staff)
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["Content-Disposition"] == f'attachment; filename="evenement-{event.pk}.ics"'
    [after] = parse_both(response.content)
    event.refresh_from_db()
    assert (after["uid"], after["sequence"], after["dtstart"], after["tzid"]) == (
        f"event-{event.pk}@quai.example.org", 1, event.starts_at.replace(microsecond=0), "Europe/Paris")
    assert after["dtstamp"] == event.updated_at.replace(microsecond=0)
    assert event.updated_at > event.created_at


def test_agenda_feed_keeps_cancelled_events_and_the_last_twelve_months(client, staff, settings):
    settings.QUAI_ICAL_DOMAIN = "quai.example.org"
    now = timezone.now()
    upcoming = EventFactory(title="Atelier CV")
    cancelled = EventFactory(title="Afterwork annulé")
    services.event_cancel(event=cancelled, by=staff)
    last_spring = EventFactory(title="Forum ESS", starts_at=now - datetime.timedelta(days=300), ends_at=now - datetime.timedelta(days=300, hours=-3))
    EventFactory(title="Trop ancien", starts_at=now - datetime.timedelta(days=400), ends_at=now - datetime.timedelta(days=400, hours=-3))
    EventFactory(title="Réservé aux adhérents", is_public=False)
    EventFactory(title="Brouillon", status=Event.Status.DRAFT)
    response = client.get(reverse("events:agenda_ics"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
    events = parse_both(response.content)
    assert [(e["summary"], e["status"], e["sequence"]) for e in events] == [
        ("Forum ESS", "CONFIRMED", 0), ("Atelier CV", "CONFIRMED", 0), ("Afterwork annulé", "CANCELLED", 1)]
    assert [e["uid"] for e in events] == [f"event-{pk}@quai.example.org" for pk in (last_spring.pk, upcoming.pk, cancelled.pk)]


def test_confirmation_email_ics_is_readable_by_both_parsers(settings):
    from events.ical import event_ics

    settings.QUAI_ICAL_DOMAIN = "quai.example.org"
    summer = timezone.make_aware(datetime.datetime(2027, 7, 1, 18, 30))
    event = EventFactory(title="Pique-nique", starts_at=summer, ends_at=summer + datetime.timedelta(hours=2))
    [item] = parse_both(event_ics([event]))
    assert (item["dtstart"], item["dtend"]) == (summer, summer + datetime.timedelta(hours=2))
    assert item["dtstart"].astimezone(timezone.get_default_timezone()).hour == 18


def test_agenda_feed_is_one_query_whatever_the_number_of_events(client, django_assert_num_queries):
    for _ in range(15):
        EventFactory()
    with django_assert_num_queries(1):  # public events of the window, with their site
        response = client.get(reverse("events:agenda_ics"))
    assert len(parse_both(response.content)) == 15
