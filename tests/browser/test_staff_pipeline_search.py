"""Issue 14, staff side: the incubator pipeline on a phone (folded by status, counts in each
summary, no sideways scroll) and on a laptop (the active projects open), and the search for a
person finding a Fabrique holder and an incubated project. Real CSP, axe on every page visited.
Screenshots in var/screenshots/."""


import pytest

from fabrique.services import enrol
from members.services import profile_update
from tests.browser.conftest import assert_accessible, login, shot
from tests.fabrique.factories import make_cohort
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory
from tests.incubator.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def _pipeline():
    coach = UserFactory(first_name="Claire", last_name="Dubois")
    for index in range(10):
        ProjectFactory(name=f"Projet actif {index}", coach=coach, team=[UserFactory(), UserFactory()],
                       stage=("idea", "prototype", "launched")[index % 3])
    for index in range(6):
        ProjectFactory(name=f"Projet sorti {index}", status="graduated", stage="launched", team=[UserFactory()])
    ProjectFactory(name="Projet arrêté", status="stopped")


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_on_a_phone_the_pipeline_starts_folded_by_status(phone_page):
    page = phone_page
    _pipeline()
    login(page, StaffFactory(email="incubateur@example.org").email, TEST_PASSWORD)
    page.goto(page.base_url + "/staff/incubator/")
    active = page.locator("details#status-active")
    # Every status folded, its summary saying how many projects it holds: the page is short.
    for status in ("active", "graduated", "stopped"):
        assert page.locator(f"details#status-{status}").evaluate("d => d.open") is False
    assert active.locator("summary").inner_text() == "En cours\n10 projets · 10 en alerte"
    assert page.locator("details#status-graduated summary").inner_text() == "Sorti de l’incubateur\n6 projets"
    assert page.evaluate("document.documentElement.scrollHeight") <= 1600
    assert not page.get_by_role("link", name="Projet actif 0").is_visible()
    _no_sideways_scroll(page)
    shot(page, "staff-pipeline-folded-390")
    assert_accessible(page)

    # Unfolding a status shows its projects as cards, still without sideways scroll.
    active.locator("summary").click()
    assert active.evaluate("d => d.open") is True
    card = page.locator("tr").filter(has=page.get_by_role("link", name="Projet actif 0"))
    assert card.is_visible() and "Claire Dubois" in card.inner_text()
    assert card.bounding_box()["height"] <= 260
    _no_sideways_scroll(page)
    shot(page, "staff-pipeline-open-390")
    assert_accessible(page)

    # A status link keeps only that status, open.
    page.get_by_role("navigation", name="Projets par statut").get_by_role("link", name="Sorti de l’incubateur 6").click()
    page.wait_for_url("**/staff/incubator/?status=graduated")
    assert page.locator("details#status-graduated").evaluate("d => d.open") is True
    assert page.locator("details#status-active").count() == 0
    assert page.get_by_role("link", name="Projet sorti 0").is_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)


def test_on_a_laptop_the_pipeline_shows_the_active_projects(page):
    _pipeline()
    login(page, StaffFactory(email="incubateur@example.org").email, TEST_PASSWORD)
    page.goto(page.base_url + "/staff/incubator/")
    assert page.locator("details#status-active").evaluate("d => d.open") is True
    assert page.locator("details#status-graduated").evaluate("d => d.open") is False
    assert page.get_by_role("link", name="Projet actif 0").is_visible()
    assert page.get_by_role("columnheader", name="Accompagnateur").first.is_visible()
    _no_sideways_scroll(page)
    shot(page, "staff-pipeline-1280")
    assert_accessible(page)


def test_the_search_for_a_person_finds_a_holder_and_their_project(phone_page):
    page = phone_page
    staff = StaffFactory(email="accueil@example.org")
    nadia = UserFactory(email="nadia@exemple.fr")
    profile_update(user=nadia, first_name="Nadia", last_name="Benali", consents={})
    enrolment = enrol(cohort=make_cohort(staff), holder=nadia, project_name="Le Préau de Montesson", commune="Montesson")
    project = ProjectFactory(name="Épicerie du Vésinet", team=[nadia])
    login(page, staff.email, TEST_PASSWORD)

    search = page.get_by_role("search", name="Trouver une personne")
    search.get_by_role("searchbox").fill("benali")
    search.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**/staff/search/?q=benali")
    holders = page.get_by_role("region", name="Porteurs de la Fabrique de Territoire 1")
    assert "Le Préau de Montesson · Promotion 2026" in holders.inner_text()
    projects = page.get_by_role("region", name="Projets incubés et leurs équipes 1")
    assert "Équipe : Nadia Benali" in projects.inner_text()
    _no_sideways_scroll(page)
    shot(page, "staff-search-holder-390")
    assert_accessible(page)

    holders.get_by_role("link", name="Nadia Benali").click()
    page.wait_for_url(f"**/fabrique/enrolments/{enrolment.pk}/")
    assert "Le Préau de Montesson" in page.locator("main").inner_text()
    page.go_back()
    page.get_by_role("region", name="Projets incubés et leurs équipes 1").get_by_role("link", name="Épicerie du Vésinet").click()
    page.wait_for_url(f"**/incubator/projects/{project.pk}/")
