"""Follow-up: KPI reports (bounds, atomic with their audit row), sessions, milestones, quarterly reminders,
the dashboard chart and the staff pipeline alerts."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from incubator import selectors, services
from incubator.models import KpiReport, MentoringSession, Milestone, Project
from quai.errors import DomainError
from quai.models import AuditLog, OutboxMessage
from tests.factories import UserFactory
from tests.incubator.factories import ProjectFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def _report(project, by, **kwargs):
    values = {"reported_on": timezone.localdate(), "fte": Decimal("2")}
    values.update(kwargs)
    return services.kpi_report_add(project=project, by=by, **values)


@pytest.mark.parametrize("kwargs, field", [
    ({"fte": Decimal("-0.5")}, "fte"),
    ({"fte": Decimal("1000.01")}, "fte"),
    ({"fte": Decimal("NaN")}, "fte"),
    ({"revenue_eur": Decimal("-1")}, "revenue_eur"),
    ({"funding_eur": Decimal("-100")}, "funding_eur"),
    ({"beneficiaries": -3}, "beneficiaries"),
    ({"reported_on": datetime.date(1, 1, 1)}, "reported_on"),
    ({"reported_on": datetime.date(9999, 12, 31)}, "reported_on"),
    ({"reported_on": "2026-01-01"}, "reported_on"),
])
def test_kpi_report_bad_figures_are_refused_with_the_field_and_nothing_written(project, member, kwargs, field):
    with pytest.raises(DomainError) as error:
        _report(project, member, **kwargs)
    assert error.value.field == field and error.value.status_code == 400
    assert not KpiReport.objects.exists() and not AuditLog.objects.exists()


def test_kpi_report_keeps_every_figure(project, member):
    report = _report(project, member, fte=Decimal("3.5"), revenue_eur=Decimal("12000"), beneficiaries=150,
                     funding_eur=Decimal("30000"))
    report.refresh_from_db()
    assert (report.fte, report.revenue_eur, report.beneficiaries, report.funding_eur) == (
        Decimal("3.50"), Decimal("12000.00"), 150, Decimal("30000.00"))


def test_kpi_report_and_its_audit_row_are_one_transaction(project, member, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(services, "audit_log", broken_audit)
    with pytest.raises(RuntimeError):
        _report(project, member)
    assert not KpiReport.objects.exists()


@pytest.mark.parametrize("make", [
    lambda p: KpiReport(project=p, reported_on=datetime.date(2026, 1, 1), fte=Decimal("-1")),
    lambda p: KpiReport(project=p, reported_on=datetime.date(2026, 1, 1), fte=Decimal("1001")),
    lambda p: KpiReport(project=p, reported_on=datetime.date(2026, 1, 1), fte=1, revenue_eur=Decimal("-1")),
    lambda p: KpiReport(project=p, reported_on=datetime.date(2026, 1, 1), fte=1, funding_eur=Decimal("-1")),
    lambda p: KpiReport(project=p, reported_on=datetime.date(1999, 12, 31), fte=1),
    lambda p: MentoringSession(project=p, date=datetime.date(2101, 1, 1)),
    lambda p: Milestone(project=p, title="x", due_on=datetime.date(1, 1, 1)),
])
def test_database_refuses_what_the_services_refuse(project, make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(project).save()


def test_database_refuses_reversed_incubation_dates_and_creation_without_evidence(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(status="graduated",
                                                     incubation_end=project.incubation_start - datetime.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(created_on=timezone.localdate(), creation_kind="legal")
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(fte_at_entry=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():  # an active project has no end yet
        Project.objects.filter(pk=project.pk).update(incubation_end=timezone.localdate())


def test_mentoring_session_with_next_actions_and_audit(project, coach):
    session = services.mentoring_session_log(project=project, by=coach, date=timezone.localdate(), duration_min=90,
                                             notes="Modèle économique", next_actions="Chiffrer l'offre")
    assert (session.notes, session.next_actions, session.coach) == ("Modèle économique", "Chiffrer l'offre", coach)
    assert AuditLog.objects.filter(action="incubator.session_logged").count() == 1


@pytest.mark.parametrize("kwargs, field", [
    ({"date": datetime.date(2001, 1, 1)}, "date"),
    ({"date": timezone.localdate() + datetime.timedelta(days=400)}, "date"),
    ({"duration_min": 0}, "duration_min"),
    ({"duration_min": 601}, "duration_min"),
])
def test_mentoring_session_bad_input_is_refused(project, coach, kwargs, field):
    values = {"date": timezone.localdate(), "duration_min": 60, **kwargs}
    with pytest.raises(DomainError) as error:
        services.mentoring_session_log(project=project, by=coach, **values)
    assert error.value.field == field
    assert not MentoringSession.objects.exists()


def test_team_ticks_and_unticks_a_milestone(project, member, other_member):
    milestone = services.milestone_add(project=project, by=member, title="Premier client",
                                       due_on=timezone.localdate() + datetime.timedelta(days=30))
    services.milestone_tick(milestone=milestone, by=member, done=True)
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate() and milestone.done_by == member
    with pytest.raises(services.NotAllowed):
        services.milestone_tick(milestone=milestone, by=other_member, done=False)
    services.milestone_tick(milestone=milestone, by=member, done=False)
    milestone.refresh_from_db()
    assert milestone.done_on is None and milestone.done_by is None
    assert AuditLog.objects.filter(action__startswith="incubator.milestone_").count() == 3


# --- Quarterly reminder ---

def test_kpi_reminder_goes_once_per_project_quarter_and_founder(project, member):
    TeamMemberFactory(project=project, role="associate")  # not a founder: no reminder
    late_in_q4 = datetime.date(2026, 12, 15)
    assert services.kpi_reminders_send(today=late_in_q4) == 1
    assert services.kpi_reminders_send(today=late_in_q4 + datetime.timedelta(days=1)) == 0  # a second run
    message = OutboxMessage.objects.get()
    assert message.key == f"incubator-kpi-reminder:{project.pk}:2026Q4:{member.pk}" and message.to == member.email
    lines = message.body_text.splitlines()
    assert lines[0] == f"Bonjour {member.get_short_name()}," and lines[-1] == f"— {settings.QUAI_SITE_NAME}"
    assert lines[2].startswith(f"Le trimestre T4 2026 se termine le 31 décembre 2026 et « {project.name} » ")
    # Next quarter: a new reminder.
    assert services.kpi_reminders_send(today=datetime.date(2027, 3, 20)) == 1


def test_no_kpi_reminder_early_in_the_quarter_or_after_a_report(project, member):
    assert services.kpi_reminders_send(today=datetime.date(2026, 11, 1)) == 0
    KpiReport.objects.create(project=project, reported_on=datetime.date(2026, 10, 20), fte=1)
    assert services.kpi_reminders_send(today=datetime.date(2026, 12, 20)) == 0
    assert not OutboxMessage.objects.exists()


def test_no_kpi_reminder_for_an_ended_project(project, member, staff):
    services.project_set_status(project=project, by=staff, status="graduated")
    assert services.kpi_reminders_send(today=timezone.localdate().replace(month=12, day=20)) == 0


def test_kpi_reminder_task_runs_the_service(project, member, monkeypatch):
    from incubator import tasks

    monkeypatch.setattr(services.timezone, "localdate", lambda *a: datetime.date(2026, 12, 15))
    assert tasks.incubator_kpi_reminders.delay().get() == 1


# --- Dashboard and pipeline ---

def test_quarter_bounds():
    assert selectors.quarter_bounds(datetime.date(2026, 11, 29)) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert selectors.quarter_bounds(datetime.date(2026, 2, 1)) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert selectors.quarter_of(datetime.date(2026, 7, 1)) == (2026, 3)


def test_kpi_chart_points_follow_the_reports(project, member):
    day = timezone.localdate()
    for months_ago, fte in ((6, "1"), (3, "2"), (0, "4")):
        KpiReport.objects.create(project=project, reported_on=day - datetime.timedelta(days=30 * months_ago), fte=Decimal(fte))
    project = selectors.project_get_for_user(member, project.pk)
    dashboard = selectors.project_dashboard(project, today=day)
    chart = dashboard["fte_chart"]
    assert [p.value for p in chart.points] == [Decimal("1"), Decimal("2"), Decimal("4")]
    # 4 is the top of the scale (5): points rise from left to right; x spans the plot.
    assert chart.points[0].y > chart.points[1].y > chart.points[2].y
    assert (chart.points[0].x, chart.points[-1].x) == (48, 384)
    # Whole FTE: whole ticks (quai.charts.axis, as the impact charts), not "1,2" for 1.25 and "3,8" for 3.75.
    assert [label for _y, label in chart.ticks] == ["0", "1", "2", "3", "4", "5"]
    assert dashboard["revenue_chart"] is None and dashboard["reported_this_quarter"] is True


def test_kpi_chart_ticks_in_the_pages_language_thousands_of_euros_in_k():
    from django.utils import translation

    series = [("T1", Decimal("12000")), ("T2", Decimal("37500"))]
    with translation.override("fr"):
        assert [label for _y, label in selectors.line_chart("revenue", series).ticks] == [
            "0", "12,5\u202fk", "25\u202fk", "37,5\u202fk", "50\u202fk"]
        # Every tick in thousands once the axis reaches 10 000 (was "5 000" under "10 k").
        assert [label for _y, label in selectors.line_chart("revenue", [("T1", Decimal("18000"))]).ticks] == [
            "0", "5\u202fk", "10\u202fk", "15\u202fk", "20\u202fk"]
        assert [label for _y, label in selectors.line_chart("fte", [("T1", Decimal("0.5")), ("T2", Decimal("1.5"))]).ticks] == [
            "0", "0,5", "1", "1,5", "2"]
    with translation.override("en"):
        assert [label for _y, label in selectors.line_chart("fte", [("T1", Decimal("0.5")), ("T2", Decimal("1.5"))]).ticks] == [
            "0", "0.5", "1", "1.5", "2"]


def test_pipeline_groups_by_status_and_stage_with_alerts(member, coach):
    today = datetime.date(2026, 11, 29)
    quiet = ProjectFactory(name="Sans nouvelles", stage="idea", incubation_start=today - datetime.timedelta(days=200))
    followed = ProjectFactory(name="Suivi", stage="prototype", incubation_start=today - datetime.timedelta(days=200))
    KpiReport.objects.create(project=followed, reported_on=datetime.date(2026, 10, 5), fte=2)
    MentoringSession.objects.create(project=followed, date=today - datetime.timedelta(days=20), coach=coach)
    MentoringSession.objects.create(project=quiet, date=today - datetime.timedelta(days=70), coach=coach)
    # A session planned ahead is not one held: "Sans nouvelles" still has had none for 70 days.
    MentoringSession.objects.create(project=quiet, date=today + datetime.timedelta(days=10), start_time=datetime.time(10), coach=coach)
    KpiReport.objects.create(project=quiet, reported_on=datetime.date(2026, 9, 30), fte=1)
    done = ProjectFactory(name="Fini", stage="launched", status="graduated", incubation_start=today - datetime.timedelta(days=400),
                          incubation_end=today - datetime.timedelta(days=30))
    result = selectors.pipeline(today=today)
    assert [(g["status"], g["stage"], [p.name for p in g["projects"]]) for g in result["groups"]] == [
        ("active", "idea", ["Sans nouvelles"]), ("active", "prototype", ["Suivi"]), ("graduated", "launched", ["Fini"])]
    rows = {p.name: p for g in result["groups"] for p in g["projects"]}
    assert (rows["Sans nouvelles"].alert_no_report, rows["Sans nouvelles"].alert_no_session) == (True, True)
    assert (rows["Suivi"].alert_no_report, rows["Suivi"].alert_no_session) == (False, False)
    assert rows["Suivi"].last_report_on == datetime.date(2026, 10, 5)
    assert rows["Suivi"].last_session_on == today - datetime.timedelta(days=20)
    assert rows["Sans nouvelles"].last_session_on == today - datetime.timedelta(days=70)
    assert (rows["Fini"].alert_no_report, rows["Fini"].alert_no_session) == (False, False)
    assert result["alerts"] == {"no_report": 1, "no_session": 1}
    assert done.pk


def test_founder_sees_only_their_projects(project, member, other_project, other_member):
    assert list(Project.objects.visible_to(member)) == [project]
    assert list(Project.objects.visible_to(UserFactory())) == []


def test_pipeline_counts_every_status_whatever_the_filter(member, coach):
    today = datetime.date(2026, 11, 29)
    ProjectFactory(name="Sans nouvelles", stage="idea", incubation_start=today - datetime.timedelta(days=200))
    ProjectFactory(name="Suivi", stage="idea", incubation_start=today - datetime.timedelta(days=10))
    ProjectFactory(name="Fini", stage="launched", status="graduated", incubation_start=today - datetime.timedelta(days=400))
    result = selectors.pipeline(today=today, status="graduated")
    assert [(s["status"], s["count"], s["alerted"], [g["stage"] for g in s["groups"]]) for s in result["statuses"]] == [
        ("active", 2, 2, ["idea"]), ("graduated", 1, 0, ["launched"]), ("stopped", 0, 0, [])]
    assert [(g["status"], [p.name for p in g["projects"]]) for g in result["groups"]] == [("graduated", ["Fini"])]
    assert result["total"] == 3
    assert result["alerts"] == {"no_report": 2, "no_session": 1}  # the active projects', whatever the filter
