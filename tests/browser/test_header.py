"""The header on a phone: content starts within the first 120 px; the menu opens behind a button."""

import pytest

from tests.browser.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_header_is_compact_and_its_menu_marks_the_current_page(phone_page):
    page = phone_page
    member = UserFactory(email="lea@example.org", first_name="Léa")
    login(page, member.email, TEST_PASSWORD)
    page.goto(page.base_url + "/events/")
    # The page's own content starts near the top of the screen, not under four rows of links.
    assert page.locator("main").bounding_box()["y"] <= 120
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.locator(".main-nav").get_by_text("Agenda", exact=True).is_visible()
    assert_accessible(page)

    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    agenda = page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Agenda")
    assert agenda.is_visible() and agenda.get_attribute("aria-current") == "page"
    assert page.get_by_role("link", name="Mon compte").get_attribute("aria-current") is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    # The API documentation is for the people who use it (staff), not in every member's footer.
    assert page.locator("footer").get_by_role("link", name="API").count() == 0


def test_on_a_laptop_the_navigation_is_always_shown(page):
    member = UserFactory(email="noe@example.org")
    login(page, member.email, TEST_PASSWORD)
    page.goto(page.base_url + "/events/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Agenda").is_visible()
    assert page.locator("main").bounding_box()["y"] <= 120
