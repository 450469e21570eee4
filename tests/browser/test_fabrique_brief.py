"""Browser journey (issue 14): on a 390 px phone a holder opens a deliverable, reads its brief and
downloads its template; the page is accessible at 390 and 1280 px and never scrolls sideways."""

import datetime

import pytest
from django.utils import timezone
from docx import Document

from fabrique import services
from fabrique.briefs import DEFAULT_BRIEFS
from tests.browser.conftest import assert_accessible, login
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def enrolment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = StaffFactory()
    holder = UserFactory(email="porteuse@example.org", first_name="Amina", last_name="Diallo")
    coach = UserFactory(email="coach@example.org", first_name="Claire", last_name="Dubois")
    start = timezone.localdate() - datetime.timedelta(days=20)
    cohort = services.cohort_create(by=staff, name="Promotion test", year=start.year, start=start,
                                    end=start + datetime.timedelta(days=182))
    return services.enrol(cohort=cohort, holder=holder, coach=coach, project_name="La Grange de Chatou")


def test_holder_reads_the_brief_and_downloads_the_template_on_a_phone(phone_page, enrolment):
    page = phone_page
    login(page, "porteuse@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/fabrique/")
    page.get_by_role("link", name="Diagnostic territorial et communautés cibles").first.click()
    page.wait_for_load_state("networkidle")

    brief = page.locator(".fab-brief")
    assert brief.get_by_role("heading", name="Consignes").is_visible()
    assert brief.get_by_text(DEFAULT_BRIEFS["diagnostic"].criteria[0]).is_visible()
    assert brief.get_by_text("8 à 12 pages, annexes en plus").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le modèle").click()
    download = info.value
    assert download.suggested_filename == "modele-diagnostic.docx"
    document = Document(download.path())
    assert document.paragraphs[0].text == "Diagnostic territorial et communautés cibles"
    assert "1. Le territoire en chiffres" in [p.text for p in document.paragraphs]

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.wait_for_load_state("networkidle")
    assert brief.get_by_role("link", name="Télécharger le modèle").is_visible()
    assert_accessible(page)


def test_coach_reviews_with_the_criteria_and_staff_edit_the_brief_accessibly(open_page, enrolment):
    from tests.fabrique.factories import pdf

    deliverable = enrolment.deliverables.get(kind="value_proposition")
    services.submission_create(deliverable=deliverable, by=enrolment.holder, upload=pdf("canevas.pdf"))
    for viewport in ({"width": 390, "height": 844}, {"width": 1280, "height": 900}):
        page = open_page(viewport=viewport)
        login(page, "coach@example.org", TEST_PASSWORD)
        page.goto(page.base_url + f"/fabrique/deliverables/{deliverable.pk}/")
        criteria = page.locator("details.fab-brief")
        assert criteria.get_by_text(DEFAULT_BRIEFS["value_proposition"].criteria[0]).is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]
        assert_accessible(page)

    staff = open_page(viewport={"width": 1280, "height": 900})
    from fabrique.models import Module

    staff_user = type(enrolment.holder).objects.filter(is_staff=True).first()
    login(staff, staff_user.email, TEST_PASSWORD)
    module = Module.objects.get(cohort=enrolment.cohort, month=2)
    staff.goto(staff.base_url + f"/staff/fabrique/modules/{module.pk}/brief/")
    assert staff.get_by_label("Longueur attendue").input_value() == DEFAULT_BRIEFS["value_proposition"].length
    assert_accessible(staff)
    staff.get_by_label("Longueur attendue").fill("Une page")
    staff.get_by_role("button", name="Enregistrer les consignes").click()
    staff.wait_for_load_state("networkidle")
    module.refresh_from_db()
    assert module.deliverable_length == "Une page"
