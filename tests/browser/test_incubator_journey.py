"""Browser journey: a founder, on a phone, reports this quarter's figures from the project dashboard
(an error first, then the figures), and the dashboard shows them, accessibly."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from incubator.models import KpiReport, Milestone
from tests.browser.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD, UserFactory
from tests.incubator.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project():
    founder = UserFactory(email="fondatrice@example.org", first_name="Inès", last_name="Robert")
    coach = UserFactory(email="coach@example.org", first_name="Claire", last_name="Dubois")
    project = ProjectFactory(name="Les Paniers de Marly", team=[founder], coach=coach,
                             incubation_start=timezone.localdate() - datetime.timedelta(days=200))
    KpiReport.objects.create(project=project, reported_on=timezone.localdate() - datetime.timedelta(days=100),
                             fte=Decimal("1"), revenue_eur=Decimal("4000"), beneficiaries=30)
    Milestone.objects.create(project=project, title="Premier client", due_on=timezone.localdate() + datetime.timedelta(days=20))
    return project


def test_founder_reports_figures_on_a_phone(phone_page, project):
    page = phone_page
    login(page, "fondatrice@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/incubator/")
    assert_accessible(page)
    page.get_by_role("link", name="Les Paniers de Marly").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#kpi-due").is_visible()  # nothing reported this quarter yet
    assert page.locator("svg.kpi-chart").count() == 2
    assert_accessible(page)

    page.get_by_role("link", name="Les saisir maintenant").click()
    page.get_by_role("spinbutton", name="Emplois (ETP)").fill("-1")
    page.get_by_role("spinbutton", name="Chiffre d’affaires (€)").fill("9000")
    page.get_by_role("button", name="Enregistrer les indicateurs").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_fte_error").inner_text() == "Assurez-vous que cette valeur est supérieure ou égale à 0."
    assert KpiReport.objects.count() == 1
    assert_accessible(page)

    page.get_by_role("spinbutton", name="Emplois (ETP)").fill("2.5")
    page.get_by_role("spinbutton", name="Bénéficiaires").fill("75")
    page.get_by_role("spinbutton", name="Financements obtenus (€)").fill("12000")
    page.get_by_role("button", name="Enregistrer les indicateurs").click()
    page.wait_for_load_state("networkidle")
    assert "Indicateurs enregistrés." in page.locator(".messages").inner_text()
    assert page.locator("#kpi-due").count() == 0
    cells = page.locator("#kpi-table tbody tr").first.locator("td").all_inner_texts()
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("fr"):
        today = date_format(timezone.localdate(), "j F Y")
    assert cells == [today, "2,5\xa0ETP", "9\xa0000\xa0€", "75", "12\xa0000\xa0€"]  # French figures (issue 14)
    report = KpiReport.objects.order_by("-reported_on").first()
    assert (report.reported_on, report.fte, report.revenue_eur, report.beneficiaries, report.funding_eur) == (
        timezone.localdate(), Decimal("2.50"), Decimal("9000.00"), 75, Decimal("12000.00"))
    # The page fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.get_by_role("button", name="Marquer comme fait — Premier client").click()
    page.wait_for_load_state("networkidle")
    assert Milestone.objects.get().done_on == timezone.localdate()
