import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from incubator import selectors, services
from incubator.models import KpiReport, MentoringSession
from quai.errors import ConflictError, DomainError
from quai.models import AuditLog
from quai.registry import registry
from tests.factories import UserFactory
from tests.incubator.factories import ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def test_founder_reports_figures_and_it_is_audited(project, member):
    report = services.kpi_report_add(project=project, by=member, reported_on=TODAY, fte=Decimal("2.5"))
    assert report.fte == Decimal("2.5")
    assert AuditLog.objects.filter(action="incubator.kpi_reported", target_id=str(project.pk)).exists()


def test_same_day_report_twice_is_a_conflict_and_writes_nothing_more(project, member):
    services.kpi_report_add(project=project, by=member, reported_on=TODAY, fte=Decimal("2"))
    with pytest.raises(ConflictError):
        services.kpi_report_add(project=project, by=member, reported_on=TODAY, fte=Decimal("3"))
    assert KpiReport.objects.count() == 1


def test_outsider_cannot_report_or_log(project, other_member):
    with pytest.raises(DomainError):
        services.kpi_report_add(project=project, by=other_member, reported_on=TODAY, fte=Decimal("1"))
    with pytest.raises(DomainError):
        services.mentoring_session_log(project=project, by=other_member, date=TODAY, duration_min=60)
    assert not KpiReport.objects.exists() and not MentoringSession.objects.exists()


def test_only_the_coach_logs_sessions(project, coach, member):
    services.mentoring_session_log(project=project, by=coach, date=TODAY, duration_min=90, notes="Business model")
    with pytest.raises(DomainError):
        services.mentoring_session_log(project=project, by=member, date=TODAY, duration_min=60)
    with pytest.raises(DomainError):
        services.mentoring_session_log(project=project, by=coach, date=TODAY, duration_min=0)


def test_inc1_jobs_created_uses_latest_report_and_says_no_data_without_reports(project, member):
    assert selectors.inc1_jobs_created(until=TODAY) is None
    services.kpi_report_add(project=project, by=member, reported_on=TODAY - datetime.timedelta(days=60), fte=Decimal("2"))
    services.kpi_report_add(project=project, by=member, reported_on=TODAY - datetime.timedelta(days=1), fte=Decimal("3.5"))
    services.kpi_report_add(project=project, by=member, reported_on=TODAY + datetime.timedelta(days=30), fte=Decimal("9"))
    assert selectors.inc1_jobs_created(until=TODAY) == Decimal("2.5")
    assert selectors.inc1_jobs_created(until=TODAY - datetime.timedelta(days=30)) == Decimal("1")


def test_project_page_is_404_for_someone_outside_the_project(client, project, other_member):
    client.force_login(other_member)
    assert client.get(reverse("incubator:project", args=[project.pk])).status_code == 404
    response = client.post(reverse("incubator:kpi_create", args=[project.pk]), {"reported_on": "2026-11-01", "fte": "1"})
    assert response.status_code == 404
    assert not KpiReport.objects.exists()


def test_founder_sees_project_and_reports_through_the_page(client, project, member):
    client.force_login(member)
    response = client.get(reverse("incubator:project", args=[project.pk]))
    assert response.status_code == 200 and "La Recyclerie" in response.content.decode()
    response = client.post(reverse("incubator:kpi_create", args=[project.pk]), {"reported_on": "2026-11-01", "fte": "-1"})
    assert response.status_code == 400
    assert "négatif" in response.content.decode() or "supérieure ou égale" in response.content.decode()
    response = client.post(reverse("incubator:kpi_create", args=[project.pk]), {"reported_on": "2026-11-01", "fte": "2"})
    assert response.status_code == 302
    assert KpiReport.objects.get().fte == Decimal("2")


def test_api_shows_only_visible_projects(api_client, project, member, other_member, staff):
    ProjectFactory(name="Autre projet", team=[other_member])
    api_client.force_authenticate(member)
    names = [p["name"] for p in api_client.get("/api/v1/incubator/projects/").json()["results"]]
    assert names == ["La Recyclerie"]
    other = ProjectFactory(name="Encore un", team=[other_member])
    assert api_client.get(f"/api/v1/incubator/projects/{other.pk}/").status_code == 404
    api_client.force_authenticate(staff)
    assert api_client.get("/api/v1/incubator/projects/").json()["count"] == 3


def test_staff_list_keeps_a_constant_number_of_queries(client, staff):
    client.force_login(staff)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("incubator:staff_projects")).status_code == 200
        return len(ctx.captured_queries)

    count_queries()  # warm-up: the first page of a session fills the per-process caches
    for _ in range(3):
        ProjectFactory(team=[UserFactory(), UserFactory()])
    few = count_queries()
    # user, count, projects (+coach, latest FTE), team prefetch, navigation flags (new projects
    # changed who sees "My projects"); the session is read from the cache
    assert few == 5
    for _ in range(20):
        ProjectFactory(team=[UserFactory(), UserFactory()])
    assert count_queries() == few


def test_nav_link_only_for_team_or_coach(client, project, member, other_member):
    client.force_login(member)
    assert reverse("incubator:my_projects") in client.get("/").content.decode()
    client.force_login(other_member)
    assert reverse("incubator:my_projects") not in client.get("/").content.decode()


def test_erasure_removes_the_person_but_keeps_the_project(project, member, coach):
    data = next(d for d in registry.person_data if d.app_label == "incubator")
    assert data.export(member)["projects"][0]["name"] == "La Recyclerie"
    data.erase(member)
    data.erase(coach)
    project.refresh_from_db()
    assert list(project.team.all()) == [] and project.coach is None
    assert selectors.prj2_projects_created(until=TODAY) == 0
