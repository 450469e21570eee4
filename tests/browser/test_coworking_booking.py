"""A member on a phone books a desk, sees it in "my bookings", cancels it."""

import datetime

import pytest
from django.utils import timezone

from coworking.models import Booking
from coworking.time import PARIS
from tests.browser.conftest import assert_accessible, login
from tests.coworking.factories import ResourceFactory, SiteFactory, SubscriptionFactory
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_books_a_desk_on_a_phone_then_cancels_it(phone_page):
    page = phone_page
    member = UserFactory(email="julie@example.org")
    SubscriptionFactory(member=member)
    site = SiteFactory()
    ResourceFactory(site=site, name="Seine 01")
    ResourceFactory(site=site, name="Seine 02")
    day = timezone.localdate(timezone.now(), PARIS) + datetime.timedelta(days=3)

    login(page, "julie@example.org", TEST_PASSWORD)
    page.goto(f"{page.base_url}/coworking/?site={site.slug}&date={day}")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Réserver Seine 01, 09:00–13:00").click()
    page.get_by_text("Réservé : Seine 01").wait_for()
    assert page.get_by_role("cell", name="✓ À moi").count() == 1
    assert Booking.objects.filter(member=member, status="confirmed").count() == 1

    page.goto(page.base_url + "/coworking/bookings/")
    assert page.get_by_text("Seine 01", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Annuler").first.click()
    page.get_by_text("Réservation annulée").wait_for()
    assert page.get_by_text("Vous n’avez aucune réservation à venir.").is_visible()
    assert Booking.objects.get(member=member).status == "cancelled"

    # The narrowest phones (360 px): nothing overflows the page (the grid scrolls inside its own
    # region), and a slot is booked from the keyboard alone.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base_url}/coworking/?site={site.slug}&date={day}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Réserver Seine 02, 13:00–18:00").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Réservé : Seine 02").wait_for()
    assert Booking.objects.filter(member=member, status="confirmed", resource__name="Seine 02").count() == 1
    assert_accessible(page)
