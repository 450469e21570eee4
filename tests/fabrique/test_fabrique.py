import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from fabrique import selectors, services
from fabrique.models import Attendance, Deliverable, Submission
from quai.errors import ConflictError, DomainError
from quai.models import AuditLog, OutboxMessage
from quai.registry import registry
from tests.fabrique.factories import docx, make_cohort, make_sessions, ods, pdf, plain_zip

pytestmark = pytest.mark.django_db


def _files(settings) -> list:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _deliverable(enrolment, kind):
    return enrolment.deliverables.get(kind=kind)


# --- curriculum ------------------------------------------------------------------------------

def test_cohort_gets_default_curriculum_and_enrolment_its_deliverables(cohort, enrolment):
    assert cohort.capacity == 8 and cohort.attendance_threshold == 75
    assert [m.month for m in cohort.modules.all()] == [1, 2, 3, 4, 5, 6]
    kinds = list(enrolment.deliverables.values_list("kind", "required_for_graduation"))
    assert len(kinds) == 6
    assert {k for k, required in kinds if required} == {"value_proposition", "business_plan"}
    assert _deliverable(enrolment, "value_proposition").due_on == datetime.date(2026, 2, 28)
    assert _deliverable(enrolment, "business_plan").due_on == datetime.date(2026, 6, 30)


def test_curriculum_is_editable_per_cohort(staff, member):
    cohort = make_cohort(staff, year=2030)
    cohort.modules.filter(month=3).update(required_for_graduation=True, deliverable_title="Étude de marché locale")
    enrolment = services.enrol(cohort=cohort, holder=member, project_name="P")
    market = _deliverable(enrolment, "market_study")
    assert market.required_for_graduation and market.title == "Étude de marché locale"


# --- files -------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, mimetype", [
    (pdf, "application/pdf"),
    (docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (ods, "application/vnd.oasis.opendocument.spreadsheet"),
])
def test_accepted_types_are_recognised_by_content(enrolment, member, make, mimetype, settings):
    upload = make()
    submission = services.submission_create(deliverable=_deliverable(enrolment, "business_plan"), by=member, upload=upload)
    assert submission.content_type == mimetype and submission.version == 1
    assert "plan" not in submission.file.name and "budget" not in submission.file.name  # random stored name
    assert len(_files(settings)) == 1


@pytest.mark.parametrize("upload, message", [
    (lambda: __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
        "plan.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf"), "PDF, ODT"),
    (plain_zip, "PDF, ODT"),
    (lambda: __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
        "plan.pdf", b"", content_type="application/pdf"), "vide"),
])
def test_lying_or_empty_upload_is_refused_and_nothing_is_stored(client, enrolment, member, settings, upload, message):
    deliverable = _deliverable(enrolment, "business_plan")
    client.force_login(member)
    response = client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": upload()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists() and _files(settings) == []
    deliverable.refresh_from_db()
    assert deliverable.status == "todo"


