"""The grid as a member uses it on a phone: it opens on a day where something can be booked, a
desk is booked for the whole day in one tap, a room by its start and length (one booking), and a
booking moves to one of the free slots offered."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking import selectors, services
from coworking.models import Booking, Closure, OpeningHours
from coworking.time import PARIS, local_dt
from tests.coworking.factories import SubscriptionFactory, ten_day_pass

pytestmark = pytest.mark.django_db


def _layout(site):
    return selectors.site_layout(slug=site.slug)


def _grid(client, **params):
    return client.get(reverse("coworking:grid"), params)


def _card(html: str, resource) -> str:
    """The resource's card: up to the next card, or the end of the list."""
    card = html[html.index(f'id="resource-{resource.pk}"'):]
    return card.split('<li class="resource-card', 1)[0].split("\n  </ul>", 1)[0]


# --- The day the grid opens on ----------------------------------------------------------------


def test_the_grid_opens_today_while_a_slot_can_still_be_booked(site, desk):
    today = datetime.date(2026, 12, 2)  # a Wednesday (the factory's site opens every day, 8:00–20:00)
    assert selectors.first_bookable_day(_layout(site), kind="desk", now=local_dt(today, datetime.time(12, 59))) == today
    assert selectors.first_bookable_day(_layout(site), kind="room", now=local_dt(today, datetime.time(19, 30))) == today


def test_the_grid_opens_on_the_next_day_once_nothing_can_be_booked_today(site, desk):
    """The afternoon has started (13:00): no desk slot is left today; rooms go on until 19:30."""
    today = datetime.date(2026, 12, 2)
    assert selectors.first_bookable_day(_layout(site), kind="desk", now=local_dt(today, datetime.time(13, 1))) == today + datetime.timedelta(days=1)
    assert selectors.first_bookable_day(_layout(site), kind="room", now=local_dt(today, datetime.time(19, 31))) == today + datetime.timedelta(days=1)


def test_the_grid_skips_closed_days_weekends_and_closures(site, desk):
    friday = datetime.date(2026, 12, 4)
    OpeningHours.objects.filter(site=site, weekday__in=[5, 6]).delete()
    Closure.objects.create(site=site, start_date=friday + datetime.timedelta(days=3), end_date=friday + datetime.timedelta(days=3), reason="Inventaire")
    layout = _layout(site)
    # Friday evening: Saturday and Sunday are closed, Monday is a closure: Tuesday.
    assert selectors.first_bookable_day(layout, kind="desk", now=local_dt(friday, datetime.time(18))) == friday + datetime.timedelta(days=4)
    assert selectors.neighbour_open_day(layout, friday, step=1) == friday + datetime.timedelta(days=4)
    assert selectors.neighbour_open_day(layout, friday + datetime.timedelta(days=4), step=-1) == friday


def test_a_site_with_no_open_day_in_the_window_opens_on_today(site, desk):
    OpeningHours.objects.filter(site=site).delete()
    now = local_dt(datetime.date(2026, 12, 2), datetime.time(10))
    assert selectors.first_bookable_day(_layout(site), kind="desk", now=now) == datetime.date(2026, 12, 2)
    assert selectors.neighbour_open_day(_layout(site), datetime.date(2026, 12, 2), step=1) is None


