"""The pages people see when a request cannot be done: readable on a phone, accessible, in French."""

import os

import pytest

from tests.browser.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("QUAI_SCREENSHOTS")  # a folder, to look at the pages by hand


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, name), full_page=True)


@pytest.mark.parametrize("fixture", ["phone_page", "page"])
def test_a_bad_date_in_the_address_shows_the_400_page_naming_the_field(request, fixture):
    from tests.coworking.factories import SiteFactory

    page = request.getfixturevalue(fixture)
    SiteFactory()
    UserFactory(email="lucie@example.org")
    login(page, "lucie@example.org", TEST_PASSWORD)
    response = page.goto(page.base_url + "/coworking/?date=9999-12-31")
    assert response.status == 400
    assert page.get_by_role("heading", level=1).inner_text() == "Un élément de la demande n’est pas valide"
    assert page.get_by_role("alert").inner_text().startswith("Indiquez une date entre le 01/01/2000 et le 31/12/2100")
    assert page.get_by_text("Rien n’a été enregistré.", exact=False).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    _shot(page, f"400-{page.viewport_size['width']}.png")


def test_a_control_character_in_the_address_shows_the_400_page(page):
    response = page.goto(page.base_url + "/events/?theme=caf%00e")
    assert response.status == 400
    assert page.get_by_role("alert").inner_text() == "Supprimez les caractères de contrôle invisibles de ce texte. (champ theme)"
    assert_accessible(page)


@pytest.mark.parametrize("fixture", ["phone_page", "page"])
def test_a_change_that_collides_in_the_database_shows_the_409_page_and_saves_nothing(request, fixture):
    from fabrique.models import Module
    from tests.factories import StaffFactory
    from tests.fabrique.factories import make_cohort

    page = request.getfixturevalue(fixture)
    staff = StaffFactory(email="accueil@example.org")
    cohort = make_cohort(staff, year=2031)
    before = list(Module.objects.order_by("pk").values_list("month", "title"))
    login(page, "accueil@example.org", TEST_PASSWORD)
    page.goto(page.base_url + f"/staff/fabrique/cohorts/{cohort.pk}/curriculum/")
    page.locator("input[name=form-0-month]").fill("2")  # two months swapped: they collide on the way
    page.locator("input[name=form-1-month]").fill("1")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 409
    assert page.get_by_role("heading", level=1).inner_text() == "Cela a changé entre-temps"
    assert page.get_by_role("alert").inner_text() == "Ce mois a déjà un module. (champ « mois »)"
    assert list(Module.objects.order_by("pk").values_list("month", "title")) == before
    assert page.get_by_role("link", name="Recharger la page").get_attribute("href") == f"/staff/fabrique/cohorts/{cohort.pk}/curriculum/"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    _shot(page, f"409-{page.viewport_size['width']}.png")