def test_too_large_upload_is_refused_with_a_lowered_limit(client, enrolment, member, settings):
    settings.FABRIQUE_MAX_UPLOAD_BYTES = 1024
    deliverable = _deliverable(enrolment, "business_plan")
    client.force_login(member)
    response = client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": pdf(size=2048)})
    assert response.status_code == 400 and "trop volumineux" in response.content.decode()
    assert not Submission.objects.exists() and _files(settings) == []
    # the API says the same
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(member)
    response = api.post(f"/api/v1/fabrique/deliverables/{deliverable.pk}/submissions/", {"file": pdf(size=2048)},
                        format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert not Submission.objects.exists() and _files(settings) == []


def test_submissions_are_versioned_never_overwritten(enrolment, member, coach):
    deliverable = _deliverable(enrolment, "value_proposition")
    first = services.submission_create(deliverable=deliverable, by=member, text="Première version")
    services.submission_review(submission=first, by=coach, decision="changes_requested", feedback="Précisez la cible.")
    second = services.submission_create(deliverable=deliverable, by=member, upload=pdf())
    assert [s.version for s in deliverable.submissions.all()] == [2, 1]
    first.refresh_from_db()
    assert first.text == "Première version" and first.review.decision == "changes_requested"
    assert second.version == 2


def test_only_the_holder_submits_and_only_the_coach_or_staff_reviews(enrolment, member, other_member, coach, staff):
    deliverable = _deliverable(enrolment, "value_proposition")
    with pytest.raises(DomainError):
        services.submission_create(deliverable=deliverable, by=coach, text="x")
    submission = services.submission_create(deliverable=deliverable, by=member, text="Ma proposition")
    for outsider in (member, other_member):
        with pytest.raises(DomainError):
            services.submission_review(submission=submission, by=outsider, decision="validated", feedback="ok")
    services.submission_review(submission=submission, by=staff, decision="validated", feedback="Très clair")
    assert AuditLog.objects.filter(action="fabrique.submission_reviewed").count() == 1
    with pytest.raises(ConflictError):
        services.submission_review(submission=submission, by=coach, decision="validated", feedback="encore")
    with pytest.raises(DomainError):
        services.submission_create(deliverable=deliverable, by=member, text="après validation")


def test_review_of_an_older_version_is_a_conflict(enrolment, member, coach):
    deliverable = _deliverable(enrolment, "value_proposition")
    old = services.submission_create(deliverable=deliverable, by=member, text="v1")
    services.submission_create(deliverable=deliverable, by=member, text="v2")
    with pytest.raises(ConflictError):
        services.submission_review(submission=old, by=coach, decision="validated", feedback="ok")


# --- graduation --------------------------------------------------------------------------------

def _validate(enrolment, kind, holder, coach, on=None):
    submission = services.submission_create(deliverable=_deliverable(enrolment, kind), by=holder, text="Texte")
    services.submission_review(submission=submission, by=coach, decision="validated", feedback="Validé")
    if on:
        Deliverable.objects.filter(enrolment=enrolment, kind=kind).update(validated_on=on)


def test_graduation_exactly_when_the_rules_are_met(enrolment, member, coach):
    sessions = make_sessions(enrolment.cohort, n=4)
    # 2 of 4 present (50 %) and one deliverable: not yet
    services.attendance_record(session=sessions[0], by=coach, statuses={enrolment.pk: "present"})
    services.attendance_record(session=sessions[1], by=coach, statuses={enrolment.pk: "present"})
    services.attendance_record(session=sessions[2], by=coach, statuses={enrolment.pk: "excused"})
    _validate(enrolment, "value_proposition", member, coach, on=datetime.date(2026, 2, 20))
    _validate(enrolment, "business_plan", member, coach, on=datetime.date(2026, 6, 10))
    enrolment.refresh_from_db()
    assert enrolment.graduated_at is None  # both validated, attendance 50 % < 75 %
    progress = selectors.progress_for(enrolment)
    assert progress["attendance_rate"] == 50 and progress["excused"] == 1 and not progress["eligible"]
    # 3 of 4 = 75 %: the rules are met now; the date is the last required validation (FAB-2)
    services.attendance_record(session=sessions[3], by=coach, statuses={enrolment.pk: "present"})
    enrolment.refresh_from_db()
    assert enrolment.graduated_at == datetime.date(2026, 6, 10)
    assert AuditLog.objects.filter(action="fabrique.graduated").count() == 1


def test_no_graduation_with_attendance_but_one_required_deliverable_missing(enrolment, member, coach):
    sessions = make_sessions(enrolment.cohort, n=2)
    for session in sessions:
        services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "present"})
    _validate(enrolment, "business_plan", member, coach)
    for kind in ("diagnostic", "market_study"):
        _validate(enrolment, kind, member, coach)
    enrolment.refresh_from_db()
    assert enrolment.graduated_at is None
    submission = services.submission_create(deliverable=_deliverable(enrolment, "value_proposition"), by=member, text="VP")
    services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback="Pas encore")
    enrolment.refresh_from_db()
    assert enrolment.graduated_at is None
    submission = services.submission_create(deliverable=_deliverable(enrolment, "value_proposition"), by=member, text="VP2")
    services.submission_review(submission=submission, by=coach, decision="validated", feedback="Oui")
    enrolment.refresh_from_db()
    assert enrolment.graduated_at == timezone.localdate()


