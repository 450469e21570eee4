"""A member on a phone books a desk for the whole day and a meeting room for one hour, moves the
room, sees it in "my bookings" and cancels; the page never scrolls sideways and every confirmation
shows where the tap was."""

import datetime
import re

import pytest
from django.utils import timezone

from coworking.models import Booking
from coworking.time import PARIS, local_dt
from tests.browser.conftest import PHONE, assert_accessible, login
from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup():
    member = UserFactory(email="julie@example.org")
    SubscriptionFactory(member=member)
    site = SiteFactory()
    desks = [ResourceFactory(site=site, name=f"Seine {n:02d}") for n in range(1, 9)]
    room = ResourceFactory(site=site, kind="room", name="Salle Loire", capacity=8, zone="")
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=3)
    return member, site, desks, room, day


def _no_sideways_scroll(page, width=390):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _in_viewport(page, locator):
    """The element is entirely on screen without the person scrolling (given the browser a moment
    to finish a page load's scroll to #resource-<id>)."""
    locator.wait_for()
    viewport = page.viewport_size
    for _ in range(20):
        box = locator.bounding_box()
        if box and 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"]:
            break
        page.wait_for_timeout(100)
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], (box, viewport)
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"], (box, viewport)


def test_member_books_a_desk_all_day_and_a_room_for_an_hour_on_a_phone_then_moves_it(phone_page):
    page = phone_page
    member, site, desks, room, day = _setup()
    login(page, "julie@example.org", TEST_PASSWORD)

    # Desks: the whole day in one tap, far down the list; the confirmation is in the card tapped.
    page.goto(f"{page.base_url}/coworking/?site={site.slug}&date={day}")
    _no_sideways_scroll(page)
    assert_accessible(page)
    assert not page.locator("details.grid-filters").evaluate("element => element.open")  # folded on a phone
    button = page.get_by_role("button", name=re.compile(r"^Toute la journée 09:00–18:00 — Réserver Seine 07$"))
    button.scroll_into_view_if_needed()
    button.click()
    feedback = page.locator(f"#resource-{desks[6].pk} .card-feedback")
    _in_viewport(page, feedback)
    assert feedback.inner_text() == f"Réservé : Seine 07 le {_long_day(day)}, 09:00–18:00."
    booking = Booking.objects.get(member=member, status="confirmed")
    assert (booking.resource_id, booking.starts_at, booking.ends_at) == (desks[6].pk, local_dt(day, datetime.time(9)), local_dt(day, datetime.time(18)))
    _no_sideways_scroll(page)

    # Rooms: a start time, then a length: one booking of one hour.
    page.get_by_role("link", name="Salles").click()
    _no_sideways_scroll(page)
    page.get_by_role("link", name="10:00 — Salle Loire").click()
    page.get_by_text("Début à 10:00 — pour combien de temps ?").wait_for()
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^1 h 10:00–11:00 — Réserver Salle Loire$")).click()
    feedback = page.locator(f"#resource-{room.pk} .card-feedback")
    _in_viewport(page, feedback)
    assert feedback.inner_text() == f"Réservé : Salle Loire le {_long_day(day)}, 10:00–11:00."
    rooms = Booking.objects.filter(member=member, resource=room, status="confirmed")
    assert [(b.starts_at, b.ends_at) for b in rooms] == [(local_dt(day, datetime.time(10)), local_dt(day, datetime.time(11)))]

    # Move it from the grid: its slot is checked, another free one is chosen.
    page.get_by_role("link", name="Déplacer — Salle Loire, 10:00–11:00").click()
    page.get_by_role("heading", name="Déplacer une réservation").wait_for()
    _no_sideways_scroll(page)
    assert page.get_by_label(re.compile(r"\b10:00–11:00")).is_checked()
    assert_accessible(page)
    page.get_by_label(re.compile(r"\b15:00–16:00")).check()
    page.get_by_role("button", name="Déplacer ici").click()
    feedback = page.locator(f"#resource-{room.pk} .card-feedback")
    _in_viewport(page, feedback)
    assert feedback.inner_text() == f"Déplacé : Salle Loire le {_long_day(day)}, 15:00–16:00."
    rooms = Booking.objects.filter(member=member, resource=room, status="confirmed")
    assert [(b.starts_at, b.ends_at) for b in rooms] == [(local_dt(day, datetime.time(15)), local_dt(day, datetime.time(16)))]
    _no_sideways_scroll(page)

    # My bookings: both, cancel the room.
    page.goto(page.base_url + "/coworking/bookings/")
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Annuler — Salle Loire")).click()
    page.get_by_role("heading", name="Annuler cette réservation ?").wait_for()
    assert Booking.objects.get(resource=room).status == "confirmed"  # asked first, nothing done yet
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Oui, l’annuler").click()
    page.get_by_text("Réservation annulée").wait_for()
    assert Booking.objects.get(resource=room).status == "cancelled"


