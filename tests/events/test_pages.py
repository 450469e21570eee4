import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_agenda_is_public_and_runs_two_queries_whatever_the_number_of_events(client, django_assert_num_queries):
    EventFactory()
    # 1. the number of upcoming events (the pagination), 2. the page's events with their site and
    # seats taken (a correlated count per event). No user, no navigation query for a visitor.
    with django_assert_num_queries(2):
        assert client.get(reverse("events:agenda")).status_code == 200
    for n in range(40):
        event = EventFactory()
        services.registration_create(event=event, guest_name="X", guest_email=f"x{n}@example.org")
    with django_assert_num_queries(2):
        assert client.get(reverse("events:agenda")).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(reverse("events:agenda") + "?kind=ess_awareness&page=2").status_code == 200
    # Nothing matches: the count says so, and the page's query is not run.
    with django_assert_num_queries(1):
        assert client.get(reverse("events:agenda") + "?kind=ess_awareness&month=2030-01").status_code == 200


def test_agenda_for_a_member_runs_four_queries(client, member, django_assert_num_queries):
    for _ in range(35):
        EventFactory()
    client.force_login(member)
    assert client.get(reverse("events:agenda")).status_code == 200  # the session is now in the cache
    # 1. the logged-in user, 2. the navigation's conditional links (one query of EXISTS),
    # 3. the number of upcoming events, 4. the page's events with their site and seats taken.
    with django_assert_num_queries(4):
        assert client.get(reverse("events:agenda")).status_code == 200


def test_door_list_queries_do_not_grow(client, staff):
    event = EventFactory(capacity=100)
    services.registration_create(event=event, guest_name="A", guest_email="a@example.org")
    client.force_login(staff)
    url = reverse("events:door_list", args=[event.pk])
    count_queries(client, url)  # warm-up (staff TOTP check once per session)
    few = count_queries(client, url)
    for n in range(30):
        services.registration_create(event=event, guest_name=f"P{n}", guest_email=f"p{n}@example.org")
    assert count_queries(client, url) == few


def test_guest_registration_form_errors_and_success(client):
    event = EventFactory()
    response = client.post(reverse("events:detail", args=[event.pk]), {"name": "", "email": "bad"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(reverse("events:detail", args=[event.pk]), {"name": "Léa", "email": "lea@example.org", "consent": "on"})
    assert response.status_code == 302
    assert event.registrations.get().guest_email == "lea@example.org"


def test_staff_only_pages(client, member):
    event = EventFactory()
    client.force_login(member)
    assert client.get(reverse("events:door_list", args=[event.pk])).status_code == 403
    assert client.get(reverse("events:attendance_csv", args=[event.pk])).status_code == 403


def test_attendance_csv_neutralises_formulas(client, staff):
    event = EventFactory()
    services.registration_create(event=event, guest_name='=HYPERLINK("http://x")', guest_email="h@example.org")
    client.force_login(staff)
    body = client.get(reverse("events:attendance_csv", args=[event.pk])).content.decode()
    assert "'=HYPERLINK" in body


def test_public_ics_feeds(client):
    event = EventFactory(title="Café ESS")
    body = client.get(reverse("events:agenda_ics")).content.decode()
    assert "Café ESS" in body and "SEQUENCE:0" in body
    assert "BEGIN:VEVENT" in client.get(reverse("events:ics", args=[event.pk])).content.decode()