def test_threshold_is_configurable(settings, staff, member, coach):
    settings.FABRIQUE_ATTENDANCE_THRESHOLD = 50
    cohort = make_cohort(staff, year=2031)
    assert cohort.attendance_threshold == 50
    enrolment = services.enrol(cohort=cohort, holder=member, coach=coach, project_name="P")
    sessions = make_sessions(cohort, n=2)
    services.attendance_record(session=sessions[0], by=coach, statuses={enrolment.pk: "present"})
    _validate(enrolment, "value_proposition", member, coach)
    _validate(enrolment, "business_plan", member, coach)
    enrolment.refresh_from_db()
    assert enrolment.graduated_at is not None


def test_attendance_is_one_row_per_holder_and_session_and_only_for_coaches(enrolment, other_enrolment, coach, other_member):
    session = make_sessions(enrolment.cohort, n=1)[0]
    with pytest.raises(DomainError):
        services.attendance_record(session=session, by=other_member, statuses={enrolment.pk: "present"})
    services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "present", other_enrolment.pk: "absent"})
    services.attendance_record(session=session, by=coach, statuses={enrolment.pk: "excused"})
    assert Attendance.objects.count() == 2
    assert Attendance.objects.get(enrolment=enrolment).status == "excused"


# --- privacy: another holder's submission, file, feedback → 404 everywhere --------------------

