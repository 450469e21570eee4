"""Déclic Numérique on a phone: a mediator logs an accompaniment at the desk, then reads the statistics."""

import os
import time
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("QUAI_SCREENSHOTS")  # a folder: save screenshots there to look at them


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", ["phone_page", "page"])
def test_mediator_logs_an_individual_support_and_sees_it_counted(request, viewport):
    from events.declic.models import MediationActivity
    from tests.events.factories_declic import workshop
    from tests.factories import TEST_PASSWORD, StaffFactory

    page = request.getfixturevalue(viewport)
    width = page.viewport_size["width"]
    StaffFactory(email="mediatrice@example.org")
    workshop(titre_atelier="Déjouer les arnaques")
    # The staff login answers a TOTP code that is valid for the current 30 s step only: on a busy
    # machine, a code computed in the step's last seconds reaches the server in the next one.
    if 30 - time.time() % 30 < 8:
        time.sleep(30 - time.time() % 30 + 0.5)
    login(page, "mediatrice@example.org", TEST_PASSWORD)

    page.goto(page.base_url + "/staff/declic/")
    assert page.locator("h1").inner_text() == "Déclic Numérique : saisir une activité"
    assert_accessible(page)
    _shot(page, f"declic-log-{width}")
    page.get_by_label("45 min").check()
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Téléphone", exact=True).check()
    person = page.get_by_role("group", name="Accompagnement individuel : la personne")
    person.get_by_label("Tranche d’âge").select_option("soixante_dix_plus")
    person.get_by_label("Commune du bénéficiaire").fill("Poissy")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "Activité enregistrée." in page.content()
    activity = MediationActivity.objects.get(type="individuel")
    assert (activity.duree, activity.thematiques, activity.materiel) == (45, ["email"], ["telephone"])

    # A mistake is shown at the top, with a link to its field.
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").get_by_role("link").first.inner_text().startswith("Thématiques")
    assert_accessible(page)
    _shot(page, f"declic-log-error-{width}")

    page.goto(page.base_url + "/staff/declic/stats/")
    assert page.locator(".figures dd").first.inner_text() == "4"  # 3 in the workshop + 1 today
    assert_accessible(page)
    _shot(page, f"declic-stats-{width}")


class Counted:
    """Playwright actions that count the mediator's interactions (clicks, ticks, fills, selects)."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def select(self, locator, value):
        self.count += 1
        locator.select_option(value)


def test_individual_accompaniment_on_a_phone_in_at_most_8_interactions(phone_page):
    """Themes as chips (most used first), parts by type, save-and-log-another keeps date and defaults."""
    from events.declic.models import MediationActivity
    from tests.events.factories_declic import individual
    from tests.factories import TEST_PASSWORD, StaffFactory

    page = phone_page
    staff = StaffFactory(email="mediatrice@example.org")
    for _ in range(2):
        individual(by=staff, thematiques=("navigation_sur_internet",), duree=60, materiel=["ordinateur"])
    if 30 - time.time() % 30 < 8:
        time.sleep(30 - time.time() % 30 + 0.5)
    login(page, "mediatrice@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/staff/declic/")
    themes = page.locator("#id_thematiques")
    assert themes.locator("label").first.inner_text() == "Navigation sur internet"  # the most used theme first
    assert page.get_by_label("60 min").is_checked()  # the staff member's last activity's duration
    assert page.get_by_label("Ordinateur", exact=True).is_checked()
    assert page.locator(".part-workshop").is_hidden() and page.locator(".part-individual").is_visible()
    assert_accessible(page)
    _shot(page, "declic-quick-log-390")

    act = Counted()
    act.fill(page.get_by_label("Date"), "2026-11-20")
    act.click(page.get_by_label("45 min"))
    act.click(page.get_by_label("Ordinateur", exact=True))  # untick the remembered equipment
    act.click(page.get_by_label("Téléphone", exact=True))
    act.click(page.get_by_label("E-mail", exact=True))
    act.select(page.locator(".part-individual").get_by_label("Tranche d’âge"), "soixante_dix_plus")
    act.click(page.get_by_role("button", name="Enregistrer et saisir la suivante"))
    page.wait_for_load_state("networkidle")
    assert act.count <= 8, act.count
    assert "Activité enregistrée" in page.content()

    activity = MediationActivity.objects.get(type="individuel", thematiques=["email"])
    participant = activity.participants.get()
    assert (activity.date.isoformat(), activity.duree, activity.materiel, activity.type_lieu, activity.created_by_id) == (
        "2026-11-20", 45, ["telephone"], "lieu_activite", staff.pk)
    assert (participant.tranche_age, participant.genre) == ("soixante_dix_plus", "non_communique")

    # The next one starts from the same date, duration and equipment: a theme and a tap.
    assert page.get_by_label("Date").input_value() == "2026-11-20"
    assert page.get_by_label("45 min").is_checked() and page.get_by_label("Téléphone", exact=True).is_checked()
    act = Counted()
    act.click(page.get_by_label("Diagnostic numérique", exact=True))
    act.click(page.get_by_role("button", name="Enregistrer et saisir la suivante"))
    page.wait_for_load_state("networkidle")
    assert act.count == 2
    second = MediationActivity.objects.get(thematiques=["diagnostic_numerique"])
    assert (second.date.isoformat(), second.duree, second.materiel) == ("2026-11-20", 45, ["telephone"])

    # A workshop shows its own part instead of the person.
    page.get_by_label("Atelier collectif").click()
    assert page.locator(".part-individual").is_hidden() and page.locator(".part-workshop").is_visible()
    assert_accessible(page)
    _shot(page, "declic-quick-log-workshop-390")
