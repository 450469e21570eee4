"""Browser journey: a holder uploads a business plan on a phone and sees it « Soumis »; the coach
validates it; the holder's progress towards graduation moves (and the dashboard is accessible)."""

import datetime

import pytest
from django.utils import timezone

from fabrique import services
from fabrique.models import Enrolment
from tests.browser.conftest import PHONE, assert_accessible, login
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory
from tests.fabrique.factories import make_sessions, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = StaffFactory()
    holder = UserFactory(email="porteuse@example.org", first_name="Amina", last_name="Diallo")
    coach = UserFactory(email="coach@example.org", first_name="Claire", last_name="Dubois")
    start = timezone.localdate() - datetime.timedelta(days=150)
    cohort = services.cohort_create(by=staff, name="Promotion test", year=start.year, start=start,
                                    end=start + datetime.timedelta(days=182))
    enrolment = services.enrol(cohort=cohort, holder=holder, coach=coach, project_name="La Grange de Chatou")
    for session in make_sessions(cohort, n=4, start=timezone.now() - datetime.timedelta(days=60)):
        services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "present"})
    vp = services.submission_create(deliverable=enrolment.deliverables.get(kind="value_proposition"), by=holder, text="VP")
    services.submission_review(submission=vp, by=coach, decision="validated", feedback="Claire et précise")
    return enrolment


def test_holder_uploads_business_plan_coach_validates_progress_moves(phone_page, open_page, journey, tmp_path):
    page = phone_page
    enrolment = journey
    login(page, "porteuse@example.org", TEST_PASSWORD)
    page.goto(page.base_url + "/fabrique/")
    assert page.locator("#graduation-progress").get_attribute("value") == "2"
    assert_accessible(page)

    page.get_by_role("link", name="Business plan + prévisionnel").first.click()
    upload = pdf("business-plan.pdf")
    page.get_by_label("Fichier").set_input_files(
        {"name": "business-plan.pdf", "mimeType": "application/pdf", "buffer": upload.read()})
    page.get_by_role("button", name="Déposer cette version").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#deliverable-status").inner_text() == "Soumis"
    assert page.get_by_role("link", name="business-plan.pdf").is_visible()
    assert_accessible(page)

    # The coach, on their phone, validates it from their dashboard.
    coach_page = open_page(viewport=PHONE, is_mobile=True)
    login(coach_page, "coach@example.org", TEST_PASSWORD)
    coach_page.goto(coach_page.base_url + "/fabrique/coach/")
    assert_accessible(coach_page)
    coach_page.get_by_role("link", name="Business plan + prévisionnel").first.click()
    coach_page.get_by_label("Validé").check()
    coach_page.get_by_label("Retour").fill("Prévisionnel solide, bravo.")
    coach_page.get_by_role("button", name="Enregistrer la relecture").click()
    coach_page.wait_for_load_state("networkidle")
    assert coach_page.locator("#deliverable-status").inner_text() == "Validé"
    # nothing else waits: said so, with the way back (no dead end after a review)
    assert coach_page.get_by_text("Votre file de relecture est vide.").is_visible()
    assert coach_page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]

    # Attendance taken on the phone.
    session = enrolment.cohort.sessions.first()
    coach_page.goto(coach_page.base_url + f"/fabrique/sessions/{session.pk}/attendance/")
    assert_accessible(coach_page)
    coach_page.get_by_label("Excusé").check()
    coach_page.get_by_role("button", name="Enregistrer les présences").click()
    coach_page.wait_for_load_state("networkidle")
    assert session.attendances.get().status == "excused"

    page.goto(page.base_url + "/fabrique/")
    assert page.locator("#graduation-progress").get_attribute("value") == "3"
    assert "Prévisionnel solide" in page.content()
    assert Enrolment.objects.get(pk=enrolment.pk).graduated_at == timezone.localdate()
    assert page.get_by_role("link", name="Attestation imprimable").is_visible()
    assert_accessible(page)