def test_a_holder_cannot_read_another_holders_submission_file_or_feedback(client, api_client, enrolment, other_enrolment,
                                                                           member, other_member, coach, staff):
    deliverable = _deliverable(enrolment, "business_plan")
    submission = services.submission_create(deliverable=deliverable, by=member, upload=pdf())
    services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback="Secret feedback")
    client.force_login(other_member)
    assert client.get(reverse("fabrique:deliverable", args=[deliverable.pk])).status_code == 404
    assert client.get(reverse("fabrique:submission_file", args=[submission.pk])).status_code == 404
    assert client.get(reverse("fabrique:enrolment", args=[enrolment.pk])).status_code == 404
    assert client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"text": "x"}).status_code == 404
    assert "Secret feedback" not in client.get(reverse("fabrique:home")).content.decode()
    api_client.force_authenticate(other_member)
    assert api_client.get(f"/api/v1/fabrique/enrolments/{enrolment.pk}/").status_code == 404
    listed = api_client.get("/api/v1/fabrique/enrolments/").json()["results"]
    assert [e["id"] for e in listed] == [other_enrolment.pk]
    assert api_client.post(f"/api/v1/fabrique/deliverables/{deliverable.pk}/submissions/", {"text": "x"}).status_code == 404
    assert api_client.post(f"/api/v1/fabrique/submissions/{submission.pk}/review/",
                           {"decision": "validated", "feedback": "x"}).status_code == 404
    assert api_client.get("/api/v1/fabrique/cohorts/").status_code == 403
    # holder, coach and staff get the file as an attachment
    for user in (member, coach, staff):
        client.force_login(user)
        response = client.get(reverse("fabrique:submission_file", args=[submission.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Submission.objects.count() == 1


def test_api_enrolments_holder_coach_staff(api_client, enrolment, other_enrolment, member, coach, staff):
    api_client.force_authenticate(coach)
    assert [e["id"] for e in api_client.get("/api/v1/fabrique/enrolments/").json()["results"]] == [enrolment.pk]
    api_client.force_authenticate(staff)
    assert api_client.get("/api/v1/fabrique/enrolments/").json()["count"] == 2
    assert api_client.get("/api/v1/fabrique/cohorts/").json()["count"] == 1
    api_client.force_authenticate(member)
    detail = api_client.get(f"/api/v1/fabrique/enrolments/{enrolment.pk}/").json()
    assert len(detail["deliverables"]) == 6


def test_api_submit_multipart_then_review(api_client, enrolment, member, coach):
    deliverable = _deliverable(enrolment, "business_plan")
    api_client.force_authenticate(member)
    response = api_client.post(f"/api/v1/fabrique/deliverables/{deliverable.pk}/submissions/",
                               {"file": docx(), "text": "Notes"}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["original_name"] == "plan.docx"
    assert api_client.post(f"/api/v1/fabrique/submissions/{body['id']}/review/",
                           {"decision": "validated", "feedback": "x"}).status_code == 400  # holder can't review
    api_client.force_authenticate(coach)
    response = api_client.post(f"/api/v1/fabrique/submissions/{body['id']}/review/",
                               {"decision": "validated", "feedback": "Solide"}, format="json")
    assert response.status_code == 201
    deliverable.refresh_from_db()
    assert deliverable.status == "validated"


# --- reminders --------------------------------------------------------------------------------

def test_reminders_are_sent_once(enrolment, member, coach):
    deliverable = _deliverable(enrolment, "value_proposition")
    today = deliverable.due_on - datetime.timedelta(days=3)
    assert services.send_reminders(today=today) >= 1
    assert services.send_reminders(today=today) == 0
    assert OutboxMessage.objects.filter(key=f"fabrique-due-soon:{deliverable.pk}:{deliverable.due_on}").count() == 1
    later = deliverable.due_on + datetime.timedelta(days=2)
    services.send_reminders(today=later)
    services.send_reminders(today=later + datetime.timedelta(days=1))
    assert OutboxMessage.objects.filter(key=f"fabrique-overdue:{deliverable.pk}:{deliverable.due_on}").count() == 1
    session = make_sessions(enrolment.cohort, n=1, start=timezone.now() + datetime.timedelta(days=1))[0]
    services.send_reminders()
    services.send_reminders()
    assert OutboxMessage.objects.filter(key=f"fabrique-session-tomorrow:{session.pk}:{enrolment.pk}").count() == 1
    submission = services.submission_create(deliverable=deliverable, by=member, text="VP")
    services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback="Encore")
    message = OutboxMessage.objects.get(key__startswith="fabrique-feedback:")
    assert message.to == member.email


# --- pages -------------------------------------------------------------------------------------

def test_holder_dashboard_and_deliverable_pages(client, enrolment, member, coach):
    make_sessions(enrolment.cohort, n=2)
    client.force_login(member)
    html = client.get(reverse("fabrique:home")).content.decode()
    assert f'href="{reverse("fabrique:home")}"' in client.get("/").content.decode()  # nav link for holders
    assert "<progress" in html and "Tiers-lieu de Chatou" in html
    deliverable = _deliverable(enrolment, "business_plan")
    response = client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": pdf("mon plan.pdf")})
    assert response.status_code == 302
    html = client.get(reverse("fabrique:deliverable", args=[deliverable.pk])).content.decode()
    assert "mon plan.pdf" in html and "Soumis" in html
    client.force_login(coach)
    html = client.get(reverse("fabrique:coach")).content.decode()
    assert deliverable.title in html
    submission = Submission.objects.get()
    response = client.post(reverse("fabrique:review", args=[submission.pk]), {"decision": "validated", "feedback": "Bravo"})
    assert response.status_code == 302
    assert reverse("fabrique:coach") in client.get("/").content.decode()


def test_certificate_only_once_graduated(client, enrolment, member):
    client.force_login(member)
    assert client.get(reverse("fabrique:certificate", args=[enrolment.pk])).status_code == 404
    enrolment.graduated_at = datetime.date(2026, 6, 10)
    enrolment.save()
    assert "10 juin 2026" in client.get(reverse("fabrique:certificate", args=[enrolment.pk])).content.decode()


def test_coach_takes_attendance_through_the_page(client, enrolment, coach, other_member):
    session = make_sessions(enrolment.cohort, n=1)[0]
    client.force_login(other_member)
    assert client.get(reverse("fabrique:attendance", args=[session.pk])).status_code == 404
    client.force_login(coach)
    assert client.get(reverse("fabrique:attendance", args=[session.pk])).status_code == 200
    response = client.post(reverse("fabrique:attendance", args=[session.pk]), {f"e-{enrolment.pk}": "present"})
    assert response.status_code == 302
    assert Attendance.objects.get().status == "present"


def test_application_selection_enrols_with_coach(client, staff, member, coach):
    cohort = make_cohort(staff, year=2027)
    cohort.applications_open = True
    cohort.save()
    client.force_login(member)
    response = client.post(reverse("fabrique:apply", args=[cohort.pk]), {
        "commune": "Poissy", "territory": "Boucle de Seine", "project": "Un tiers-lieu nourricier",
        "stage": "idea", "motivation": "Créer du lien"})
    assert response.status_code == 302
    application = cohort.applications.get()
    services.application_score(application=application, by=staff, score=4)
    enrolment = services.application_decide(application=application, by=staff, status="selected", coach=coach)
    assert enrolment.holder == member and enrolment.coach == coach and enrolment.deliverables.count() == 6


def test_staff_pages(client, staff, enrolment):
    client.force_login(staff)
    assert client.get(reverse("fabrique:staff_cohorts")).status_code == 200
    assert client.get(reverse("fabrique:staff_cohort", args=[enrolment.cohort_id])).status_code == 200
    assert client.get(reverse("fabrique:staff_outcome", args=[enrolment.pk])).status_code == 200
    response = client.post(reverse("fabrique:staff_outcome", args=[enrolment.pk]),
                           {"name": "La Grange", "commune": "Chatou", "opened_on": "2026-10-01"})
    assert response.status_code == 302
    assert selectors.fab3_tiers_lieux_opened(end=datetime.date(2027, 1, 1)) == 1


def test_indicators(enrolment, other_enrolment):
    assert selectors.fab1_holders_supported(start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1)) == 2
    assert selectors.fab1_holders_supported(start=datetime.date(2027, 1, 1), end=datetime.date(2028, 1, 1)) == 0
    rows = selectors.fab4_attendance(cohort=enrolment.cohort)
    assert len(rows) == 2


def test_person_data_export_and_erase(enrolment, member, settings):
    submission = services.submission_create(deliverable=_deliverable(enrolment, "business_plan"), by=member, upload=pdf())
    data = next(d for d in registry.person_data if d.app_label == "fabrique")
    assert data.export(member)["enrolments"][0]["project"] == "Tiers-lieu de Chatou"
    data.erase(member)
    submission.refresh_from_db()
    assert not submission.file and _files(settings) == []
    assert selectors.fab1_holders_supported(start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1)) == 1


# --- room booked through coworking --------------------------------------------------------------

def test_collective_session_books_moves_and_releases_a_room(staff, cohort):
    from coworking.models import Booking
    from tests.coworking.factories import ResourceFactory, SiteFactory

    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", capacity=12, zone="")
    day = timezone.localdate() + datetime.timedelta(days=7)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(14), tzinfo=tz)
    end = start + datetime.timedelta(hours=3)
    session = services.session_create(cohort=cohort, by=staff, title="Proposition de valeur", starts_at=start,
                                      ends_at=end, room_id=room.pk)
    booking = Booking.objects.get(pk=session.room_booking_id)
    assert booking.status == "confirmed"
    with pytest.raises(ConflictError):  # the room is taken: no second session, no second booking
        services.session_create(cohort=cohort, by=staff, title="Autre", starts_at=start, ends_at=end, room_id=room.pk)
    assert cohort.sessions.count() == 1 and Booking.objects.count() == 1
    services.session_reschedule(session=session, by=staff, starts_at=start + datetime.timedelta(hours=1),
                                ends_at=end + datetime.timedelta(hours=1))
    booking.refresh_from_db()
    assert booking.span.lower == start + datetime.timedelta(hours=1)
    services.session_cancel(session=session, by=staff)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and not cohort.sessions.exists()


