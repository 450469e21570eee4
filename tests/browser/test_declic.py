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
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("networkidle")
    assert "Activité enregistrée." in page.content()
    activity = MediationActivity.objects.get(type="individuel")
    assert (activity.duree, activity.thematiques, activity.materiel) == (45, ["email"], ["telephone"])

    # A mistake is shown at the top, with a link to its field.
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").get_by_role("link").first.inner_text().startswith("Thématiques")
    assert_accessible(page)
    _shot(page, f"declic-log-error-{width}")

    page.goto(page.base_url + "/staff/declic/stats/")
    assert page.locator(".figures dd").first.inner_text() == "4"  # 3 in the workshop + 1 today
    assert_accessible(page)
    _shot(page, f"declic-stats-{width}")