def test_the_page_says_today_is_closed_and_shows_the_next_open_day(client, coworker, site, desk):
    today = timezone.localdate(timezone.now(), PARIS)
    tomorrow = today + datetime.timedelta(days=1)
    Closure.objects.create(site=site, start_date=today, end_date=today, reason="Pont")
    client.force_login(coworker)
    response = _grid(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le lieu est fermé aujourd’hui : voici le prochain jour d’ouverture." in html
    assert f'name="date" value="{tomorrow.isoformat()}"' in html and 'name="slot"' in html
    assert "Le lieu est fermé ce jour-là." not in html  # no wall of "closed"


def test_a_closed_day_asked_for_links_to_the_next_open_day_instead_of_a_wall_of_closed(client, coworker, site, desk):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    Closure.objects.create(site=site, start_date=day, end_date=day + datetime.timedelta(days=1), reason="Pont de l’Ascension")
    client.force_login(coworker)
    html = _grid(client, date=day.isoformat()).content.decode()
    after = day + datetime.timedelta(days=2)
    assert "Le lieu est fermé ce jour-là. Pont de l’Ascension" in html
    assert f"date={after.isoformat()}" in html and 'name="slot"' not in html and "resource-card" not in html


def test_a_slot_that_has_started_is_no_longer_offered(site, desk, coworker):
    day = datetime.date(2026, 12, 2)
    grid = selectors.availability(layout=_layout(site), day=day, kind="desk", user=coworker, now=local_dt(day, datetime.time(9, 1)))
    assert [cell.state for cell in grid.rows[0].cells] == ["past", "free"]
    assert grid.rows[0].full_day() is None


# --- Desks: the whole day in one tap ----------------------------------------------------------


def test_a_free_desk_offers_the_whole_day_and_one_tap_books_it_for_one_credit(client, member, site, desk):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    subscription = ten_day_pass(member, credits="3")
    client.force_login(member)
    html = _grid(client, date=day.isoformat()).content.decode()
    whole_day = f"{desk.pk}|{local_dt(day, datetime.time(9)).isoformat()}|{local_dt(day, datetime.time(18)).isoformat()}"
    card = _card(html, desk)
    assert f'name="slot" value="{whole_day}"' in card and "Toute la journée" in card
    response = client.post(reverse("coworking:book"), {"slot": whole_day, "site": site.slug, "date": day.isoformat(), "kind": "desk"})
    assert response.status_code == 302
    booking = Booking.objects.get(member=member)
    assert (booking.starts_at, booking.ends_at, booking.credits_used) == (local_dt(day, datetime.time(9)), local_dt(day, datetime.time(18)), Decimal("1"))
    subscription.refresh_from_db()
    assert subscription.credits_remaining == Decimal("2")
    card = _card(client.get(response["Location"]).content.decode(), desk)
    assert "✓ À moi — Toute la journée 09:00–18:00" in card and f"/coworking/bookings/{booking.pk}/move/?from=grid" in card
    assert "Réservé : Poste A1" in card


def test_a_desk_taken_in_the_morning_offers_the_afternoon_only(client, coworker, other_member, site, desk):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    SubscriptionFactory(member=other_member)
    services.booking_create(member=other_member, resource=desk, starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(13)))
    client.force_login(coworker)
    card = _card(_grid(client, date=day.isoformat()).content.decode(), desk)
    assert card.count('name="slot"') == 1 and "Toute la journée" not in card and "Occupé" in card


# --- Rooms: a start time, then a length -------------------------------------------------------


def test_a_room_offers_its_free_starts_and_the_lengths_that_fit(client, coworker, other_member, site, room):
    """Taken 11:00–12:00: from 10:00, 30 min or 1 h; from 12:00, up to the site's longest booking
    (4 h); from 19:00, up to closing time (20:00)."""
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    SubscriptionFactory(member=other_member)
    services.booking_create(member=other_member, resource=room, starts_at=local_dt(day, datetime.time(11)), ends_at=local_dt(day, datetime.time(12)))
    row = selectors.availability(layout=_layout(site), day=day, kind="room", user=coworker).rows[0]
    assert [span.minutes for span in row.durations(local_dt(day, datetime.time(10)), 240)] == [30, 60]
    assert [span.minutes for span in row.durations(local_dt(day, datetime.time(12)), 240)] == [30, 60, 90, 120, 150, 180, 210, 240]
    assert [span.minutes for span in row.durations(local_dt(day, datetime.time(19)), 240)] == [30, 60]
    assert row.durations(local_dt(day, datetime.time(11)), 240) == []

    client.force_login(coworker)
    card = _card(_grid(client, date=day.isoformat(), kind="room").content.decode(), room)
    assert "Occupé : 11:00–12:00" in card
    assert ">10:30<" in card and ">11:00<" not in card and ">11:30<" not in card and ">12:00<" in card
    card = _card(_grid(client, date=day.isoformat(), kind="room", room=room.pk, start="10:00").content.decode(), room)
    assert "Début à 10:00 — pour combien de temps ?" in card
    assert card.count('name="slot"') == 2 and ">30 min <" in card and ">1 h <" in card


