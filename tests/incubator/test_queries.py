"""Pages and API lists answer in a constant number of queries, whatever the data size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incubator.models import KpiReport, MentoringSession, Milestone
from tests.factories import UserFactory
from tests.incubator.factories import ProjectFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _grow(project, n):
    today = timezone.localdate()
    start = project.kpi_reports.count()
    for i in range(n):
        KpiReport.objects.create(project=project, reported_on=today - datetime.timedelta(days=30 * (start + i) + 1), fte=i)
        MentoringSession.objects.create(project=project, date=today - datetime.timedelta(days=20 * i))
        Milestone.objects.create(project=project, title=f"Jalon {i}")
        TeamMemberFactory(project=project, role="associate")


def test_founder_dashboard_queries_do_not_grow(client, project, member):
    client.force_login(member)
    url = reverse("incubator:project", args=[project.pk])
    _queries(client, url)  # warm-up: session and navigation answers are cached after the first page
    _grow(project, 1)
    few = _queries(client, url)
    # project (+coach), memberships (+member), milestones, KPI reports, sessions (+coach), navigation flags
    # (the new team members changed who sees the link)
    assert len(few) == 7, "\n".join(few)
    _grow(project, 10)
    assert len(_queries(client, url)) == len(few)


def test_staff_pipeline_queries_do_not_grow(client, staff):
    client.force_login(staff)
    url = reverse("incubator:staff_projects")
    _queries(client, url)
    ProjectFactory(team=[UserFactory()])
    few = _queries(client, url)
    for _ in range(15):
        _grow(ProjectFactory(team=[UserFactory()]), 2)
    assert len(_queries(client, url)) == len(few)


def test_api_project_list_queries_do_not_grow(api_client, staff):
    api_client.force_authenticate(staff)
    ProjectFactory(team=[UserFactory()])
    with CaptureQueriesContext(connection) as few:
        assert api_client.get("/api/v1/incubator/projects/").status_code == 200
    for _ in range(10):
        _grow(ProjectFactory(team=[UserFactory()]), 1)
    with CaptureQueriesContext(connection) as many:
        assert api_client.get("/api/v1/incubator/projects/").json()["count"] == 11
    assert len(many.captured_queries) == len(few.captured_queries)