def test_without_javascript_the_answer_comes_back_on_the_card_tapped(open_page, live_server):
    """No htmx: POST, redirect to the grid at #resource-<id>, the confirmation focused in the card."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    member, site, desks, room, day = _setup()
    login(page, "julie@example.org", TEST_PASSWORD)
    page.goto(f"{page.base_url}/coworking/?site={site.slug}&date={day}")
    button = page.get_by_role("button", name=re.compile(r"^Après-midi 13:00–18:00 — Réserver Seine 08$"))
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"#resource-{desks[7].pk}")
    _in_viewport(page, page.locator(f"#resource-{desks[7].pk} .card-feedback"))
    assert Booking.objects.filter(member=member, resource=desks[7], status="confirmed").count() == 1
    _no_sideways_scroll(page)


def test_the_narrowest_phone_books_from_the_keyboard(open_page):
    """360 px: nothing overflows; a slot is booked with the keyboard alone."""
    page = open_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    member, site, desks, room, day = _setup()
    login(page, "julie@example.org", TEST_PASSWORD)
    page.goto(f"{page.base_url}/coworking/?site={site.slug}&date={day}")
    _no_sideways_scroll(page, 360)
    page.get_by_role("button", name=re.compile(r"^Après-midi 13:00–18:00 — Réserver Seine 02$")).focus()
    page.keyboard.press("Enter")
    page.locator(f"#resource-{desks[1].pk} .card-feedback").wait_for()
    assert Booking.objects.filter(member=member, status="confirmed", resource__name="Seine 02").count() == 1
    _no_sideways_scroll(page, 360)
    assert_accessible(page)


def test_the_grid_and_the_move_page_on_a_laptop(page):
    member, site, desks, room, day = _setup()
    from coworking import services

    booking = services.booking_create(member=member, resource=room, starts_at=local_dt(day, datetime.time(9)), ends_at=local_dt(day, datetime.time(10)))
    login(page, "julie@example.org", TEST_PASSWORD)
    page.goto(f"{page.base_url}/coworking/?site={site.slug}&date={day}")
    assert page.locator("details.grid-filters").evaluate("element => element.open")  # open on a wide screen
    _no_sideways_scroll(page, 1280)
    assert_accessible(page)
    page.goto(f"{page.base_url}/coworking/?site={site.slug}&date={day}&kind=room&room={room.pk}&start=14:00")
    _no_sideways_scroll(page, 1280)
    assert_accessible(page)
    page.goto(f"{page.base_url}/coworking/bookings/{booking.pk}/move/?from=grid")
    assert page.get_by_label(re.compile(r"\b09:00–10:00")).is_checked()
    assert_accessible(page)
    page.goto(f"{page.base_url}/coworking/bookings/")
    assert_accessible(page)


def _long_day(day: datetime.date) -> str:
    from django.utils import formats, translation

    with translation.override("fr"):
        return formats.date_format(day, "l j F")
