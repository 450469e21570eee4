"""Staff on the back-office home: today's figures, targets and trends; they recompute the figures and open an indicator."""

import datetime
import os

import pytest
from django.utils import timezone

from coworking.time import local_dt
from events.models import Event, Registration
from quai.impact import compute_snapshots
from quai.models import ImpactRun
from tests.browser.conftest import assert_accessible, login
from tests.events.factories import EventFactory
from tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("QUAI_SCREENSHOTS")  # a folder: save screenshots there to look at them


def history():
    today = timezone.localdate()
    for months_ago in range(14):
        day = (today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(day=10)
        start = local_dt(day, datetime.time(18))
        event = EventFactory(kind=Event.Kind.ESS_AWARENESS, starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=40)
        Registration.objects.bulk_create(
            Registration(event=event, guest_email=f"p{months_ago}-{i}@example.org", person_key=f"p{months_ago}-{i}@example.org",
                         status="confirmed", attended=True)
            for i in range(10 + months_ago)
        )


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_staff_read_today_and_impact_recompute_and_drill_down(device, request, settings):
    page = request.getfixturevalue(device)
    settings.QUAI_PROGRAMME_START = timezone.localdate().replace(month=1, day=1) - datetime.timedelta(days=366)
    StaffFactory(email="sophie@example.org")
    history()
    compute_snapshots()

    login(page, "sophie@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/staff/")
    assert page.get_by_role("heading", name="Impact", exact=True).is_visible()
    assert page.get_by_role("link", name="ESS-1 · Personnes sensibilisées à l’économie sociale et solidaire (cumul, uniques)").is_visible()
    assert_accessible(page)
    if device == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"staff-home-{device}.png")

    page.get_by_role("button", name="Recalculer les chiffres").click()
    # Tests run Celery tasks inline: the whole recomputation happens inside that request.
    page.get_by_text("Dernier calcul terminé le").wait_for(timeout=90_000)
    assert ImpactRun.objects.get().status == ImpactRun.Status.DONE

    page.get_by_role("link", name="ESS-1 · Personnes sensibilisées à l’économie sociale et solidaire (cumul, uniques)").click()
    page.get_by_role("heading", name="Les lignes qui font le chiffre").wait_for()
    page.get_by_text("Tableau de données").first.click()
    assert_accessible(page)
    if device == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"indicator-{device}.png")

    # The rows of the figure, filtered by a text: one person of the 14 months.
    page.get_by_label("Lignes contenant").fill("p3-1@")
    page.get_by_role("button", name="Afficher").click()
    page.get_by_text("contient «\xa0p3-1@\xa0»").wait_for()
    assert page.locator("table.responsive tbody tr").count() == 1
    assert_accessible(page)

    # The funder report, printable, and the public page: readable on a phone, nothing for axe.
    page.goto(page.base_url + "/staff/impact/report/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)
    if device == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(page.base_url + "/impact/")
    assert_accessible(page)
    if device == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
