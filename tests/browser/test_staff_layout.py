"""The staff layout (issue 14): a side navigation on a laptop, folded behind "Rubriques" on a phone,
and the search for a person on every staff page. Screenshots in var/screenshots/ (390 and 1280 px)."""

import datetime

import pytest
from django.utils import timezone

from coworking.time import PARIS
from members.services import profile_update
from tests.browser.conftest import assert_accessible, login, shot
from tests.coworking.factories import ResourceFactory, SiteFactory
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory
from tests.members.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def _people():
    helene = UserFactory(email="h.lefevre@exemple.fr")
    profile_update(user=helene, first_name="Hélène", last_name="Lefèvre", consents={}, organisation="Ressourcerie du Pecq")
    MembershipFactory(member=helene)
    UserFactory(email="marc.durand@exemple.fr", first_name="Marc", last_name="Durand")
    site = SiteFactory()
    ResourceFactory(site=site)
    return helene


def _staff_nav(page):
    return page.get_by_role("navigation", name="Back-office")


def test_on_a_laptop_staff_find_their_way_with_the_side_navigation_and_the_search(page):
    helene = _people()
    staff = StaffFactory(email="accueil@example.org")
    login(page, staff.email, TEST_PASSWORD)
    assert page.url == page.base_url + "/staff/"
    nav = _staff_nav(page)
    # On a laptop the navigation is shown beside the page, its groups named, the current page marked.
    assert not page.get_by_role("button", name="Rubriques").is_visible()
    assert nav.get_by_role("link", name="Accueil").get_attribute("aria-current") == "page"
    for heading in ("Adhérents", "Adhésions et renouvellements", "Coworking", "Événements", "Déclic Numérique", "Impact", "Outils"):
        assert nav.get_by_role("list", name=heading).is_visible(), heading
    nav_box, main_box = nav.bounding_box(), page.locator("main").bounding_box()
    assert nav_box["x"] + nav_box["width"] <= main_box["x"]
    shot(page, "staff-home-1280")
    assert_accessible(page)

    nav.get_by_role("list", name="Adhérents").get_by_role("link", name="Adhérents").click()
    page.wait_for_url("**/staff/members/")
    members_link = _staff_nav(page).get_by_role("list", name="Adhérents").get_by_role("link", name="Adhérents")
    assert members_link.get_attribute("aria-current") == "page"
    assert _staff_nav(page).get_by_role("link", name="Accueil").get_attribute("aria-current") is None
    # The filters sit on one row: search, status, type, sort and the button.
    tops = {round(page.get_by_label(label).bounding_box()["y"]) for label in
            ("Nom, e-mail ou structure", "Statut", "Type d’adhésion", "Trier par")}
    button = page.locator("main").get_by_role("button", name="Filtrer").bounding_box()
    field = page.get_by_label("Statut").bounding_box()
    assert len(tops) == 1 and abs((button["y"] + button["height"]) - (field["y"] + field["height"])) <= 4
    shot(page, "staff-members-1280")
    assert_accessible(page)

    # The search for a person, from the box of any staff page.
    page.get_by_role("search", name="Trouver une personne").get_by_role("searchbox").fill("helene lef")
    page.get_by_role("search", name="Trouver une personne").get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/staff/search/?q=helene+lef")
    assert page.get_by_role("heading", level=2).first.inner_text() == "1 personne trouvée"
    row = page.locator("main tbody tr").filter(has_text="Hélène Lefèvre")
    assert "h.lefevre@exemple.fr" in row.inner_text() and "Active" in row.inner_text()
    assert page.get_by_role("link", name="Marc Durand").count() == 0
    shot(page, "staff-search-1280")
    assert_accessible(page)
    row.get_by_role("link", name="Hélène Lefèvre").click()
    page.wait_for_url(f"**/staff/members/{helene.pk}/")
    # A member's page sits under "Adhérents": the link says so (aria-current="true").
    assert _staff_nav(page).get_by_role("list", name="Adhérents").get_by_role("link", name="Adhérents").get_attribute("aria-current") == "true"

    # Coworking today, then the day after and a day picked in the calendar.
    _staff_nav(page).get_by_role("link", name="Coworking aujourd’hui").click()
    page.wait_for_url("**/staff/coworking/")
    today = timezone.localdate(timezone.now(), PARIS)
    assert page.get_by_label("Jour").input_value() == today.isoformat()
    page.get_by_role("link", name="Jour suivant").click()
    tomorrow = today + datetime.timedelta(days=1)
    page.wait_for_url(f"**/staff/coworking/?date={tomorrow.isoformat()}")
    assert page.get_by_label("Jour").input_value() == tomorrow.isoformat()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Coworking le ")
    page.get_by_label("Jour").fill("2026-03-02")
    page.get_by_role("button", name="Afficher ce jour").click()
    page.wait_for_url("**/staff/coworking/?date=2026-03-02")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Coworking le lundi 2 mars 2026")
    shot(page, "staff-coworking-day-1280")
    assert_accessible(page)


def test_on_a_phone_the_staff_navigation_folds_and_the_search_stays_at_hand(phone_page):
    page = phone_page
    _people()
    staff = StaffFactory(email="accueil@example.org")
    login(page, staff.email, TEST_PASSWORD)
    assert page.url == page.base_url + "/staff/"
    # The page's own content starts near the top: the header, then one row (sections, search).
    assert page.locator("main").bounding_box()["y"] <= 120
    assert page.get_by_role("search", name="Trouver une personne").bounding_box()["y"] <= 120
    sections = page.get_by_role("button", name="Rubriques")
    assert sections.get_attribute("aria-expanded") == "false"
    assert not _staff_nav(page).is_visible()
    shot(page, "staff-home-390")
    assert_accessible(page)

    sections.click()
    assert sections.get_attribute("aria-expanded") == "true"
    nav = _staff_nav(page)
    assert nav.get_by_role("link", name="Accueil").get_attribute("aria-current") == "page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "staff-nav-open-390")
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert sections.get_attribute("aria-expanded") == "false" and not nav.is_visible()

    sections.click()
    nav.get_by_role("link", name="Expire dans les 30 jours").click()
    page.wait_for_url("**/staff/members/?status=expiring")
    assert page.get_by_label("Statut").input_value() == "expiring"
    page.get_by_role("button", name="Rubriques").click()
    assert _staff_nav(page).get_by_role("link", name="Expire dans les 30 jours").get_attribute("aria-current") == "page"
    page.get_by_role("button", name="Rubriques").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "staff-members-390")
    assert_accessible(page)

    search = page.get_by_role("search", name="Trouver une personne")
    search.get_by_role("searchbox").fill("durand")
    search.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**/staff/search/?q=durand")
    assert page.get_by_role("link", name="Marc Durand").is_visible()
    assert "Non adhérent·e" in page.locator("main tbody tr").filter(has_text="Marc Durand").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "staff-search-390")
    assert_accessible(page)

    page.goto(page.base_url + "/staff/coworking/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "staff-coworking-390")
    assert_accessible(page)