def test_staff_plans_a_session_with_a_taken_room_and_gets_a_message(client, staff, cohort):
    from coworking import services as coworking_services
    from tests.coworking.factories import ResourceFactory, SiteFactory

    room = ResourceFactory(site=SiteFactory(), kind="room", name="Salle Seine", capacity=12, zone="")
    day = timezone.localdate() + datetime.timedelta(days=7)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(14), tzinfo=tz)
    coworking_services.room_reserve_for(resource_id=room.pk, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                        label="Atelier", reserved_by=staff)
    client.force_login(staff)
    data = {"title": "Gouvernance", "starts_at": f"{day}T14:00", "ends_at": f"{day}T17:00", "room": room.pk}
    response = client.post(reverse("fabrique:staff_cohort", args=[cohort.pk]), data)
    assert response.status_code == 400 and "déjà réservée" in response.content.decode()
    assert not cohort.sessions.exists()
    data.update(starts_at=f"{day}T16:00", ends_at=f"{day}T18:00")
    assert client.post(reverse("fabrique:staff_cohort", args=[cohort.pk]), data).status_code == 302
    assert cohort.sessions.get().room_booking_id


# --- query counts stay constant as data grows ------------------------------------------------------

def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # warm-up: navigation answers are cached from then on
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(enrolment, holder, coach, n_sessions):
    sessions = make_sessions(enrolment.cohort, n=n_sessions)
    services.attendance_record(session=sessions[0], by=coach, statuses={enrolment.pk: "present"})
    for deliverable in enrolment.deliverables.exclude(status="validated"):
        submission = services.submission_create(deliverable=deliverable, by=holder, text="Version")
        services.submission_review(submission=submission, by=coach, decision="changes_requested", feedback="Encore")
        services.submission_create(deliverable=deliverable, by=holder, upload=pdf())