def test_a_room_is_booked_for_one_hour_in_one_booking(client, coworker, site, room):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    client.force_login(coworker)
    start, end = local_dt(day, datetime.time(10)), local_dt(day, datetime.time(11))
    response = client.post(
        reverse("coworking:book"),
        {"slot": f"{room.pk}|{start.isoformat()}|{end.isoformat()}", "site": site.slug, "date": day.isoformat(), "kind": "room"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"kind=room#resource-{room.pk}")
    assert [(b.starts_at, b.ends_at) for b in Booking.objects.filter(member=coworker)] == [(start, end)]
    card = _card(client.get(response["Location"]).content.decode(), room)
    assert "Réservé : Salle Seine" in card and "Votre réservation : <strong>10:00–11:00</strong>" in card


def test_a_length_beyond_the_longest_booking_is_refused_with_its_reason(client, coworker, site, room):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    client.force_login(coworker)
    start, end = local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13, 30))
    response = client.post(
        reverse("coworking:book"),
        {"slot": f"{room.pk}|{start.isoformat()}|{end.isoformat()}", "site": site.slug, "date": day.isoformat(), "kind": "room"},
    )
    assert response.status_code == 400
    assert "Une salle se réserve pour 240 minutes au plus." in _card(response.content.decode(), room)
    assert not Booking.objects.exists()


def test_a_made_up_start_offers_nothing_and_never_fails(client, coworker, site, room):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    client.force_login(coworker)
    for start in ("25:00", "demain", "10:15", ""):
        response = _grid(client, date=day.isoformat(), kind="room", room=room.pk, start=start)
        assert response.status_code == 200
        assert "pour combien de temps" not in response.content.decode()
    assert _grid(client, date=day.isoformat(), kind="room", room="x", start="10:00").status_code == 200


# --- Moving a booking: its slot checked, only free slots offered ------------------------------


def test_the_move_page_checks_the_current_slot_and_offers_only_the_free_ones(client, coworker, other_member, site, room, django_assert_num_queries):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    booking = services.booking_create(member=coworker, resource=room, starts_at=local_dt(day, datetime.time(10)), ends_at=local_dt(day, datetime.time(11)))
    SubscriptionFactory(member=other_member)
    services.booking_create(member=other_member, resource=room, starts_at=local_dt(day, datetime.time(14)), ends_at=local_dt(day, datetime.time(15)))
    client.force_login(coworker)
    url = reverse("coworking:move", args=[booking.pk])
    assert client.get(url).status_code == 200  # the session and the layout are now cached
    # 1. the user, 2. the booking (with its resource and site), 3. the navigation's links,
    # 4. the bookings of the room that day.
    with django_assert_num_queries(4):
        html = client.get(url).content.decode()
    current = f"{local_dt(day, datetime.time(10)).isoformat()}|{local_dt(day, datetime.time(11)).isoformat()}"
    assert re.search(r'value="' + re.escape(current) + r'"[^>]* checked>', html)
    assert html.count(" checked>") == 1
    assert "(créneau actuel)" in html
    # One hour long, as it is: 13:30 and 14:00 would overlap the 14:00–15:00 booking, 19:30 would end after closing.
    assert ">13:00–14:00<" in html and ">13:30–14:30<" not in html and ">14:00–15:00<" not in html and ">15:00–16:00<" in html
    assert ">19:00–20:00<" in html and ">19:30–20:30<" not in html
    # Another length: two hours.
    html = client.get(url, {"date": day.isoformat(), "minutes": 120}).content.decode()
    assert ">12:00–14:00<" in html and ">12:30–14:30<" not in html and ">10:00–12:00<" in html


