"""The incubator API: who sees what (others' → 404), writes through the services, bad input → 400/409."""

import datetime

import pytest
from django.utils import timezone

from incubator.models import Application, KpiReport, MentoringSession, Review
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/incubator"


@pytest.fixture
def calls(db):
    today = timezone.localdate()
    open_call = CallFactory(title="Ouvert")
    CallFactory(title="Fermé", opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1))
    CallFactory(title="Bientôt", opens_on=today + datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=40))
    return open_call


def test_members_list_open_calls_staff_all(api_client, member, staff, calls):
    api_client.force_authenticate(member)
    body = api_client.get(f"{API}/calls/").json()
    assert [c["title"] for c in body["results"]] == ["Ouvert"]
    assert body["results"][0]["questions"] == ["Quel besoin du territoire ?", "Qui porte le projet ?"]
    assert [(c["label"], c["weight"]) for c in body["results"][0]["criteria"]] == [("Impact social", 3), ("Équipe", 1)]
    api_client.force_authenticate(staff)
    assert api_client.get(f"{API}/calls/").json()["count"] == 3


def test_anonymous_gets_401(api_client, calls):
    assert api_client.get(f"{API}/calls/").status_code == 401
    assert api_client.post(f"{API}/applications/", {}, format="json").status_code == 401


