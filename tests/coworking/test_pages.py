import datetime

import pytest
from django.urls import reverse

from coworking.models import Booking
from coworking.time import local_dt

pytestmark = pytest.mark.django_db


def test_grid_shows_free_mine_and_taken_in_words(client, coworker, other_member, site, desk, day):
    from coworking import services
    from tests.coworking.factories import ResourceFactory, SubscriptionFactory

    second = ResourceFactory(site=site, name="Poste A2")
    SubscriptionFactory(member=other_member)
    services.booking_create(member=coworker, resource=desk, starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(13)))
    services.booking_create(member=other_member, resource=second, starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(13)))
    client.force_login(coworker)
    html = client.get(reverse("coworking:grid") + f"?date={day}").content.decode()
    assert "✓ À moi" in html and "Occupé" in html and "Réserver" in html


def test_book_in_one_htmx_action_and_see_the_reason_of_a_refusal(client, coworker, desk, day):
    client.force_login(coworker)
    data = {
        "resource": desk.pk,
        "start": local_dt(day, datetime.time(9)).isoformat(),
        "end": local_dt(day, datetime.time(13)).isoformat(),
        "date": day.isoformat(),
        "kind": "desk",
    }
    response = client.post(reverse("coworking:book"), data, HTTP_HX_REQUEST="true", follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Réservé" in body and f'hx-select="#resource-{desk.pk}"' in body
    assert Booking.objects.filter(member=coworker).count() == 1
    response = client.post(reverse("coworking:book"), data, HTTP_HX_REQUEST="true")
    assert "déjà réservé" in response.content.decode()
    assert Booking.objects.count() == 1


def test_my_bookings_cancel_and_constant_queries(client, coworker, site, day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coworking import services
    from tests.coworking.factories import ResourceFactory

    client.force_login(coworker)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("coworking:my_bookings")).status_code == 200
        return len(ctx.captured_queries)

    first = services.booking_create(member=coworker, resource=ResourceFactory(site=site), starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(13)))
    count()  # the navigation's answers are cached from the first page on
    few = count()
    for offset in range(1, 13):
        other_day = day + datetime.timedelta(days=offset)
        for start, end in ((9, 13), (13, 18)):
            services.booking_create(member=coworker, resource=ResourceFactory(site=site), starts_at=local_dt(other_day, datetime.time(start)), ends_at=local_dt(other_day, datetime.time(end)))
    assert count() == few
    # Twenty per page, the first one first; the rest on page 2.
    html = client.get(reverse("coworking:my_bookings")).content.decode()
    assert html.count('class="card"') == 20 and "Page 1 sur 2" in html and "?page=2" in html
    html = client.get(reverse("coworking:my_bookings") + "?page=2").content.decode()
    assert html.count('class="card"') == 5 and "Page 2 sur 2" in html
    # "Cancel" asks first: a page saying what is cancelled and whether the credit comes back.
    html = client.get(reverse("coworking:my_bookings")).content.decode()
    assert f'href="{reverse("coworking:cancel", args=[first.pk])}"' in html
    response = client.get(reverse("coworking:cancel", args=[first.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "Annuler cette réservation ?" in html and "Garder ma réservation" in html
    assert Booking.objects.get(pk=first.pk).status == "confirmed"
    response = client.post(reverse("coworking:cancel", args=[first.pk]))
    assert response.status_code == 302
    assert Booking.objects.get(pk=first.pk).status == "cancelled"
    # Once cancelled, the question is not asked again: back to my bookings.
    response = client.get(reverse("coworking:cancel", args=[first.pk]))
    assert (response.status_code, response.url) == (302, reverse("coworking:my_bookings"))


def test_grid_page_runs_four_queries_whatever_the_number_of_resources_and_bookings(client, coworker, other_member, site, day, django_assert_num_queries):
    from coworking import services
    from tests.coworking.factories import ResourceFactory, SubscriptionFactory

    client.force_login(coworker)
    desks_url = reverse("coworking:grid") + f"?date={day}"
    rooms_url = reverse("coworking:grid") + f"?date={day}&kind=room"
    first_room = ResourceFactory(site=site, kind="room", name="Salle 0")
    ResourceFactory(site=site)
    picked_url = rooms_url + f"&room={first_room.pk}&start=10:00"
    for url in (desks_url, rooms_url, picked_url):
        assert client.get(url).status_code == 200  # the session and the site's layout are now in the cache

    # 1. the logged-in user, 2. the navigation's conditional links (one query of EXISTS),
    # 3. the member's plan, 4. the day's bookings of the site's desks (or rooms). The day shown,
    # the days before and after and the lengths that fit come from the cached layout.
    for url in (desks_url, rooms_url, picked_url):
        with django_assert_num_queries(4):
            assert client.get(url).status_code == 200

    SubscriptionFactory(member=other_member)
    for number in range(25):
        desk = ResourceFactory(site=site)
        services.booking_create(member=other_member, resource=desk, starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(13)))
        room = ResourceFactory(site=site, kind="room", name=f"Salle {number + 1}")
        services.booking_create(member=other_member, resource=room, starts_at=local_dt(day, datetime.time(11)), ends_at=local_dt(day, datetime.time(12)))
    assert client.get(desks_url).status_code == 200  # the layout changed: read again once
    with django_assert_num_queries(4):
        html = client.get(desks_url).content.decode()
    assert html.count('class="slot-state slot-taken"') == 25
    with django_assert_num_queries(4):
        html = client.get(rooms_url).content.decode()
    assert html.count("Occupé : 11:00–12:00") == 25
    with django_assert_num_queries(4):
        assert client.get(picked_url).status_code == 200


def test_ical_feed_is_private_and_revocable(client, coworker, desk, morning):
    from coworking import services

    services.booking_create(member=coworker, resource=desk, starts_at=morning[0], ends_at=morning[1])
    client.force_login(coworker)
    client.post(reverse("coworking:feed_reset"))
    token = coworker.coworking_feed.token
    client.logout()
    response = client.get(reverse("coworking:ical", args=[token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "TZID=Europe/Paris" in body and "Poste A1" in body
    old = token
    client.force_login(coworker)
    client.post(reverse("coworking:feed_reset"), {"confirm": "yes"})
    client.logout()
    assert client.get(reverse("coworking:ical", args=[old])).status_code == 404


def test_calendar_feed_block_offers_copy_and_calendar_apps_and_replacing_asks_first(client, coworker):
    client.force_login(coworker)
    page = client.get(reverse("coworking:my_bookings")).content.decode()
    assert "Créer mon lien d’agenda" in page and "webcal://" not in page
    assert client.get(reverse("coworking:feed_reset")).status_code == 302  # nothing to replace yet
    response = client.post(reverse("coworking:feed_reset"))
    assert response.status_code == 302 and response["Location"] == "/coworking/bookings/#feed-heading"
    token = coworker.coworking_feed.token
    page = client.get(reverse("coworking:my_bookings")).content.decode()
    url = f"http://testserver/coworking/calendar/{token}.ics"
    assert f'value="{url}"' in page
    assert 'data-copy-target="feed-url"' in page and "/static/quai/copy.js" in page
    assert f'href="webcal://testserver/coworking/calendar/{token}.ics"' in page
    assert f"https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Ftestserver%2Fcoworking%2Fcalendar%2F{token}.ics" in page
    assert f"https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2Ftestserver%2Fcoworking%2Fcalendar%2F{token}.ics" in page
    # Replacing: a link to a confirmation page; a bare POST changes nothing.
    assert f'href="{reverse("coworking:feed_reset")}"' in page
    confirm = client.get(reverse("coworking:feed_reset"))
    assert confirm.status_code == 200 and "Oui, remplacer mon lien" in confirm.content.decode()
    assert client.post(reverse("coworking:feed_reset")).status_code == 400
    coworker.coworking_feed.refresh_from_db()
    assert coworker.coworking_feed.token == token
    assert client.post(reverse("coworking:feed_reset"), {"confirm": "yes"}).status_code == 302
    coworker.coworking_feed.refresh_from_db()
    assert coworker.coworking_feed.token != token


def test_staff_pages_and_check_in_for_a_member(client, staff, coworker, desk):
    from django.utils import timezone

    from coworking import services
    from coworking.time import PARIS

    today = timezone.localdate(timezone.now(), PARIS)
    booking = services.booking_create(
        member=coworker, resource=desk, starts_at=local_dt(today, datetime.time(13)), ends_at=local_dt(today, datetime.time(18)),
        now=local_dt(today, datetime.time(8)),
    )
    client.force_login(staff)
    assert coworker.get_full_name() in client.get(reverse("coworking:staff_today")).content.decode()
    client.post(reverse("coworking:check_in", args=[booking.pk]), {"next": "/staff/coworking/"})
    assert Booking.objects.get(pk=booking.pk).checked_in_at is not None
    response = client.get(reverse("coworking:staff_occupancy"))
    assert response.status_code == 200 and "Poste A1" in response.content.decode()


def test_member_cannot_open_staff_pages_or_cancel_others(client, member, other_member, desk, morning):
    from coworking import services
    from tests.coworking.factories import SubscriptionFactory

    SubscriptionFactory(member=other_member)
    theirs = services.booking_create(member=other_member, resource=desk, starts_at=morning[0], ends_at=morning[1])
    client.force_login(member)
    assert client.get(reverse("coworking:staff_today")).status_code == 403
    assert client.post(reverse("coworking:cancel", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("coworking:cancel", args=[theirs.pk])).status_code == 404
    assert Booking.objects.get(pk=theirs.pk).status == "confirmed"


def test_move_a_desk_booking_from_the_page(client, coworker, desk, day, morning):
    from coworking import services

    booking = services.booking_create(member=coworker, resource=desk, starts_at=morning[0], ends_at=morning[1])
    client.force_login(coworker)
    assert client.get(reverse("coworking:move", args=[booking.pk])).status_code == 200
    pm = f"{local_dt(day, datetime.time(13)).isoformat()}|{local_dt(day, datetime.time(18)).isoformat()}"
    response = client.post(reverse("coworking:move", args=[booking.pk]), {"slot": pm})
    assert response.status_code == 302 and response["Location"] == reverse("coworking:my_bookings")
    booking.refresh_from_db()
    assert booking.starts_at == local_dt(day, datetime.time(13))
    past = day - datetime.timedelta(days=30)
    past_slot = f"{local_dt(past, datetime.time(9)).isoformat()}|{local_dt(past, datetime.time(13)).isoformat()}"
    response = client.post(reverse("coworking:move", args=[booking.pk]), {"slot": past_slot})
    assert response.status_code == 400 and "passé" in response.content.decode()


def test_a_recurring_series_says_how_many_bookings_it_created_with_a_real_plural(client, coworker, room, day):
    client.force_login(coworker)
    fields = {"resource": room.pk, "date": day.isoformat(), "start_time": "10:00", "end_time": "11:00", "confirm": "1"}
    response = client.post(reverse("coworking:recurring"), {**fields, "weeks": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["1 réservation créée."]
    response = client.post(reverse("coworking:recurring"), {**fields, "start_time": "14:00", "end_time": "15:00", "weeks": "2"},
                           follow=True)
    assert [str(m) for m in response.context["messages"]] == ["2 réservations créées."]