def test_holder_and_coach_dashboards_keep_a_constant_number_of_queries(client, cohort, enrolment, member, coach):
    from tests.factories import UserFactory

    client.force_login(member)
    _grow(enrolment, member, coach, 2)
    holder_few = _count(client, reverse("fabrique:home"))
    # the logged-in user, the navigation's conditional links (one EXISTS query), then the page's:
    # enrolment, deliverables, submissions (+review), sessions, attendance (the session is in the cache)
    assert holder_few == 7
    _grow(enrolment, member, coach, 10)
    assert _count(client, reverse("fabrique:home")) == holder_few

    client.force_login(coach)
    coach_few = _count(client, reverse("fabrique:coach"))
    # the logged-in user, the navigation's conditional links, then the page's: review queue,
    # enrolments with progress, deliverables, sessions
    assert coach_few == 6
    for i in range(4):
        holder = UserFactory()
        more = services.enrol(cohort=cohort, holder=holder, coach=coach, project_name=f"Projet {i}")
        _grow(more, holder, coach, 1)
    assert _count(client, reverse("fabrique:coach")) == coach_few


def test_seed_is_fast_idempotent_and_follows_the_rules(db):
    import io
    import random
    import time

    from fabrique.models import Cohort, Enrolment, Outcome
    from fabrique.seed import seed_fabrique
    from members.seed import seed_accounts

    seed_accounts(scale=1, rng=random.Random(1), stdout=io.StringIO())
    started = time.monotonic()
    seed_fabrique(scale=1, rng=random.Random(1), stdout=io.StringIO())
    assert time.monotonic() - started < 15
    seed_fabrique(scale=1, rng=random.Random(1), stdout=io.StringIO())
    assert Cohort.objects.count() == 5
    assert set(Cohort.objects.values_list("year", flat=True)) >= {2021, 2022, 2023, 2024}
    porteur = Enrolment.objects.get(holder__email="porteur@demo.quai.test")
    assert porteur.coach.email == "coach@demo.quai.test" and porteur.cohort.end >= timezone.localdate()
    assert Outcome.objects.exists() and Submission.objects.exists() and Attendance.objects.exists()
    for enrolment in Enrolment.objects.filter(graduated_at__isnull=False)[:10]:
        assert selectors.progress_for(enrolment)["eligible"]


