"""Who sees what: another holder's submission, file or feedback is a 404 everywhere; the API by persona; personal data export and erasure."""

import datetime

import pytest
from django.urls import reverse

from fabrique import selectors, services
from fabrique.models import Submission
from quai.registry import registry
from tests.fabrique.factories import pdf
from tests.fabrique.helpers import stored_files, deliverable_of

pytestmark = pytest.mark.django_db


def test_a_holder_cannot_read_another_holders_submission_file_or_feedback(client, api_client, enrolment, other_enrolment,
                                                                           member, other_member, coach, staff):
    deliverable = deliverable_of(enrolment, "business_plan")
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


def test_person_data_export_and_erase(enrolment, member, settings):
    submission = services.submission_create(deliverable=deliverable_of(enrolment, "business_plan"), by=member, upload=pdf())
    data = next(d for d in registry.person_data if d.app_label == "fabrique")
    assert data.export(member)["enrolments"][0]["project"] == "Tiers-lieu de Chatou"
    data.erase(member)
    submission.refresh_from_db()
    assert not submission.file and stored_files(settings) == []
    assert selectors.fab1_holders_supported(start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1)) == 1
