"""Submitting and reviewing deliverables: file checks by content and size, versions, who may submit and review."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fabrique import services
from fabrique.models import Deliverable, Submission
from quai.errors import ConflictError, DomainError
from quai.models import AuditLog
from tests.fabrique.factories import docx, ods, pdf, plain_zip
from tests.fabrique.helpers import stored_files, deliverable_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make, mimetype", [
    (pdf, "application/pdf"),
    (docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (ods, "application/vnd.oasis.opendocument.spreadsheet"),
])
def test_accepted_types_are_recognised_by_content(enrolment, member, make, mimetype, settings):
    upload = make()
    submission = services.submission_create(deliverable=deliverable_of(enrolment, "business_plan"), by=member, upload=upload)
    assert submission.content_type == mimetype and submission.version == 1
    assert "plan" not in submission.file.name and "budget" not in submission.file.name  # random stored name
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize("upload, message", [
    (lambda: SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf"), "PDF, ODT"),
    (plain_zip, "PDF, ODT"),
    (lambda: SimpleUploadedFile("plan.pdf", b"", content_type="application/pdf"), "vide"),
])
def test_lying_or_empty_upload_is_refused_and_nothing_is_stored(client, enrolment, member, settings, upload, message):
    deliverable = deliverable_of(enrolment, "business_plan")
    client.force_login(member)
    response = client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": upload()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists() and stored_files(settings) == []
    deliverable.refresh_from_db()
    assert deliverable.status == "todo"


def test_too_large_upload_is_refused_with_a_lowered_limit(client, enrolment, member, settings):
    settings.FABRIQUE_MAX_UPLOAD_BYTES = 1024
    deliverable = deliverable_of(enrolment, "business_plan")
    client.force_login(member)
    response = client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": pdf(size=2048)})
    assert response.status_code == 400 and "trop volumineux" in response.content.decode()
    assert not Submission.objects.exists() and stored_files(settings) == []
    # the API says the same
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(member)
    response = api.post(f"/api/v1/fabrique/deliverables/{deliverable.pk}/submissions/", {"file": pdf(size=2048)},
                        format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert not Submission.objects.exists() and stored_files(settings) == []


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(client, enrolment, member, settings):
    settings.FABRIQUE_MAX_UPLOAD_BYTES = 1024
    deliverable = deliverable_of(enrolment, "business_plan")
    client.force_login(member)
    response = client.post(reverse("fabrique:deliverable", args=[deliverable.pk]), {"file": pdf(size=3 * 1048576)})
    assert response.status_code == 400 and "trop volumineux" in response.content.decode()
    assert not Submission.objects.exists() and stored_files(settings) == []


def test_a_failed_save_leaves_no_file(enrolment, member, settings, monkeypatch):
    deliverable = deliverable_of(enrolment, "business_plan")

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Deliverable, "save", boom)
    with pytest.raises(RuntimeError):
        services.submission_create(deliverable=deliverable, by=member, upload=pdf())
    assert not Submission.objects.exists() and stored_files(settings) == []


def test_submissions_are_versioned_never_overwritten(enrolment, member, coach):
    deliverable = deliverable_of(enrolment, "value_proposition")
    first = services.submission_create(deliverable=deliverable, by=member, text="Première version")
    services.submission_review(submission=first, by=coach, decision="changes_requested", feedback="Précisez la cible.")
    second = services.submission_create(deliverable=deliverable, by=member, upload=pdf())
    assert [s.version for s in deliverable.submissions.all()] == [2, 1]
    first.refresh_from_db()
    assert first.text == "Première version" and first.review.decision == "changes_requested"
    assert second.version == 2


def test_only_the_holder_submits_and_only_the_coach_or_staff_reviews(enrolment, member, other_member, coach, staff):
    deliverable = deliverable_of(enrolment, "value_proposition")
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
    deliverable = deliverable_of(enrolment, "value_proposition")
    old = services.submission_create(deliverable=deliverable, by=member, text="v1")
    services.submission_create(deliverable=deliverable, by=member, text="v2")
    with pytest.raises(ConflictError):
        services.submission_review(submission=old, by=coach, decision="validated", feedback="ok")


def test_api_submit_multipart_then_review(api_client, enrolment, member, coach):
    deliverable = deliverable_of(enrolment, "business_plan")
    api_client.force_authenticate(member)
    response = api_client.post(f"/api/v1/fabrique/deliverables/{deliverable.pk}/submissions/",
                               {"file": docx(), "text": "Notes"}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["original_name"] == "plan.docx"
    assert api_client.post(f"/api/v1/fabrique/submissions/{body['id']}/review/",
                           {"decision": "validated", "feedback": "x"}).status_code == 403  # holder may not review
    api_client.force_authenticate(coach)
    response = api_client.post(f"/api/v1/fabrique/submissions/{body['id']}/review/",
                               {"decision": "validated", "feedback": "Solide"}, format="json")
    assert response.status_code == 201
    deliverable.refresh_from_db()
    assert deliverable.status == "validated"