def test_other_pages_render(client, staff, member, other_member, enrolment):
    from fabrique.models import Application

    cohort = enrolment.cohort
    cohort.applications_open = True
    cohort.save()
    client.force_login(other_member)
    assert f'href="{reverse("fabrique:home")}"' not in client.get("/").content.decode()  # not a holder: no link
    html = client.get(reverse("fabrique:home")).content.decode()
    assert reverse("fabrique:apply", args=[cohort.pk]) in html
    assert client.get(reverse("fabrique:apply", args=[cohort.pk])).status_code == 200
    assert client.get(reverse("fabrique:coach")).status_code == 404
    application = services.application_submit(cohort=cohort, holder=other_member, commune="Poissy", project="Un lieu",
                                              motivation="Oui", stage="idea")
    client.force_login(staff)
    assert client.get(reverse("fabrique:staff_application", args=[application.pk])).status_code == 200
    response = client.post(reverse("fabrique:staff_application", args=[application.pk]), {"score": "7"})
    assert response.status_code == 400
    client.post(reverse("fabrique:staff_application", args=[application.pk]), {"score": "4", "comment": "Solide"})
    client.post(reverse("fabrique:staff_application", args=[application.pk]), {"status": "waitlisted"})
    assert Application.objects.get().status == "waitlisted"
    assert client.get(reverse("fabrique:coach")).status_code == 200  # staff see all
    client.force_login(member)
    assert client.get(reverse("fabrique:staff_cohorts")).status_code == 403


def test_deliverable_titles_do_not_depend_on_the_active_language(staff, member):
    from django.utils import translation

    with translation.override("en"):
        cohort = make_cohort(staff, year=2032)
        enrolment = services.enrol(cohort=cohort, holder=member, project_name="P")
    assert _deliverable(enrolment, "business_plan").title == "Business plan + prévisionnel"


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(client, enrolment, member, settings):
    settings.FABRIQUE_MAX_UPLOAD_BYTES = 1024
    deliverable = _deliverable(enrolment, "business_plan")
    client.force_login(member)
    response = client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": pdf(size=3 * 1048576)})
    assert response.status_code == 400 and "trop volumineux" in response.content.decode()
    assert not Submission.objects.exists() and _files(settings) == []


def test_a_failed_save_leaves_no_file(enrolment, member, settings, monkeypatch):
    deliverable = _deliverable(enrolment, "business_plan")

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Deliverable, "save", boom)
    with pytest.raises(RuntimeError):
        services.submission_create(deliverable=deliverable, by=member, upload=pdf())
    assert not Submission.objects.exists() and _files(settings) == []


def test_staff_edit_a_cohorts_curriculum(client, staff, member, cohort):
    client.force_login(staff)
    url = reverse("fabrique:staff_curriculum", args=[cohort.pk])
    assert client.get(url).status_code == 200
    modules = list(cohort.modules.all())
    data = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "6", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for i, module in enumerate(modules):
        data.update({f"form-{i}-id": module.pk, f"form-{i}-month": module.month, f"form-{i}-title": module.title,
                     f"form-{i}-deliverable_kind": module.deliverable_kind,
                     f"form-{i}-deliverable_title": module.deliverable_title})
        if module.required_for_graduation or module.month == 3:
            data[f"form-{i}-required_for_graduation"] = "on"
    assert client.post(url, data).status_code == 302
    enrolment = services.enrol(cohort=cohort, holder=member, project_name="P")
    assert set(enrolment.deliverables.filter(required_for_graduation=True).values_list("kind", flat=True)) == {
        "value_proposition", "market_study", "business_plan"}