def test_a_desk_moves_to_the_whole_day_and_the_credit_follows(client, member, site, desk):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    subscription = ten_day_pass(member, credits="2")
    booking = services.booking_create(member=member, resource=desk, starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(13)))
    client.force_login(member)
    html = client.get(reverse("coworking:move", args=[booking.pk]) + "?from=grid").content.decode()
    assert "Matin 09:00–13:00" in html and "Après-midi 13:00–18:00" in html and "Toute la journée 09:00–18:00" in html
    whole_day = f"{local_dt(day, datetime.time(9)).isoformat()}|{local_dt(day, datetime.time(18)).isoformat()}"
    response = client.post(reverse("coworking:move", args=[booking.pk]) + "?from=grid", {"slot": whole_day, "from": "grid"})
    assert response.status_code == 302
    assert response["Location"] == f"/coworking/?site={site.slug}&date={day.isoformat()}&kind=desk#resource-{desk.pk}"
    booking.refresh_from_db()
    subscription.refresh_from_db()
    assert (booking.ends_at, booking.credits_used, subscription.credits_remaining) == (local_dt(day, datetime.time(18)), Decimal("1"), Decimal("1"))
    card = _card(client.get(response["Location"]).content.decode(), desk)
    assert "Déplacé : Poste A1" in card and "Toute la journée 09:00–18:00" in card


def test_moving_onto_a_taken_slot_is_a_409_and_nothing_changes(client, coworker, other_member, site, desk):
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=7)
    booking = services.booking_create(member=coworker, resource=desk, starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(13)))
    SubscriptionFactory(member=other_member)
    services.booking_create(member=other_member, resource=desk, starts_at=local_dt(day, datetime.time(13)), ends_at=local_dt(day, datetime.time(18)))
    client.force_login(coworker)
    pm = f"{local_dt(day, datetime.time(13)).isoformat()}|{local_dt(day, datetime.time(18)).isoformat()}"
    response = client.post(reverse("coworking:move", args=[booking.pk]), {"slot": pm})
    assert response.status_code == 409
    html = response.content.decode()
    assert "La réservation n’a pas été déplacée :" in html and "Ce créneau est déjà réservé." in html
    booking.refresh_from_db()
    assert (booking.starts_at, booking.ends_at, booking.sequence) == (local_dt(day, datetime.time(9)), local_dt(day, datetime.time(13)), 0)


@pytest.mark.parametrize("slot", ["", "demain", "2026-12-01T09:00:00|", "2026-12-01T09:00:00|2026-12-01T13:00:00", "a|b|c"])
def test_a_mangled_move_is_a_400_naming_the_slot(client, coworker, desk, morning, slot):
    booking = services.booking_create(member=coworker, resource=desk, starts_at=morning[0], ends_at=morning[1])
    client.force_login(coworker)
    response = client.post(reverse("coworking:move", args=[booking.pk]), {"slot": slot})
    assert response.status_code == 400
    assert "Choisissez l’un des créneaux libres." in response.content.decode() or "obligatoire" in response.content.decode()
    booking.refresh_from_db()
    assert booking.sequence == 0


def test_the_move_page_of_someone_elses_booking_is_a_404(client, coworker, other_member, desk, morning):
    SubscriptionFactory(member=other_member)
    theirs = services.booking_create(member=other_member, resource=desk, starts_at=morning[0], ends_at=morning[1])
    client.force_login(coworker)
    assert client.get(reverse("coworking:move", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("coworking:move", args=[theirs.pk]), {"slot": "x"}).status_code == 404


def test_a_bad_day_on_the_move_page_is_a_400(client, coworker, desk, morning):
    booking = services.booking_create(member=coworker, resource=desk, starts_at=morning[0], ends_at=morning[1])
    client.force_login(coworker)
    response = client.get(reverse("coworking:move", args=[booking.pk]), {"date": "31/02/2026"})
    assert response.status_code == 400