def test_member_applies(api_client, member, calls):
    api_client.force_authenticate(member)
    response = api_client.post(f"{API}/applications/", {
        "call": calls.pk, "project_name": "La Cantine", "summary": "Cantine solidaire", "answers": ["Manger", "Nous"],
    }, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "submitted" and response.json()["answers"] == ["Manger", "Nous"]
    assert Application.objects.get().applicant == member


def test_applying_twice_or_to_a_closed_call_is_409_with_the_reason(api_client, member, calls):
    api_client.force_authenticate(member)
    payload = {"call": calls.pk, "project_name": "A", "summary": "S", "answers": ["1", "2"]}
    assert api_client.post(f"{API}/applications/", payload, format="json").status_code == 201
    response = api_client.post(f"{API}/applications/", {**payload, "project_name": "B"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_applied"
    closed = CallFactory(opens_on=timezone.localdate() - datetime.timedelta(days=30),
                         closes_on=timezone.localdate() - datetime.timedelta(days=1))
    response = api_client.post(f"{API}/applications/", {**payload, "call": closed.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"] == {"call": ["Cet appel est clos : les candidatures ne sont plus acceptées."]}
    assert list(Application.objects.values_list("project_name", flat=True)) == ["A"]


@pytest.mark.parametrize("payload, field", [
    ({"call": 999999}, "call"),
    ({"project_name": ""}, "project_name"),
    ({"answers": ["1", "2", "3"]}, "answers"),
    ({"answers": "pas une liste"}, "answers"),
    ({"summary": ""}, "summary"),
])
def test_bad_application_is_400_with_the_field(api_client, member, calls, payload, field):
    api_client.force_authenticate(member)
    body = {"call": calls.pk, "project_name": "A", "summary": "S", "answers": ["1", "2"], **payload}
    response = api_client.post(f"{API}/applications/", body, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == [field]
    assert not Application.objects.exists()


def test_applications_list_is_ones_own(api_client, member, other_member, calls):
    mine = ApplicationFactory(call=calls, applicant=member)
    theirs = ApplicationFactory(call=calls, applicant=other_member)
    api_client.force_authenticate(member)
    assert [a["id"] for a in api_client.get(f"{API}/applications/").json()["results"]] == [mine.pk]
    assert api_client.get(f"{API}/applications/{theirs.pk}/").status_code == 404


def test_projects_staff_all_team_theirs(api_client, project, member, other_project, staff, coach):
    api_client.force_authenticate(member)
    body = api_client.get(f"{API}/projects/").json()
    assert [p["name"] for p in body["results"]] == ["La Recyclerie"]
    assert body["results"][0]["team"] == [{"name": "Marie Martin", "role": "founder"}]
    assert api_client.get(f"{API}/projects/{other_project.pk}/").status_code == 404
    api_client.force_authenticate(coach)
    assert [p["name"] for p in api_client.get(f"{API}/projects/").json()["results"]] == ["La Recyclerie"]
    api_client.force_authenticate(staff)
    assert api_client.get(f"{API}/projects/").json()["count"] == 2


def test_founder_never_reads_another_projects_kpis_or_notes(api_client, member, other_project, other_member):
    KpiReport.objects.create(project=other_project, reported_on=timezone.localdate(), fte=3)
    MentoringSession.objects.create(project=other_project, date=timezone.localdate(), notes="Confidentiel")
    api_client.force_authenticate(member)
    for url in (f"{API}/projects/{other_project.pk}/", f"{API}/projects/{other_project.pk}/kpi-reports/",
                f"{API}/projects/{other_project.pk}/sessions/"):
        response = api_client.get(url)
        assert response.status_code == 404 and "Confidentiel" not in response.content.decode()
    response = api_client.post(f"{API}/projects/{other_project.pk}/kpi-reports/",
                               {"reported_on": str(timezone.localdate()), "fte": "1"}, format="json")
    assert response.status_code == 404
    assert KpiReport.objects.count() == 1


def test_team_posts_a_kpi_report(api_client, project, member):
    api_client.force_authenticate(member)
    response = api_client.post(f"{API}/projects/{project.pk}/kpi-reports/", {
        "reported_on": str(timezone.localdate()), "fte": "2.5", "revenue_eur": "15000", "beneficiaries": 40,
        "funding_eur": "20000.50"}, format="json")
    assert response.status_code == 201
    assert response.json() | {"id": 0} == {"id": 0, "reported_on": str(timezone.localdate()), "fte": "2.50",
                                           "revenue_eur": "15000.00", "beneficiaries": 40, "funding_eur": "20000.50"}
    detail = api_client.get(f"{API}/projects/{project.pk}/").json()
    assert [r["fte"] for r in detail["kpi_reports"]] == ["2.50"]


@pytest.mark.parametrize("payload, field", [
    ({"fte": "-1"}, "fte"),
    ({"fte": "1000.5"}, "fte"),
    ({"fte": "NaN"}, "fte"),
    ({"revenue_eur": "-10"}, "revenue_eur"),
    ({"funding_eur": "-10"}, "funding_eur"),
    ({"beneficiaries": -1}, "beneficiaries"),
    ({"reported_on": "0001-01-01"}, "reported_on"),
    ({"reported_on": "9999-12-31"}, "reported_on"),
    ({"reported_on": "2026-13-01"}, "reported_on"),
])
def test_bad_kpi_report_is_400_with_the_field_and_nothing_written(api_client, project, member, payload, field):
    api_client.force_authenticate(member)
    body = {"reported_on": str(timezone.localdate()), "fte": "1", **payload}
    response = api_client.post(f"{API}/projects/{project.pk}/kpi-reports/", body, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == [field]
    assert not KpiReport.objects.exists()


def test_same_day_kpi_report_is_409(api_client, project, member):
    api_client.force_authenticate(member)
    body = {"reported_on": str(timezone.localdate()), "fte": "1"}
    assert api_client.post(f"{API}/projects/{project.pk}/kpi-reports/", body, format="json").status_code == 201
    response = api_client.post(f"{API}/projects/{project.pk}/kpi-reports/", body, format="json")
    assert response.status_code == 409 and list(response.json()["errors"]) == ["reported_on"]


def test_sessions_coach_logs_team_reads_team_cannot_log(api_client, project, member, coach):
    api_client.force_authenticate(coach)
    response = api_client.post(f"{API}/projects/{project.pk}/sessions/", {
        "date": str(timezone.localdate()), "duration_min": 60, "notes": "Pitch", "next_actions": "Refaire le deck"},
        format="json")
    assert response.status_code == 201 and response.json()["next_actions"] == "Refaire le deck"
    api_client.force_authenticate(member)
    assert [s["notes"] for s in api_client.get(f"{API}/projects/{project.pk}/sessions/").json()] == ["Pitch"]
    response = api_client.post(f"{API}/projects/{project.pk}/sessions/",
                               {"date": str(timezone.localdate()), "duration_min": 60}, format="json")
    assert response.status_code == 403
    assert MentoringSession.objects.count() == 1


@pytest.mark.parametrize("payload, field", [
    ({"duration_min": 0}, "duration_min"),
    ({"date": "1900-01-01"}, "date"),
    ({"date": "2999-01-01"}, "date"),
])
def test_bad_session_is_400(api_client, project, coach, payload, field):
    api_client.force_authenticate(coach)
    body = {"date": str(timezone.localdate()), "duration_min": 60, **payload}
    response = api_client.post(f"{API}/projects/{project.pk}/sessions/", body, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == [field]
    assert not MentoringSession.objects.exists()


def test_outsider_gets_404_on_a_project(api_client, project):
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"{API}/projects/{project.pk}/").status_code == 404
    assert api_client.get(f"{API}/projects/").json()["count"] == 0


def test_schema_lists_the_incubator_routes(api_client, staff):
    api_client.force_authenticate(staff)
    paths = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("/api/v1/incubator/calls/", "/api/v1/incubator/applications/", "/api/v1/incubator/projects/{id}/",
                 "/api/v1/incubator/projects/{id}/kpi-reports/", "/api/v1/incubator/projects/{id}/sessions/"):
        assert path in paths, path
    assert Review.objects.count() == 0


def test_nul_bytes_bad_filters_and_huge_ids_are_400_or_404(api_client, member, project, calls):
    api_client.force_authenticate(member)
    response = api_client.post(f"{API}/applications/", {"call": calls.pk, "project_name": "A\x00B", "summary": "S",
                                                        "answers": ["1", "2"]}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["project_name"]
    response = api_client.post(f"{API}/applications/", {"call": calls.pk, "project_name": "A", "summary": "S",
                                                        "answers": ["1\x00", "2"]}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["answers"]
    assert api_client.get(f"{API}/projects/?status=abc").status_code == 400
    assert api_client.get(f"{API}/projects/99999999999999999999/").status_code == 404
    assert api_client.get(f"{API}/projects/99999999999999999999/sessions/").status_code == 404
    assert not Application.objects.exists()
